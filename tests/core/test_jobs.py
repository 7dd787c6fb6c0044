"""The worker pool: jobs run in other processes on their own connection, shared per key and data version."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from contexta_core.jobs import WorkerPool


def count_projects(ctx, label: str) -> tuple[int, int, str]:
    """A job: (the worker's pid, what it sees in the workspace, an argument)."""
    return os.getpid(), len(ctx.list_projects()), label


def fail(ctx) -> None:
    raise ValueError("this job always fails")


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1)
    yield workers
    workers.shutdown()


def version_of(ctx) -> int:
    with ctx.database.reading() as conn:
        return ctx.database.data_version(conn)


def run(pool: WorkerPool, ctx, key, fn, *args):
    return pool.run(
        key, fn, *args, database_url=ctx.database_url, workspace=ctx.workspace, version=version_of(ctx)
    )


def test_a_job_runs_in_a_worker_on_its_own_connection(pool: WorkerPool, demo_ctx) -> None:
    pid, projects, label = run(pool, demo_ctx, "count", count_projects, "x").result(timeout=120)
    assert pid != os.getpid() and projects == 1 and label == "x"


def test_the_same_key_at_the_same_version_is_built_once(pool: WorkerPool, demo_ctx) -> None:
    before = pool.builds
    first = run(pool, demo_ctx, "shared", count_projects, "a")
    second = run(pool, demo_ctx, "shared", count_projects, "a")
    assert first is second and pool.builds == before + 1
    first.result(timeout=120)
    assert run(pool, demo_ctx, "shared", count_projects, "a") is first  # a finished build is kept
    demo_ctx.set_project_defaults("churn-prediction", metric_key="f1")  # a write: a new data version
    third = run(pool, demo_ctx, "shared", count_projects, "a")
    assert third is not first and pool.builds == before + 2
    assert third.result(timeout=120)[1] == 1


def test_a_failed_build_is_not_kept(pool: WorkerPool, demo_ctx) -> None:
    failed = run(pool, demo_ctx, "failing", fail)
    with pytest.raises(ValueError, match="always fails"):
        failed.result(timeout=120)
    assert run(pool, demo_ctx, "failing", fail) is not failed


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError):
        WorkerPool(0)


def niceness(ctx) -> int:
    """A job: the worker's CPU priority (its niceness)."""
    return os.nice(0)


def busy(ctx, seconds: float) -> tuple[int, float, float]:
    """A job: (the worker's pid, when it started, when it ended)."""
    import time

    started = time.monotonic()
    time.sleep(seconds)
    return os.getpid(), started, time.monotonic()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="CPU priorities are a POSIX notion")
def test_workers_run_at_a_lower_cpu_priority_than_the_serving_process(pool: WorkerPool, demo_ctx) -> None:
    from contexta_core.jobs import WORKER_NICENESS

    assert run(pool, demo_ctx, "nice", niceness).result(timeout=120) == min(19, os.nice(0) + WORKER_NICENESS)


def test_no_more_jobs_run_at_once_than_the_pool_has_workers(demo_ctx) -> None:
    two = WorkerPool(2)
    try:
        jobs = [run(two, demo_ctx, ("busy", n), busy, 0.5) for n in range(5)]
        done = [job.result(timeout=120) for job in jobs]
    finally:
        two.shutdown()
    assert len({pid for pid, _, _ in done}) <= 2
    for _, started, _ in done:  # at any moment, at most two jobs were between their start and end
        assert sum(1 for _, s, e in done if s <= started < e) <= 2


@pytest.mark.parametrize(("cpus", "workers"), [(None, 1), (1, 1), (2, 1), (3, 2), (8, 4), (64, 4)])
def test_the_default_pool_leaves_the_serving_process_a_core(cpus, workers, monkeypatch) -> None:
    from contexta_core.jobs import default_worker_count

    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert default_worker_count() == workers
    assert WorkerPool().max_workers == workers
