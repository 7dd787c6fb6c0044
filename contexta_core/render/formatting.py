"""How a metric value and a change read, everywhere: reports, charts, the terminal and Slack.

One definition so `0.902` and `+0.008` look the same in every surface.
"""

from __future__ import annotations

import math


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
