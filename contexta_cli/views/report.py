"""The multi-run report's comparison table, compact enough for a terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from contexta_core.results import MetricColumn, ReportTable

from ..formatting import format_value, plural
from .tables import new_table

MAX_METRIC_COLUMNS = 4


def ordered_columns(table: ReportTable, primary_label: str | None) -> list[MetricColumn]:
    """The primary metric first, then the others in report order, at most ``MAX_METRIC_COLUMNS``."""
    columns = sorted(table.columns, key=lambda c: c.label != primary_label)
    return columns[:MAX_METRIC_COLUMNS]


def report_table(table: ReportTable, primary_label: str | None = None) -> Table:
    """Runs in the table's order; each column's best value is starred (★)."""
    columns = ordered_columns(table, primary_label)
    shown = new_table("run", *(c.label for c in columns), "deployed")
    for column in shown.columns[1 : 1 + len(columns)]:
        column.justify = "right"
        column.min_width = len(str(column.header))  # let the deployments wrap, not the metric names
    for i, name in enumerate(table.run_names):
        cells = []
        for column in columns:
            value = format_value(column.values[i])
            cells.append(Text(f"★ {value}", style="bold green") if column.best_index == i else Text(value))
        deployed = ", ".join(table.deployed[i]) if table.deployed else ""
        shown.add_row(Text(name, style="bold"), *cells, Text(deployed))
    hidden = len(table.columns) - len(columns)
    if hidden:
        shown.caption = f"{plural(hidden, 'more metric column')} in the full report"
    return shown
