"""`import contexta|mlflow|tensorboard`: bring a team's existing run history into the workspace.

The importers live in ``contexta_core.importers``; this module only parses, shows a progress bar
on long imports, prints the summary and, with ``--watch``, keeps importing until Ctrl+C.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from contexta_core.importers import ImportSummary, open_importer, run_import, watch
from contexta_core.importers.errors import ImportSourceError

from ..errors import FAILED_EXIT, fail
from ..formatting import plural
from ..options import Json
from ..output import console, print_json
from ..session import open_workspace

RETRYABLE = ("import_source_locked", "import_extra_missing")  # the request was fine; the moment was not

import_app = typer.Typer(
    name="import",
    help="Import run history: a Contexta 1.x workspace, MLflow, or TensorBoard logs. Importing again "
    "brings only what is new.",
    no_args_is_help=True,
)

Watch = Annotated[
    float | None,
    typer.Option(
        "--watch",
        metavar="SECONDS",
        min=1,
        help="Keep importing what lands, checking every SECONDS (Ctrl+C stops).",
        show_default=False,
    ),
]


class BarProgress:
    """The core's progress hooks drawn as a Rich bar on stderr (only at a terminal)."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task = None

    def start(self, total: int | None, description: str) -> None:
        if not sys.stderr.isatty() or (total is not None and total < 50):
            return
        if self._bar is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, steps)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _run(ctx: typer.Context, kind: str, location: str, every: float | None, as_json: bool, **options) -> None:
    contexta = open_workspace(ctx)
    bar = BarProgress() if not as_json else None
    show = print_json if as_json else _print_summary
    try:
        importer = open_importer(kind, location, **options)
        if every is None:
            summary = run_import(contexta, importer, progress=bar)
            if bar is not None:
                bar.stop()  # (transient: gone before the summary prints)
            show(summary)
            return
        if not as_json:
            console().print(f"Watching {importer.source} every {every:g} s (Ctrl+C stops).")
        passes = 0

        def on_pass(summary: ImportSummary) -> None:
            nonlocal passes
            passes += 1
            if bar is not None:
                bar.stop()
            if as_json or passes == 1 or not summary.nothing_new:  # quiet passes stay quiet
                show(summary)

        stop = threading.Event()  # SIGTERM (a service manager stopping it) ends after the current pass
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            watch(
                contexta,
                importer,
                every,
                on_pass=on_pass,
                on_error=lambda exc: typer.echo(
                    f"warning: {exc.message}; trying again in {every:g} s", err=True
                ),
                progress=bar,
                stop=stop,
            )
        finally:
            signal.signal(signal.SIGTERM, previous)
        if not as_json:
            console().print("Stopped watching.")
    except KeyboardInterrupt:
        if every is None:  # the batches committed so far stay; the one being written left nothing
            fail(
                "interrupted: what was imported so far is kept; run the same command to carry on",
                exit_code=130,
            )
        if not as_json:
            console().print("Stopped watching.")
    except ImportSourceError as exc:  # a source that is there but cannot be read now: exit 1
        if exc.code not in RETRYABLE:
            raise
        fail(exc.message, exit_code=FAILED_EXIT)
    finally:
        if bar is not None:
            bar.stop()


def _print_summary(summary: ImportSummary) -> None:
    out = console()
    took = f"{summary.seconds:.1f} s"
    if summary.nothing_new:
        out.print(
            f"Nothing new from {summary.source} ({plural(summary.unchanged_runs, 'run')} unchanged, {took})."
        )
    else:
        out.print(f"Imported from {summary.source} in {took}:")
        names = (
            f" ({', '.join(summary.projects[:5])}{' …' if len(summary.projects) > 5 else ''})"
            if summary.projects
            else ""
        )
        out.print(
            f"  projects     {summary.new_projects:,} new, {len(summary.projects):,} with new data{names}"
        )
        out.print(
            f"  runs         {summary.new_runs:,} new, {summary.updated_runs:,} updated, "
            f"{summary.unchanged_runs:,} unchanged"
        )
        rate = f" ({summary.records_per_second:,.0f}/s)" if summary.records and summary.seconds >= 1 else ""
        out.print(f"  records      {summary.records:,}{rate}")
        out.print(f"  deployments  {summary.deployments:,}")
    if summary.skipped:
        out.print("Skipped:")
        for entry in summary.skipped:
            examples = f" — e.g. {', '.join(entry.examples)}" if entry.examples else ""
            out.print(f"  {entry.count:,} × {entry.reason}{examples}", markup=False, highlight=False)


@import_app.command("contexta")
def import_contexta(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="The Contexta 1.x workspace folder (holds metadata/ledger.db)."),
    ],
    every: Watch = None,
    as_json: Json = False,
) -> None:
    """A workspace of the original Contexta library (1.x), with its original refs."""
    _run(ctx, "contexta", str(path), every, as_json)


@import_app.command("mlflow")
def import_mlflow(
    ctx: typer.Context,
    tracking_uri: Annotated[
        str,
        typer.Argument(
            metavar="TRACKING_URI",
            help="sqlite:///mlflow.db, postgresql://…, http://host:5000 or an mlruns/ folder.",
        ),
    ],
    experiment: Annotated[
        list[str] | None,
        typer.Option(
            "--experiment", "-e", metavar="NAME", help="Only this experiment (repeatable; default: all)."
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias",
            metavar="ALIAS",
            help="Also count model versions under this alias as deployments (repeatable; always counted: "
            "champion, production, prod, live, serving, deployed, and stage Production).",
            show_default=False,
        ),
    ] = None,
    every: Watch = None,
    as_json: Json = False,
) -> None:
    """MLflow experiments, runs with their metric histories, and models in production."""
    _run(
        ctx,
        "mlflow",
        tracking_uri,
        every,
        as_json,
        experiments=tuple(experiment or ()),
        deployment_aliases=tuple(alias or ()),
    )


@import_app.command("tensorboard")
def import_tensorboard(
    ctx: typer.Context,
    logdir: Annotated[
        Path, typer.Argument(metavar="LOGDIR", help="The folder TensorBoard would be pointed at.")
    ],
    project: Annotated[
        str, typer.Option("--project", "-p", metavar="NAME", help="The project the runs belong to.")
    ],
    every: Watch = None,
    as_json: Json = False,
) -> None:
    """Each run folder's scalars, read with TensorBoard's own event reader."""
    _run(ctx, "tensorboard", str(logdir), every, as_json, project=project)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
