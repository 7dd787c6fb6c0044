"""How numbers, changes, dates and series look in the terminal, the same in every command.

Values and changes use the core's ``format_value``/``format_delta`` (0.902, +0.081), so the
terminal, the reports and the bot print a metric identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from contexta_core.formatting import format_delta, format_value

__all__ = ["format_change", "format_date", "format_delta", "format_value", "plural", "sparkline"]

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 40  # with first → last (change) and the verdict, one 80-column line


def format_change(first: float, last: float) -> str:
    """``0.821 → 0.902 (+0.081)``."""
    return f"{format_value(first)} → {format_value(last)} ({format_delta(last - first)})"


def plural(count: int, noun: str) -> str:
    """``1 run``, ``6 runs``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def format_date(moment: datetime | None) -> str:
    """Run and deployment dates in UTC (the zone the store keeps)."""
    return moment.strftime("%Y-%m-%d") if moment is not None else "—"


def sparkline(values: Sequence[float], width: int = SPARK_WIDTH) -> str:
    """One bar per value, lowest ▁ to highest █; long series are sampled evenly (ends kept)."""
    if not values:
        return ""
    if len(values) > width:
        step = (len(values) - 1) / (width - 1)
        values = [values[round(i * step)] for i in range(width)]
    low, high = min(values), max(values)
    if high == low:
        return SPARK_BARS[len(SPARK_BARS) // 2] * len(values)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((v - low) / (high - low) * top)] for v in values)
