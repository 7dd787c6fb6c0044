"""`report`: the full multi-run report over every run of a project, written to a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from contexta_core.render.files import export_project_report

from ..options import Direction, Json, Metric, Project, Stage
from ..output import console, print_json, write_file
from ..session import open_workspace


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    csv = "csv"
    html = "html"


def report(
    ctx: typer.Context,
    project: Project,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="File format.")] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write [default: ./<project>-report.<format>].", dir_okay=False
        ),
    ] = None,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    as_json: Json = False,
) -> None:
    """Write the multi-run report comparing every run of the project, and say where.

    Every metric is in the report; --metric/--stage choose the one the HTML chart follows and
    --lower-is-better/--higher-is-better which way its best run is marked."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    exported = export_project_report(
        contexta, name, fmt.value, metric=metric, stage=stage, higher_is_better=higher_is_better
    )
    path = write_file(output or Path(exported.filename), exported.content)
    if as_json:
        print_json({"project": name, "title": exported.title, "format": fmt.value, "path": str(path)})
        return
    console().print(
        Text.assemble("Wrote ", (exported.title, "bold"), f" ({fmt.value}) to ", (str(path), "cyan")),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
