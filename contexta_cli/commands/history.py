"""`projects`, `runs` and `deployments`: what the workspace holds, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.text import Text

from contexta_core import Contexta
from contexta_core.errors import UnknownMetricError, UnknownStageError
from contexta_core.importers.detect import pending_import
from contexta_core.results import MetricScope, RunRecord

from ..formatting import plural
from ..options import Direction, Json, Metric, Project, RunStatus, Stage
from ..output import console, print_json
from ..session import open_workspace
from ..views.answers import direction, metric_label
from ..views.tables import deployed_by_run, deployments_table, projects_table, runs_table


def projects(ctx: typer.Context, as_json: Json = False) -> None:
    """List the workspace's projects with their run counts."""
    records = open_workspace(ctx).list_project_records()
    if as_json:
        print_json({"projects": records})
        return
    out = console()
    if not records:
        pending = pending_import(open_workspace(ctx))
        if pending is not None:  # the original library's history is right here
            out.print(
                Text(
                    f"This folder holds a Contexta 1.x workspace that is not imported yet: {pending.command}",
                    style="yellow",
                )
            )
            return
        out.print(Text("No projects yet. Try `contexta demo` for an example.", style="yellow"))
        return
    out.print(projects_table(records))


TABLE_RUNS = 50


def runs(
    ctx: typer.Context,
    project: Project,
    status: Annotated[RunStatus | None, typer.Option("--status", help="Only runs with this status.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            help=f"At most this many runs [default: all; in a table the latest {TABLE_RUNS} when there are more].",
            show_default=False,
        ),
    ] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many runs first.")] = 0,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    as_json: Json = False,
) -> None:
    """A project's training runs, oldest first, with their metric value, the best run and which of
    them were deployed."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    wanted = status.value if status else None
    total = contexta.count_runs(name, status=wanted)
    latest_only = not as_json and limit is None and offset == 0 and total > TABLE_RUNS
    if latest_only:  # a terminal table of 100,000 rows takes a minute and helps nobody
        limit, offset = TABLE_RUNS, total - TABLE_RUNS
    records = contexta.list_runs(name, status=wanted, limit=limit, offset=offset)
    scored = _run_metric(contexta, name, metric, stage, higher_is_better)
    if as_json:
        print_json(
            {"project": name, "status": wanted, "total": total, "offset": offset, "runs": records}
            | ({"metric": scored.as_json(records)} if scored else {})
        )
        return
    header = Text.assemble((name, "bold"), f" · {plural(total, f'{wanted} run' if wanted else 'run')}")
    if records and len(records) < total and not latest_only:  # (the note under the table says it then)
        header.append(f" (showing {offset + 1:,}–{offset + len(records):,})", style="dim")
    if scored and records:
        header.append(f" · {scored.label}, {direction(scored.scope.higher_is_better)}", style="dim")
    out = console()
    out.print(header)
    if records:
        deployed = deployed_by_run(contexta.list_deployments(name))
        columns = (
            {"metric": scored.scope.metric_key, "values": scored.values, "best_run_id": scored.best_run_id}
            if scored
            else {}
        )
        out.print(runs_table(records, deployed, first_number=offset + 1, **columns))
        if latest_only:
            note = f"the latest {TABLE_RUNS} of {total:,} runs (--limit, --offset, --json for more)"
            out.print(Text(note, style="dim"))


@dataclass(frozen=True)
class RunMetric:
    """Each run's value of the metric a `runs` listing shows, and the project's best run by it."""

    scope: MetricScope
    values: dict[str, float]
    best_run_id: str | None

    @property
    def label(self) -> str:
        return metric_label(self.scope.metric_key, self.scope.stage_name)

    def as_json(self, records: Sequence[RunRecord]) -> dict[str, Any]:
        return {
            "metric_key": self.scope.metric_key,
            "stage_name": self.scope.stage_name,
            "higher_is_better": self.scope.higher_is_better,
            "best_run_id": self.best_run_id,
            "values": {run.run_id: self.values.get(run.run_id) for run in records},
        }


def _run_metric(
    contexta: Contexta, name: str, metric: str | None, stage: str | None, higher_is_better: bool | None
) -> RunMetric | None:
    """None when the project records no such metric and none was asked for by name."""
    try:
        wanted, trend = contexta.resolve_scope(name, metric, stage, higher_is_better)
    except (UnknownMetricError, UnknownStageError):
        if metric is not None or stage is not None:
            raise
        return None
    if not trend.points:
        return None
    best = contexta.best_run(
        name, wanted.metric_key, stage_name=wanted.stage_name, higher_is_better=wanted.higher_is_better
    )
    return RunMetric(
        wanted, dict(zip(trend.points.run_ids, trend.values, strict=True)), best.run_id if best else None
    )


def deployments(
    ctx: typer.Context,
    project: Project,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    as_json: Json = False,
) -> None:
    """A project's deployments, the live one marked, with each deployed run's metric value."""
    contexta = open_workspace(ctx)
    # The summary is where the core decides which deployment is live; limit=1 keeps the rest small.
    summary = contexta.onboarding_summary(project, metric, stage, higher_is_better, limit=1)
    scope = summary.scope
    best_run_id = summary.best.run_id if summary.best else None
    if as_json:
        print_json(
            {
                "project": summary.project.name,
                "metric_key": scope.metric_key,
                "stage_name": scope.stage_name,
                "higher_is_better": scope.higher_is_better,
                "best_run_id": best_run_id,
                "live": summary.live,
                "deployments": summary.deployments,
            }
        )
        return
    count = len(summary.deployments)
    header = Text.assemble((summary.project.name, "bold"), f" · {plural(count, 'deployment')}")
    if summary.live is not None:
        live = summary.live.deployment
        header.append(f" · live: {live.name} → {live.run_name or '?'}")
    out = console()
    out.print(header)
    if count:
        out.print(deployments_table(summary.deployments, scope.metric_key, best_run_id=best_run_id))


def register(app: typer.Typer) -> None:
    for command in (projects, runs, deployments):
        app.command()(command)
