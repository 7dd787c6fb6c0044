"""Tables of stored history: projects, runs and deployments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from contexta_core.results import DeploymentAnswer, DeploymentRecord, ProjectRecord, RunRecord

from ..formatting import format_date, format_value

LIVE = Text("● live", style="bold green")
BEST = Text("★ best", style="bold yellow")


def new_table(*columns: str) -> Table:
    """The one table style: a rule under the header, no outer border, no edge padding."""
    return Table(*columns, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def deployed_by_run(deployments: Iterable[DeploymentRecord]) -> dict[str, list[str]]:
    """run id → the names of its deployments, in the order they happened."""
    names: dict[str, list[str]] = defaultdict(list)
    for deployment in deployments:
        if deployment.run_id:
            names[deployment.run_id].append(deployment.name)
    return names


def projects_table(projects: Sequence[ProjectRecord]) -> Table:
    table = new_table("project", "runs", "last run", "description")
    table.columns[1].justify = "right"
    for project in projects:
        table.add_row(
            Text(project.name, style="bold"),
            str(project.run_count),
            format_date(project.last_run_at),
            Text(project.description or "", style="dim"),
        )
    return table


def runs_table(
    runs: Sequence[RunRecord],
    deployed: Mapping[str, Sequence[str]],
    *,
    live_run_id: str | None = None,
    first_number: int = 1,
    metric: str | None = None,
    values: Mapping[str, float] | None = None,
    best_run_id: str | None = None,
) -> Table:
    """One row per run, numbered from ``first_number``; deployed runs carry ✓ and their deployments.
    With ``metric`` (its column label), each run's value from ``values`` and the best run marked."""
    headers = ["#", "run", "started", "status", *([metric] if metric else []), "deployed", ""]
    table = new_table(*headers)
    table.columns[0].justify = "right"
    table.columns[0].style = "dim"
    table.columns[-1].no_wrap = True
    if metric:
        table.columns[4].justify = "right"
        table.columns[4].min_width = len(metric)  # the deployments column wraps first
    for number, run in enumerate(runs, start=first_number):
        names = deployed.get(run.run_id)
        mark = Text.assemble(("✓ ", "green"), ", ".join(names)) if names else Text()
        value = [format_value((values or {}).get(run.run_id))] if metric else []
        marks = [m for m, on in ((LIVE, run.run_id == live_run_id), (BEST, run.run_id == best_run_id)) if on]
        table.add_row(
            str(number),
            Text(run.name, style="bold"),
            format_date(run.started_at),
            run.status,
            *value,
            mark,
            Text(" ").join(marks),
        )
    return table


def deployments_table(
    answers: Sequence[DeploymentAnswer], metric_key: str, *, best_run_id: str | None = None
) -> Table:
    """One row per deployment, oldest first, with the deployed run's value of the project metric;
    the live one marked, and the one that shipped the project's best run."""
    table = new_table("deployment", "run", "deployed", "status", metric_key, "")
    table.columns[4].justify = "right"
    table.columns[5].no_wrap = True
    for answer in answers:
        deployment = answer.deployment
        marks = [m for m, on in ((LIVE, answer.is_live), (BEST, deployment.run_id == best_run_id)) if on]
        table.add_row(
            Text(deployment.name, style="bold"),
            Text(deployment.run_name or "—"),
            format_date(deployment.started_at),
            deployment.status,
            format_value(answer.metric_value),
            Text("\n").join(marks),  # one per line: the names keep their width at 80 columns
        )
    return table
