"""How a metric value, a change and a trend read, everywhere: reports, charts, the terminal and Slack.

One definition so `0.902`, `+0.008` and `▁▃▄▆▇█` look the same in every surface.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import MetricTrend


def format_value(value: float | None) -> str:
    """Numbers as people read them in a table: 0.902, 12.5, 1.2e-05; `—` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    return f"{value:.3g}"


def format_delta(delta: float | None) -> str:
    """A signed change: +0.081, -0.004, ±0."""
    if delta is None:
        return "—"
    magnitude = format_value(abs(delta))
    if magnitude == "0":
        return "±0"
    return ("+" if delta > 0 else "-") + magnitude


SPARK_CHARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 40  # with first → last and the change, one 80-column line or one chat line


def sparkline(values: Sequence[float | None], width: int = SPARK_WIDTH) -> str:
    """A trend in one line of ``▁▂▃▄▅▆▇█`` scaled to its range: the same picture in every surface.

    Longer series are averaged into ``width`` buckets, so every run counts (sampling would drop
    all but ``width`` of them). Missing and NaN values are skipped; a flat series sits mid-height."""
    points = [v for v in values if v is not None and not math.isnan(v)]
    if len(points) > width:
        size = len(points) / width
        buckets = (points[int(i * size) : max(int((i + 1) * size), int(i * size) + 1)] for i in range(width))
        points = [sum(bucket) / len(bucket) for bucket in buckets]
    if not points:
        return ""
    low, high = min(points), max(points)
    top = len(SPARK_CHARS) - 1
    if high == low:
        return SPARK_CHARS[round(top / 2)] * len(points)
    return "".join(SPARK_CHARS[round((v - low) / (high - low) * top)] for v in points)


MAX_NAMES_IN_A_NOTE = 10


def missing_runs_note(label: str, missing_count: int, names: Sequence[str]) -> str:
    """ "2 run(s) have no evaluate/acc: b, c" (files and the terminal; Slack words it from its catalog):
    ``names`` are the first few of the ``missing_count`` runs, the rest are counted."""
    shown = list(names[:MAX_NAMES_IN_A_NOTE])
    tail = f" and {missing_count - len(shown)} more" if missing_count > len(shown) else ""
    return f"{missing_count} run(s) have no {label}: {', '.join(shown)}{tail}"


def trend_missing_note(trend: MetricTrend) -> str | None:
    """The note on the runs a trend has no point for, or None when every run has one."""
    if not trend.missing_run_count:
        return None
    label = f"{trend.stage_name}/{trend.metric_key}" if trend.stage_name else trend.metric_key
    return missing_runs_note(label, trend.missing_run_count, trend.missing_run_names)
