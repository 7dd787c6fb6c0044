"""`ask`: the Slack bot's question router, from the terminal.

The router lives in ``bot.answers`` and is imported only when this command runs, so the rest of
the CLI works (and starts fast) without the bot. The router turns a refusal into a friendly
answer rather than raising; the CLI keeps that text but still exits like every other command:
2 when the question named something unknown, 1 when the bot itself failed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from contexta_core.text_safety import printable

from ..errors import FAILED_EXIT, REFUSED_EXIT, fail
from ..options import Json
from ..output import print_json
from ..session import open_workspace

ANSWER_FIELDS = ("intent", "project", "language", "text", "blocks")
INTERNAL_ERROR = "internal"  # the router's code for "a bug on our side", not the asker's mistake


def ask(
    ctx: typer.Context,
    question: Annotated[
        str,
        typer.Argument(
            metavar="QUESTION", help='A question, e.g. "which run is the best?"', show_default=False
        ),
    ],
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="Project to ask about when the question names none.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Ask a question in plain English or Korean, as you would the Slack bot."""
    try:
        from bot.answers import answer_question
    except ModuleNotFoundError as exc:
        if exc.name not in ("bot", "bot.answers"):
            raise
        fail(
            "`contexta ask` needs the bot's question router (bot.answers), which is not installed",
            exit_code=FAILED_EXIT,
        )
    answer = answer_question(open_workspace(ctx), question, default_project=project)
    error = getattr(answer, "error", None)
    exit_code = 0 if not error else FAILED_EXIT if error == INTERNAL_ERROR else REFUSED_EXIT
    if error and not as_json:
        fail(answer.text, exit_code=exit_code)
    if as_json:
        print_json({field: getattr(answer, field) for field in ANSWER_FIELDS})
    else:
        typer.echo(printable(answer.text, keep_newlines=True))  # stored names may hold escapes
    if exit_code:
        raise typer.Exit(exit_code)


def register(app: typer.Typer) -> None:
    app.command()(ask)
