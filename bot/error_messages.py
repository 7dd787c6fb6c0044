"""What a core error says to a person: the core's message with typed text neutralised, in their language.

The core's English messages already name what was not found and what exists instead; they are
reused as-is once anything the person typed has been replaced by a harmless echo (no mentions,
links or code-span breakouts). Korean gets its own sentence for the common cases.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.rendering import format as fmt
from bot.rendering.i18n import t
from contexta_core.ask.commands import safe_echo
from contexta_core.errors import (
    AmbiguousMetricError,
    ContextaError,
    NotFoundError,
    UnknownMetricError,
    UnknownProjectError,
    UnknownRunError,
)

MAX_CHARS = 600


def describe_error(
    error: ContextaError, lang: str, typed: Iterable[str | None]
) -> tuple[str, tuple[str, ...]]:
    """Safe mrkdwn for `error`, and names to suggest when the message itself does not list them."""
    text = error.message
    for raw in sorted({s for s in typed if s}, key=len, reverse=True):
        text = text.replace(raw, safe_echo(raw))
    detail = fmt.escape(fmt.clip(text, MAX_CHARS))
    if isinstance(error, AmbiguousMetricError):  # say how to name the stage in a command
        return t(
            lang, "error.ambiguous_metric", detail=detail, stage=fmt.code(f"--stage {error.suggestions[0]}")
        ), ()
    if lang == "en":
        return detail, ()
    details = error.details or {}
    suggestions = tuple(getattr(error, "suggestions", ()))
    if isinstance(error, UnknownProjectError) and details.get("project"):
        return t(
            lang, "error.unknown_project", name=fmt.code(safe_echo(str(details["project"])))
        ), suggestions
    if isinstance(error, UnknownRunError) and details.get("missing"):
        return t(lang, "error.unknown_run", name=fmt.code(safe_echo(str(details["missing"][0])))), suggestions
    if isinstance(error, UnknownMetricError):
        return t(lang, "error.unknown_metric", detail=detail), ()
    if isinstance(error, NotFoundError):
        return t(lang, "error.not_found", detail=detail), ()
    return t(lang, "error.generic", detail=detail), ()
