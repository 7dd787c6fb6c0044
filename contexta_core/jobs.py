"""Heavy work in worker processes, so the process answering quick questions keeps its interpreter.

Rendering a 100,000-run report or charting a long history is seconds of pure-Python CPU; done in
the serving process it holds the GIL and every quick answer waits behind it. A `WorkerPool` runs
such jobs in a bounded `ProcessPoolExecutor` (at most `max_workers` at once, started lazily with
the spawn method, which works under gunicorn and in tests, and shut down at exit). Workers run at
a lower CPU priority, so on a small machine the serving process still gets the cores first.

A job is a module-level function `fn(ctx, *args)`. Each worker opens the workspace itself from its
database URL (engines and connections never cross processes) and keeps the few it used last open,
with their answer caches. A job is identified by a key and the workspace's data version: everyone
asking for the same key at the same version shares one build and its result, while a new version
builds again; a failed build is not kept, so the next ask tries again. Which build serves which
version is the answer cache's rule (``cache.VersionedCache``, one per database: versions of two
databases do not compare); what it keeps here is the build's future.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .cache import VersionedCache

WORKER_NICENESS = 10  # the serving process (nice 0) gets ~9x their CPU share when both want it
OPEN_WORKSPACES = 4  # per worker; each holds a connection pool and its cache
KEPT_RESULTS = 32
MAX_DEFAULT_WORKERS = 4  # each worker holding a 100,000-run report is ~0.4 GB


def default_worker_count(cpus: int | None = None) -> int:
    """Heavy workers for a machine of ``cpus`` cores (default: this one's): one per core but one,
    which the serving process keeps for quick answers, at least one and at most
    ``MAX_DEFAULT_WORKERS``. On 2 cores that is one worker: a second would take the serving
    process's core whenever both run (niceness only shares a core, it does not free it), and the
    two halves of one full report (its page and its files) then share the worker's report build."""
    found = os.cpu_count() if cpus is None else cpus
    return max(1, min(MAX_DEFAULT_WORKERS, (found or 1) - 1))


class WorkerPool:
    def __init__(self, max_workers: int | None = None):
        max_workers = default_worker_count() if max_workers is None else max_workers
        if max_workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.max_workers = max_workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._jobs: dict[str, VersionedCache] = {}  # database URL → its builds, by key and version
        self.builds = 0  # jobs handed to a worker (shared asks are not counted again)

    def run(
        self,
        key: Hashable,
        fn: Callable[..., Any],
        *args: Any,
        database_url: str,
        workspace: str,
        version: int,
    ) -> Future:
        """The future result of `fn(ctx, *args)` in a worker, shared with every ask of `key` at `version`."""
        with self._lock:
            builds = self._jobs.setdefault(database_url, VersionedCache(KEPT_RESULTS))

        def submit() -> Future:
            with self._lock:
                try:
                    future = self._pool().submit(_run_job, fn, database_url, workspace, args)
                except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                    self._executor = None
                    future = self._pool().submit(_run_job, fn, database_url, workspace, args)
                self.builds += 1
                return future

        future = builds.get_or_compute(key, version, submit)
        if _failed(future):
            builds.discard(key, future)
            future = builds.get_or_compute(key, version, submit)
        return future

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
            self._jobs.clear()  # the futures of a pool shut down would never finish
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=not wait)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.max_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
            )
            atexit.register(self.shutdown)
        return self._executor


def _failed(future: Future) -> bool:
    return future.done() and (future.cancelled() or future.exception() is not None)


# -- in the worker process ---------------------------------------------------------------------

_open: OrderedDict[tuple[str, str], Any] = OrderedDict()


def _start_worker() -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


def _run_job(fn: Callable[..., Any], database_url: str, workspace: str, args: tuple) -> Any:
    return fn(_workspace(database_url, workspace), *args)


def _workspace(database_url: str, workspace: str) -> Any:
    """This worker's `Contexta` for the workspace, opened once and kept among the last few used."""
    from .client import Contexta

    key = (database_url, workspace)
    ctx = _open.get(key)
    if ctx is None:
        ctx = _open[key] = Contexta(workspace=workspace, database_url=database_url)
        while len(_open) > OPEN_WORKSPACES:
            _open.popitem(last=False)[1].close()
    _open.move_to_end(key)
    return ctx
