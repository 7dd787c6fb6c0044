"""Two runs side by side: every stage's metrics with the change from left to right."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from contexta_core.results import DeploymentRecord, RunComparison

from ..formatting import format_date, format_delta, format_value, plural
from .answers import metric_label
from .tables import new_table


def _deployed(deployments: tuple[DeploymentRecord, ...]) -> Text:
    names = ", ".join(d.name for d in deployments)
    return Text(names) if names else Text("never", style="dim")


def comparison_table(comparison: RunComparison) -> Table:
    left, right = comparison.left_run, comparison.right_run
    table = new_table("metric", left.name, right.name, "change", "")
    for column in table.columns[1:4]:
        column.justify = "right"
    table.add_row(
        Text("started", style="dim"), format_date(left.started_at), format_date(right.started_at), "", ""
    )
    table.add_row(Text("status", style="dim"), left.status, right.status, "", "")
    deployed = (_deployed(comparison.left_deployments), _deployed(comparison.right_deployments))
    table.add_row(Text("deployed", style="dim"), *deployed, "", "")
    for stage in comparison.stage_comparisons:
        for delta in stage.metric_deltas:
            ratio = delta.change_ratio
            table.add_row(
                Text(metric_label(delta.metric_key, stage.stage_name)),
                format_value(delta.left_value),
                format_value(delta.right_value),
                format_delta(delta.delta),
                Text(f"{ratio:+.1%}" if ratio is not None else "", style="dim"),
            )
    return table


def comparison_view(comparison: RunComparison) -> Group:
    stages = comparison.stage_comparisons
    deltas = sum(len(stage.metric_deltas) for stage in stages)
    about = (
        f"Compared {comparison.left_run.name} and {comparison.right_run.name}: "
        f"{plural(len(stages), 'stage row')}, {plural(deltas, 'metric delta')}."
    )
    return Group(Text(about, style="dim"), comparison_table(comparison))
