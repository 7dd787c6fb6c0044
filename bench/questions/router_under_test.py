"""The router the corpus evaluates, as ``route(text) -> routed`` (one place to point it elsewhere)."""

from __future__ import annotations

from bot.question_router import route_question


def make_router(ctx):
    names = ctx.list_projects()
    return (lambda text: route_question(text, names)), []
