"""`projects`, `runs` and `deployments`: what the workspace holds, oldest first."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from ..formatting import plural
from ..options import Json, Project, RunStatus
from ..output import console, print_json
from ..session import open_workspace
from ..views.tables import deployed_by_run, deployments_table, projects_table, runs_table


def projects(ctx: typer.Context, as_json: Json = False) -> None:
    """List the workspace's projects with their run counts."""
    records = open_workspace(ctx).list_project_records()
    if as_json:
        print_json({"projects": records})
        return
    out = console()
    if not records:
        out.print(Text("No projects yet. Try `contexta demo` for an example.", style="yellow"))
        return
    out.print(projects_table(records))


def runs(
    ctx: typer.Context,
    project: Project,
    status: Annotated[RunStatus | None, typer.Option("--status", help="Only runs with this status.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most this many runs.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many runs first.")] = 0,
    as_json: Json = False,
) -> None:
    """A project's training runs, oldest first, with which of them were deployed."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    wanted = status.value if status else None
    records = contexta.list_runs(name, status=wanted, limit=limit, offset=offset)
    total = contexta.count_runs(name, status=wanted)
    if as_json:
        print_json({"project": name, "status": wanted, "total": total, "offset": offset, "runs": records})
        return
    header = Text.assemble((name, "bold"), f" · {plural(total, f'{wanted} run' if wanted else 'run')}")
    if records and len(records) < total:
        header.append(f" (showing {offset + 1}–{offset + len(records)})", style="dim")
    out = console()
    out.print(header)
    if records:
        deployed = deployed_by_run(contexta.list_deployments(name))
        out.print(runs_table(records, deployed, first_number=offset + 1))


def deployments(ctx: typer.Context, project: Project, as_json: Json = False) -> None:
    """A project's deployments, the live one marked, with each deployed run's metric value."""
    contexta = open_workspace(ctx)
    # The summary is where the core decides which deployment is live; limit=1 keeps the rest small.
    summary = contexta.onboarding_summary(project, limit=1)
    defaults = summary.defaults
    if as_json:
        print_json(
            {
                "project": summary.project.name,
                "metric_key": defaults.metric_key,
                "stage_name": defaults.stage_name,
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
        out.print(deployments_table(summary.deployments, defaults.metric_key))


def register(app: typer.Typer) -> None:
    for command in (projects, runs, deployments):
        app.command()(command)
