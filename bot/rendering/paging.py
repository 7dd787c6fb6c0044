"""Where a page of a long answer is, and the "Show more" button that asks for the next one.

Which rows a page holds is `contexta_core.ask.paging`'s (cut on whole rows, never mid-row). The
button's value carries everything the action listener needs to render the next page again from
the database (`kind`, `project`, `page`, the language and, for metric answers, the metric, stage
and direction).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock

from bot.rendering import format as fmt
from bot.rendering.blocks import actions, button
from bot.rendering.i18n import t
from contexta_core.ask.paging import Page

SHOW_MORE = "show_more"


def position(page: Page, lang: str) -> str:
    """ "Showing 26–50 of 5,000" (or nothing when everything fits on one page)."""
    if page.pages == 1:
        return ""
    return t(
        lang,
        "page.position",
        start=fmt.count(page.start + 1, lang),
        end=fmt.count(page.end, lang),
        total=fmt.count(page.total, lang),
    )


def show_more(kind: str, project: str | None, page: Page, lang: str, **extra: Any) -> ActionsBlock:
    value = {"kind": kind, "project": project, "page": page.number + 1, "lang": lang}
    value.update({k: v for k, v in extra.items() if v is not None})
    return actions(button(t(lang, "page.more"), SHOW_MORE, value))
