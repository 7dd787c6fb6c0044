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
