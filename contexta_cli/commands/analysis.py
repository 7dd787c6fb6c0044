"""`best`, `trend` and `compare`: which run wins, how a metric moved, how two runs differ."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from contexta_core.render.files import trend_chart

from ..options import Aggregation, Direction, Json, Metric, Project, Stage
from ..output import console, print_json, write_file
from ..session import open_workspace
from ..views.answers import best_text, metric_label, trend_table, trend_text
from ..views.comparison import comparison_view

RunId = Annotated[
    str,
    typer.Argument(metavar="RUN", help="Run id (run:project.name) or a unique run name.", show_default=False),
]


def best(
    ctx: typer.Context,
    project: Project,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    aggregation: Annotated[
        Aggregation, typer.Option("--aggregation", "-a", help="How a run's repeated values count.")
    ] = Aggregation.latest,
    as_json: Json = False,
) -> None:
    """The project's best run by a metric, its margin over the runner-up, and where it was deployed."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    wanted, _ = contexta.resolve_scope(name, metric, stage, higher_is_better, aggregation.value)
    result = contexta.best_run(
        name,
        wanted.metric_key,
        stage_name=wanted.stage_name,
        higher_is_better=wanted.higher_is_better,
        aggregation=wanted.aggregation,
    )
    deployed = contexta.list_deployments(name, run_id=result.run_id) if result else ()
    if as_json:  # `null` only if the metric exists but no run has a value for it
        deployments = [d.name for d in deployed]
        print_json(result, margin=result.margin if result else None, deployments=deployments)
        return
    out = console()
    if result is None:
        out.print(
            Text(f"no run recorded {metric_label(wanted.metric_key, wanted.stage_name)}", style="yellow")
        )
        return
    out.print(best_text(result))
    names = ", ".join(d.name for d in deployed)
    out.print(
        Text.assemble(("deployed as ", "dim"), (names, "green")) if names else Text("never deployed", "dim")
    )


def trend(
    ctx: typer.Context,
    project: Project,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the chart to this PNG file.", dir_okay=False)
    ] = None,
    as_json: Json = False,
) -> None:
    """A metric over time: one value per run in start order, with a sparkline and the change."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    wanted, result = contexta.resolve_scope(name, metric, stage, higher_is_better)
    if png is not None:
        chart = trend_chart(contexta, wanted, result)
        write_file(png, chart.content)
        if not as_json:
            console().print(f"Chart written to {png.expanduser().resolve()}", soft_wrap=True, highlight=False)
    if as_json:
        print_json(result, change=result.change, higher_is_better=wanted.higher_is_better)
        return
    out = console()
    out.print(trend_text(result, wanted.higher_is_better))
    if result.points:
        out.print(trend_table(result))


def compare(ctx: typer.Context, left: RunId, right: RunId, as_json: Json = False) -> None:
    """Two runs side by side: every stage's metrics and the change from the first to the second."""
    result = open_workspace(ctx).compare_runs(left, right)
    if as_json:
        print_json(result)
        return
    console().print(comparison_view(result))


def register(app: typer.Typer) -> None:
    for command in (best, trend, compare):
        app.command()(command)
