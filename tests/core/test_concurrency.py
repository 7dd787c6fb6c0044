"""A training process writing while the bot process reads one SQLite workspace, and crash safety."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

from contexta_core import Contexta
from contexta_core.synthetic import add_project, add_run, metric

ROUNDS = 40


def _writer(workspace: str, name: str, ready) -> None:
    with Contexta(workspace=workspace) as ctx:
        ready.wait(10)
        for i in range(ROUNDS):
            add_run(ctx, "proj", f"{name}-{i}", i)
            ctx.record_store.append_many(
                [metric("proj", f"{name}-{i}", "acc", i / 100), metric("proj", f"{name}-{i}", "f1", i / 200)]
            )


def _reader(workspace: str, ready, out) -> None:
    seen = 0
    with Contexta(workspace=workspace) as ctx:
        ready.wait(10)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = ctx.list_runs("proj")
            best = ctx.best_run("proj", "acc", stage_name="evaluate") if ctx.record_store.count() else None
            seen = max(seen, len(runs))
            if best is not None:
                assert best.value <= (ROUNDS - 1) / 100
            if seen >= 2 * ROUNDS:
                break
    out.put(seen)


def test_two_writers_and_a_reader_share_one_sqlite_workspace(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    workspace = str(tmp_path / "ws")
    with Contexta(workspace=workspace) as ctx:
        add_project(ctx, "proj")
    spawn = mp.get_context("spawn")
    ready, out = spawn.Event(), spawn.Queue()
    procs = [
        spawn.Process(target=_writer, args=(workspace, "a", ready)),
        spawn.Process(target=_writer, args=(workspace, "b", ready)),
        spawn.Process(target=_reader, args=(workspace, ready, out)),
    ]
    for proc in procs:
        proc.start()
    ready.set()
    for proc in procs:
        proc.join(90)
        assert proc.exitcode == 0, f"{proc.name} exited with {proc.exitcode}"
    assert out.get(timeout=5) == 2 * ROUNDS
    with Contexta(workspace=workspace) as ctx:
        assert ctx.count_runs("proj") == 2 * ROUNDS
        assert ctx.record_store.count() == 4 * ROUNDS
        assert ctx.best_run("proj", "acc", stage_name="evaluate").value == (ROUNDS - 1) / 100


def _crash_mid_batch(workspace: str) -> None:
    from sqlalchemy import event

    with Contexta(workspace=workspace) as ctx:

        @event.listens_for(ctx.database.engine, "after_cursor_execute")
        def _die(conn, cursor, statement, *args):  # the records are inserted, the summaries not yet: crash
            if statement.startswith("INSERT INTO records"):
                os._exit(3)

        ctx.record_store.append_many([metric("proj", "r1", "acc", 0.9), metric("proj", "r1", "f1", 0.8)])


def test_a_crash_mid_batch_leaves_no_partial_batch(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    workspace = str(tmp_path / "ws")
    with Contexta(workspace=workspace) as ctx:
        add_project(ctx, "proj")
        add_run(ctx, "proj", "r1")
    proc = mp.get_context("spawn").Process(target=_crash_mid_batch, args=(workspace,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 3
    with Contexta(workspace=workspace) as ctx:
        assert ctx.record_store.count() == 0
        with ctx.database.reading() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM metric_summaries").scalar() == 0
        ctx.record_store.append(metric("proj", "r1", "acc", 0.9))  # and the workspace is still writable
        assert ctx.record_store.count() == 1
