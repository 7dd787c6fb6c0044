"""The best run and a metric over time, as short blocks of text."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from contexta_core.render.formatting import trend_missing_note
from contexta_core.results import BestRun, MetricTrend

from ..formatting import format_change, format_date, format_delta, format_value, plural, sparkline
from .tables import new_table

TREND_ROWS = 30  # the table shows the latest runs; the sparkline and --json cover every run


def metric_label(metric_key: str, stage_name: str | None) -> str:
    """``evaluate/accuracy`` (``run/…`` at run level), like the report's column labels."""
    return f"{stage_name or 'run'}/{metric_key}"


def direction(higher_is_better: bool) -> str:
    return "higher is better" if higher_is_better else "lower is better"


def best_text(best: BestRun, *, criteria: bool = True) -> Text:
    """Winner and value (and what it was judged by), then its margin over the runner-up."""
    text = Text.assemble((best.run_name, "bold"), "  ", (format_value(best.value), "bold cyan"))
    if criteria:
        label = metric_label(best.metric_key, best.stage_name)
        text.append(f"  {label} ({best.aggregation}), {direction(best.higher_is_better)}", "dim")
    if best.runner_up_run_name is None:
        return text.append("\nthe only run that recorded this metric", style="dim")
    runner = Text.assemble((best.runner_up_run_name, "bold"), f" ({format_value(best.runner_up_value)})")
    if best.margin == 0:
        return text.append("\ntied with ").append_text(runner).append("; the earlier run wins ties")
    text.append("\n").append(format_delta(best.margin), "green").append(" ahead of the runner-up, ")
    return text.append_text(runner)


def verdict(change: float, higher_is_better: bool) -> Text:
    """Whether a change is for the better, judged the way the metric is read."""
    if change == 0:
        return Text("unchanged", style="dim")
    return Text("better", style="green") if (change > 0) == higher_is_better else Text("worse", style="red")


def trend_text(trend: MetricTrend, higher_is_better: bool = True) -> Text:
    """Sparkline, first → last and whether that is better, or what is missing when no run recorded
    the metric."""
    first, last = trend.first, trend.last
    if first is None or last is None:
        return Text(f"no run recorded {metric_label(trend.metric_key, trend.stage_name)}", style="yellow")
    text = Text.assemble(
        (sparkline(trend.values), "cyan"),
        "  ",
        (format_change(first.value, last.value), "bold"),
        "  ",
        verdict(last.value - first.value, higher_is_better),
    )
    span = f"{format_date(first.started_at)} → {format_date(last.started_at)}"
    text.append(f"\n{plural(len(trend.points), 'run')}, {span}, {first.run_name} → {last.run_name}", "dim")
    if note := trend_missing_note(trend):
        text.append(f"\n{note}", style="yellow")
    return text


def trend_table(trend: MetricTrend, rows: int = TREND_ROWS) -> Table:
    """The latest ``rows`` points with the change from the run before each."""
    table = new_table(
        "run", "started", metric_label(trend.metric_key, trend.stage_name), "change", "deployed"
    )
    table.columns[2].justify = table.columns[3].justify = "right"
    points = trend.points
    start = max(0, len(points) - rows)
    for index in range(start, len(points)):
        point = points[index]
        change = point.value - points[index - 1].value if index else None
        table.add_row(
            Text(point.run_name, style="bold"),
            format_date(point.started_at),
            format_value(point.value),
            "" if change is None else format_delta(change),
            Text(", ".join(point.deployments)),
        )
    if start:
        table.caption = f"the latest {rows} of {len(points)} runs"
    return table


def notes_text(notes: Sequence[str]) -> Group:
    return Group(*(Text(f"note: {note}", style="yellow") for note in notes))
