"""What a core error says to a person in Slack: the catalog's sentence for its code, in their language.

A ``ContextaError`` carries a ``code`` and the ``details`` that fill its sentence
(``error.<code>`` in ``bot.rendering.catalog``); the closest names, or the known ones, follow as
the catalog words them. Every value that came from a person or the workspace is echoed safely
(no mentions, links or code-span breakouts). An error raised with only its family's code
(``invalid_query`` …) or a code the catalog does not know yet reads as the core's English message
in English, and as a whole Korean sentence (the family's, or one naming the code) in Korean.

A ``CommandError`` (a command that did not parse, a stale button) is worded the same way from
``command_error.<code>``; its details are already safe-echoed by the grammar.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.rendering import format as fmt
from bot.rendering.i18n import has, t
from contexta_core.ask.commands import CommandError, safe_echo
from contexta_core.errors import AmbiguousMetricError, ContextaError

MAX_CHARS = 600
HINT_KEYS = ("kind", "suggestions", "known", "known_more")  # details that become the sentence's tail
LIST_SHOWN = 10
USAGE_WIDTH = 200  # a command's usage line is longer than a name; typed text is clipped by `safe_echo`
# Codes that name only an error's family: the sentence for them is general, the core's message is not.
FAMILY_CODES = frozenset(
    {"contexta_error", "validation_error", "invalid_config", "not_found", "integrity_violation"}
    | {"invalid_query", "invalid_schedule"}
)


def describe_error(
    error: ContextaError, lang: str, typed: Iterable[str | None] = ()
) -> tuple[str, tuple[str, ...]]:
    """Safe mrkdwn for ``error``, and names to offer when the sentence itself does not list them."""
    details = error.details or {}
    key = f"error.{error.code}"
    if not has(key) or (lang == "en" and error.code in FAMILY_CODES):
        return _unknown_code(error, lang, typed), tuple(getattr(error, "suggestions", ()))
    values = {name: _value(value, lang) for name, value in details.items() if name not in HINT_KEYS}
    if isinstance(error, AmbiguousMetricError) and error.suggestions:  # how to name the stage here
        values["example"] = fmt.code(f"--stage {error.suggestions[0]}")
    suggestions = list(details.get("suggestions") or getattr(error, "suggestions", ()))
    listed = [value for name, value in details.items() if name not in HINT_KEYS and isinstance(value, list)]
    if suggestions in listed:
        suggestions = []  # the sentence lists them already (the stages of an ambiguous metric, …)
    text = t(lang, key, **values) + _hint_tail(details, suggestions, lang)
    if error.code == "unknown_run" and (details.get("missing_count") or 0) > 1:
        text += t(lang, "error.unknown_run_count", count=details["missing_count"])
    return fmt.clip(text, MAX_CHARS), ()  # every catalog sentence names what to try itself


def describe_command_error(error: CommandError, lang: str) -> str:
    """Safe mrkdwn for a command that did not parse: its ``command_error.<code>`` sentence in ``lang``.

    Names and usages read as code spans, a list of ``suggestions`` as "`a` or `b`", other lists
    comma-separated; numbers as typed (``5000 characters``). A code the catalog does not know yet
    reads as the grammar's English message in English and as a general Korean sentence in Korean.
    """
    key = f"command_error.{error.code}"
    if error.code == "bad_command" or not has(key):
        return fmt.escape(error.message) if lang == "en" else t(lang, "command_error.bad_command")
    values = {name: _command_value(name, value, lang) for name, value in error.details.items()}
    return t(lang, key, **values)


def _command_value(name: str, value: object, lang: str) -> object:
    if name == "count" and isinstance(value, int):
        return value  # `t` picks the plural form by it and writes it the language's way
    if isinstance(value, list | tuple):
        separator = t(lang, "error.or") if name == "suggestions" else ", "
        return separator.join(fmt.code(v, USAGE_WIDTH) for v in value)
    if isinstance(value, int | float):
        return str(value)
    return fmt.code(value, USAGE_WIDTH)


def _value(value: object, lang: str) -> str:
    """A detail as it reads in a sentence: names in code spans, numbers in the language's digits."""
    if value is None:
        return t(lang, "best.run_level")
    if isinstance(value, bool):
        return fmt.code(str(value).lower())
    if isinstance(value, int | float):
        return fmt.count(value, lang) if isinstance(value, int) else fmt.number(value)
    if isinstance(value, list | tuple):
        shown = ", ".join(fmt.code(safe_echo(str(v)), 80) for v in value[:LIST_SHOWN])
        more = len(value) - LIST_SHOWN
        return shown + (t(lang, "error.known_more", count=more) if more > 0 else "") or "—"
    return fmt.code(safe_echo(str(value)), 80)


def _hint_tail(details: dict, suggestions: list[str], lang: str) -> str:
    """ "; did you mean `x`?" / "; known metrics: …" / " (there are no stages yet)" in ``lang``."""
    kind = details.get("kind")
    if suggestions:
        names = t(lang, "error.or").join(fmt.code(safe_echo(s), 80) for s in suggestions)
        return t(lang, "error.suggest", names=names)
    if kind is None:
        return ""
    kinds = t(lang, f"error.kinds.{kind}") if has(f"error.kinds.{kind}") else fmt.escape(kind)
    known = details.get("known") or []
    if not known:
        return t(lang, "error.none_yet", kinds=kinds)
    more = details.get("known_more") or 0
    return t(
        lang,
        "error.known",
        kinds=kinds,
        names=", ".join(fmt.code(safe_echo(str(n)), 80) for n in known),
        more=t(lang, "error.known_more", count=more) if more else "",
    )


def _unknown_code(error: ContextaError, lang: str, typed: Iterable[str | None]) -> str:
    if lang != "en":
        if has(f"error.{error.code}"):
            return t(lang, f"error.{error.code}")
        return t(lang, "error.unknown_code", code=fmt.escape(error.code))
    text = error.message
    for raw in sorted({s for s in typed if s}, key=len, reverse=True):
        text = text.replace(raw, safe_echo(raw))
    return fmt.escape(fmt.clip(text, MAX_CHARS))
