"""`report`: the full multi-run report over every run of a project, written to a file."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from contexta_core.errors import QueryError
from contexta_core.reports import ReportDocument

from ..errors import FAILED_EXIT, fail
from ..options import Json, Project
from ..output import console, print_json
from ..session import open_workspace


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    csv = "csv"


RENDERERS = {
    ReportFormat.md: ReportDocument.to_markdown,
    ReportFormat.json: lambda document: document.to_json() + "\n",
    ReportFormat.csv: ReportDocument.to_csv,
}


def default_path(project: str, fmt: ReportFormat) -> Path:
    """``./<project>-report.<ext>``, with anything unsafe in a file name replaced by ``-``."""
    return Path(f"{re.sub(r'[^A-Za-z0-9._-]+', '-', project)}-report.{fmt.value}")


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
    as_json: Json = False,
) -> None:
    """Write the multi-run report comparing every run of the project, and say where."""
    contexta = open_workspace(ctx)
    name = contexta.resolve_project_name(project)
    run_ids = [run.run_id for run in contexta.list_runs(name)]
    if not run_ids:
        raise QueryError(f"project `{name}` has no runs yet, so there is nothing to report")
    document = contexta.build_multi_run_report(run_ids)
    path = (output or default_path(name, fmt)).expanduser().resolve()
    try:
        path.write_text(RENDERERS[fmt](document), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write the report to {path}: {exc.strerror or exc}", exit_code=FAILED_EXIT)
    if as_json:
        print_json({"project": name, "title": document.title, "format": fmt.value, "path": str(path)})
        return
    console().print(
        Text.assemble("Wrote ", (document.title, "bold"), f" ({fmt.value}) to ", (str(path), "cyan")),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
