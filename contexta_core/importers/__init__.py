"""Importing run history from where teams already keep it: the original Contexta library's
workspace, MLflow, TensorBoard logs.

Every source is read by its own library (``duckdb``, MLflow's client, TensorBoard's event reader;
the ``import`` extra) and written through one writer, so all of them are idempotent and
incremental the same way: importing again brings only what is new, and each batch of runs is one
transaction together with the state that says it came in.

    importer = open_importer("mlflow", "sqlite:///mlflow.db")
    summary = run_import(ctx, importer)                  # everything not imported yet
    watch(ctx, importer, every=30, on_pass=print)         # and then whatever lands
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ContextaError
from .errors import ImportSourceError
from .progress import NoProgress, Progress
from .summary import ImportSummary, Skipped
from .writer import ImportWriter

if TYPE_CHECKING:
    from ..client import Contexta

SOURCES = ("contexta", "mlflow", "tensorboard")


class Importer(Protocol):
    kind: str
    source: str  # names the source in the import state, e.g. "mlflow sqlite:////srv/mlflow.db"

    def run_pass(self, writer: ImportWriter, *, full: bool, progress: Progress | None = None) -> None: ...


def open_importer(kind: str, location: str, **options: Any) -> Importer:
    """The importer for ``kind`` (one of SOURCES) reading ``location``."""
    if kind == "mlflow":
        from .mlflow import MlflowImporter

        return MlflowImporter(
            location,
            experiments=options.get("experiments", ()),
            deployment_aliases=options.get("deployment_aliases", ()),
        )
    if kind == "contexta":
        from .contexta1 import ContextaWorkspaceImporter

        return ContextaWorkspaceImporter(location)
    if kind == "tensorboard":
        from .tensorboard import TensorBoardImporter

        return TensorBoardImporter(location, project=options["project"])
    raise ImportSourceError(f"unknown import source {kind!r}; use one of {', '.join(SOURCES)}")


def run_import(
    ctx: Contexta, importer: Importer, *, full: bool = True, progress: Progress | None = None
) -> ImportSummary:
    """One pass: ``full`` re-checks every item of the source; otherwise only what may have changed
    since the last pass (new and still-running runs, grown files)."""
    summary = ImportSummary(source=importer.source)
    writer = ImportWriter(ctx, importer.source, summary)
    started = time.perf_counter()
    importer.run_pass(writer, full=full, progress=progress or NoProgress())
    writer.finish()
    summary.seconds = time.perf_counter() - started
    return summary


def watch(
    ctx: Contexta,
    importer: Importer,
    every: float,
    *,
    on_pass: Callable[[ImportSummary], None],
    on_error: Callable[[ContextaError], None] | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    max_passes: int | None = None,
) -> None:
    """A full pass, then a quick pass every ``every`` seconds until ``stop`` is set. A source that
    is briefly unreadable (a locked ledger, a server restarting) is reported and tried again."""
    stop = stop or threading.Event()
    passes = 0
    full = True
    while not stop.is_set():
        begun = time.monotonic()
        try:
            on_pass(run_import(ctx, importer, full=full, progress=progress if full else None))
            full = False
        except ContextaError as exc:
            if on_error is None:
                raise
            on_error(exc)
        passes += 1
        if max_passes is not None and passes >= max_passes:
            return
        stop.wait(max(0.0, every - (time.monotonic() - begun)))


__all__ = [
    "SOURCES",
    "ImportSourceError",
    "ImportSummary",
    "Importer",
    "Skipped",
    "open_importer",
    "run_import",
    "watch",
]
