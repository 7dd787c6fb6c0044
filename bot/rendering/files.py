"""What is said around an answer's files: the comment they are uploaded with, and the note when they are not.

Files (a trend chart, the report as Markdown and HTML) are extras: an answer is complete without
them. So a failed upload is reported as one short line in the person's language, with the
likely cause when Slack told us (a missing `files:write`, a channel the bot is not in), never as
an error reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.rendering import format as fmt
from bot.rendering.blocks import MAX_BLOCKS, Rendered, context, finish, section
from bot.rendering.i18n import t
from contexta_core.render.files import ExportedFile

# Slack error codes (and our own "network"/"internal") grouped by what a person can do about them.
_SCOPE_ERRORS = frozenset({"missing_scope", "not_allowed_token_type", "no_permission", "access_denied"})
_CHANNEL_ERRORS = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "invalid_channel"}
)


def file_kind(files: Sequence[ExportedFile]) -> str:
    """ "chart" when every file is an image, else "report" (the words used about them)."""
    return "chart" if files and all(f.mime.startswith("image/") for f in files) else "report"


def files_comment(files: Sequence[ExportedFile], lang: str) -> str:
    """The upload's initial comment: what the files are (titles come from the core; escaped here)."""
    title = fmt.escape(files[0].title) if files else ""
    if any(f.filename.endswith((".csv", ".csv.gz")) for f in files):  # a large report's summary and table
        return t(lang, "files.report_summary", title=title)
    return t(lang, f"files.{file_kind(files)}", title=title)


def file_note(kind: str, error: str, lang: str) -> str:
    """ "The chart could not be attached: <why>." for a failure code (a Slack error, "network", "internal").

    `kind` is "chart" or "report" (see `file_kind`).
    """
    if error in _SCOPE_ERRORS:
        reason = t(lang, "files.reason.scope")
    elif error in _CHANNEL_ERRORS:
        reason = t(lang, "files.reason.channel")
    elif error in ("network", "internal"):
        reason = t(lang, f"files.reason.{error}")
    else:
        reason = t(lang, "files.reason.slack", error=fmt.escape(fmt.clip(error, 60)))
    return t(lang, f"files.failed.{kind}", reason=reason)


def add_note(text: str, blocks: Sequence[dict[str, Any]], note: str) -> tuple[str, list[dict[str, Any]]]:
    """The answer's fallback text and blocks with `note` as a last context line (within the block limit).

    A text-only answer (a file's caption) gets its text as a section first, or Slack would show only the note.
    """
    kept = list(blocks)[: MAX_BLOCKS - 1] or [section(text).to_dict()]
    return f"{text}\n{note}", [*kept, context(note).to_dict()]


def render_building(kind: str, project: str, runs: int, lang: str) -> Rendered:
    """ "Building the full report of `bench` (100,000 runs)…": `kind` is "answer", "report" or "chart"."""
    message = t(lang, f"building.{kind}", project=fmt.code(project), runs=fmt.count(runs))
    return finish([section(message)], message)


def built_note(kind: str, project: str, seconds: float, lang: str) -> str:
    """What a "building…" note about files says once they are uploaded (`kind`: "report" or "chart")."""
    return t(lang, f"built.{kind}", project=fmt.code(project), seconds=f"{seconds:.1f}")
