"""How numbers, changes, dates and series look in the terminal, the same in every command.

Values, changes and sparklines are the core's ``format_value``/``format_delta``/``sparkline``
(0.902, +0.081, ▁▃▄▆▇█), so the terminal, the reports and the bot print a metric identically.
"""

from __future__ import annotations

from datetime import datetime

from contexta_core.render.formatting import format_delta, format_value, sparkline

__all__ = ["format_change", "format_date", "format_delta", "format_value", "plural", "sparkline"]


def format_change(first: float, last: float) -> str:
    """``0.821 → 0.902 (+0.081)``."""
    return f"{format_value(first)} → {format_value(last)} ({format_delta(last - first)})"


def plural(count: int, noun: str) -> str:
    """``1 run``, ``6 runs``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def format_date(moment: datetime | None) -> str:
    """Run and deployment dates in UTC (the zone the store keeps)."""
    return moment.strftime("%Y-%m-%d") if moment is not None else "—"
