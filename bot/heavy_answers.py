"""Which answers are heavy, and having them built in worker processes instead of the serving one.

On a project of more than `HEAVY_FROM_RUNS` runs, three things cost seconds of CPU: the report
files, the full report's pages (each reads the whole 100,000-run report) and charts of the long
history. Built here they would hold the GIL while everyone else's quick questions wait, so they
go to this process's `WorkerPool` (`CONTEXTA_HEAVY_WORKERS`, default one per core but one: see
`contexta_core.jobs.default_worker_count`) and the answer carries a
`Later`: the future result, which `bot.listeners.later` delivers when it is ready (with a
"building…" message, updated in place, when that takes more than `BUILDING_AFTER` seconds).
The words of report, trend and onboarding answers stay here (they read indexes and summaries);
only their files go to a worker. Below the threshold everything is made here, as before: a
1,000-run report or chart takes a few hundred milliseconds and is kept per data version.

Asks are keyed without their language where the result does not depend on it (files), so one
build per data version serves everyone asking, in any channel.
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from contexta_core import Contexta
from contexta_core.ask.answers import CHART_INTENTS, REPORT_INTENTS, Ask
from contexta_core.jobs import WorkerPool, default_worker_count

HEAVY_FROM_RUNS = 1_000
BUILDING_AFTER = 2.0  # seconds before a "building…" message is shown
WHOLE_ANSWERS = frozenset({"full_report"})  # every page reads the whole report
FILE_INTENTS = CHART_INTENTS | REPORT_INTENTS

_pool = WorkerPool()  # one per process: at most this many heavy builds at once
_in_worker = False  # set in worker processes: there, heavy asks are simply answered


@dataclass(frozen=True, eq=False)
class Later:
    """What an answer is still waiting for: its whole self (`answer`: a placeholder was given) or
    its files (`files`: → (files, failure code or None)), with the number of runs they are built from."""

    runs: int
    answer: Future | None = None
    files: Future | None = None
    started: float = field(default_factory=time.monotonic)


def set_worker_count(count: int | None) -> None:
    """Resize this process's pool (before its first heavy build; the serving app calls it at start);
    None: the machine's default."""
    global _pool
    count = default_worker_count() if count is None else count
    if count != _pool.max_workers:
        _pool.shutdown(wait=False)
        _pool = WorkerPool(count)


def heavy_runs(ctx: Contexta, ask: Ask) -> int | None:
    """The project's run count when `ask` (with files or not) is built in a worker, else None."""
    if _in_worker or ask.project is None or ask.intent not in FILE_INTENTS | WHOLE_ANSWERS:
        return None
    runs = ctx.count_runs(ask.project)
    return runs if runs > HEAVY_FROM_RUNS else None


def whole_answer_later(ctx: Contexta, ask: Ask, runs: int, *, files: bool) -> Later:
    """Start building the whole answer (and its files) in a worker."""
    shared = replace(ask, default_project=None)  # the page does not depend on the channel
    answer = _run(ctx, ("answer", shared), _answer_job, shared)
    return Later(runs, answer=answer, files=_files(ctx, ask) if files else None)


def files_later(ctx: Contexta, ask: Ask, runs: int) -> Later:
    """Start building the answer's files in a worker."""
    return Later(runs, files=_files(ctx, ask))


def _files(ctx: Contexta, ask: Ask) -> Future:
    if ask.intent in REPORT_INTENTS:  # the report files are the same whichever answer asks
        key = ("files", "report", ask.project)
        shared = Ask("report", project=ask.project)
    else:
        key = ("files", "chart", ask.project, ask.metric, ask.stage, ask.higher_is_better)
        shared = Ask(
            "trend",
            project=ask.project,
            metric=ask.metric,
            stage=ask.stage,
            higher_is_better=ask.higher_is_better,
        )
    return _run(ctx, key, _files_job, shared)


def _run(ctx: Contexta, key: tuple, job, ask: Ask) -> Future:
    with ctx.database.reading() as conn:
        version = ctx.database.data_version(conn)
    return _pool.run(key, job, ask, database_url=ctx.database_url, workspace=ctx.workspace, version=version)


# -- in the worker process: answered here, never handed on ------------------------------------


def _answer_job(ctx: Contexta, ask: Ask):
    global _in_worker
    _in_worker = True
    from bot.answers import build_answer

    return build_answer(ctx, ask, files=False)


def _files_job(ctx: Contexta, ask: Ask):
    global _in_worker
    _in_worker = True
    from bot.answers import files_or_note

    return files_or_note(ctx, ask)
