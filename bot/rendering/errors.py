"""Error answers: what went wrong in words a person can act on, with the closest names to try.

The caller passes text that is already safe for mrkdwn (see `bot.answers`); nothing here ever
shows a traceback or an exception's internals.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, section
from bot.rendering.i18n import t


def render_error(
    message: str, *, lang: str, suggestions: Sequence[str] = (), hint: str | None = None
) -> Rendered:
    """`message` is safe mrkdwn; `suggestions` are raw names (escaped here)."""
    body = f":warning: {message}"
    if suggestions:
        names = ", ".join(fmt.code(s) for s in suggestions[:5])
        body += "\n" + t(lang, "error.try", names=names)
    blocks = [section(body), context(hint or t(lang, "error.hint"))]
    return finish(blocks, body.replace(":warning: ", ""))


def render_apology(lang: str) -> Rendered:
    """For bugs: short, no internals; the details are in the bot's log."""
    message = t(lang, "error.unexpected")
    return finish([section(f":face_with_head_bandage: {message}")], message)
