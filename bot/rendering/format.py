"""How numbers, dates and user text look in Slack: one place, so every answer reads the same.

Values are shown as people read them in a table (0.902, 12.5, 1.2e-05), changes always carry a
sign (+0.008), dates are UTC days (2025-04-18), a trend is the core's sparkline (▁▃▄▆▇█).
Anything that came from a person or the database passes through `escape` before it reaches
mrkdwn, so it can never ping or link.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from bot.rendering.i18n import number as localized_number
from contexta_core.render.formatting import SPARK_WIDTH as SPARK_WIDTH
from contexta_core.render.formatting import format_delta, format_value
from contexta_core.render.formatting import sparkline as sparkline  # the terminal's too: one picture

NAME_WIDTH = 60


number = format_value  # a metric value; `—` when missing
delta = format_delta  # a signed change: +0.081, -0.004, ±0


def count(value: int, lang: str = "en") -> str:
    """A whole number with the language's digit grouping (1,234)."""
    return localized_number(value, lang)


def day(moment: datetime | str | None) -> str:
    """YYYY-MM-DD in UTC (naive datetimes are taken as UTC)."""
    if moment is None:
        return "—"
    if isinstance(moment, str):
        return moment[:10]
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d")


def duration(seconds: float | None) -> str:
    """3h 0m, 12m 5s, 40s; `—` while a run is still open."""
    if seconds is None or seconds < 0:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {secs}s"
    return f"{secs}s"


def escape(text: object) -> str:
    """Neutralise Slack's control characters (&, <, >) so text cannot mention, link or ping."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: object, width: int = NAME_WIDTH) -> str:
    """Text as an inline code span: escaped, shortened, with backticks removed so it cannot break out."""
    cleaned = " ".join(str(text).replace("`", "ˋ").split())
    return f"`{escape(clip_name(cleaned, width))}`"


def width(text: str) -> int:
    """Columns `text` takes in a monospace font (Hangul and other wide characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """Left-aligned in `columns` monospace columns (for ``` tables with Korean headers)."""
    return text + " " * max(0, columns - width(text))


def clip(text: str, width: int) -> str:
    """Shorten to `width` characters with an ellipsis at the end (prose, never table rows)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def clip_name(name: str, width: int = NAME_WIDTH) -> str:
    """Shorten a name in the middle: run names often share a long prefix and differ at the end."""
    if len(name) <= width:
        return name
    tail = (width - 1) // 2
    return name[: width - 1 - tail] + "…" + name[-tail:]
