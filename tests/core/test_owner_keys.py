"""The record store's owner keys: on SQLite real foreign keys; on PostgreSQL a batch's owners found
under a shared lock that deleting an owner takes exclusively, and triggers that cascade the delete.
Either way no record or summary outlives its project, run or stage, and none is written for one
that is gone."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import text

from contexta_core import Contexta
from contexta_core.errors import IntegrityViolation
from contexta_core.store import pg_bulk
from contexta_core.synthetic import add_project, add_run, day, event, metric


def counts(ctx, run_ref: str) -> tuple[int, int]:
    """(records, summaries) of ``run_ref``."""
    with ctx.database.reading() as conn:
        run_id = conn.execute(text("SELECT id FROM runs WHERE ref = :r"), {"r": run_ref}).scalar()
        if run_id is None:
            run_id = -1
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM {table} WHERE run_id = :i"), {"i": run_id}).scalar()
            for table in ("records", "metric_summaries")
        )


def history(ctx) -> None:
    add_project(ctx, "proj")
    for run in ("r1", "r2"):
        add_run(ctx, "proj", run)
        ctx.record_store.append_many(
            [
                metric("proj", run, "loss", 0.4, stage="train"),
                metric("proj", run, "accuracy", 0.8, stage="evaluate"),
                metric("proj", run, "epochs", 3, stage=None),
                event("proj", run),
            ]
        )


def delete(ctx, table: str, ref: str) -> None:
    with ctx.database.writing() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE ref = :r"), {"r": ref})


def total(ctx, table: str) -> int:
    with ctx.database.reading() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_deleting_an_owner_removes_what_its_key_cascaded_to(ctx):
    history(ctx)
    assert counts(ctx, "run:proj.r1") == (4, 3)

    delete(ctx, "stages", "stage:proj.r1.train")  # the stage's records go; the run's summaries stay
    assert counts(ctx, "run:proj.r1") == (3, 3)

    delete(ctx, "runs", "run:proj.r1")
    assert counts(ctx, "run:proj.r1") == (0, 0)
    assert counts(ctx, "run:proj.r2") == (4, 3)
    assert total(ctx, "records") == 4 and total(ctx, "metric_summaries") == 3

    delete(ctx, "projects", "project:proj")
    assert total(ctx, "records") == 0 and total(ctx, "metric_summaries") == 0


def test_the_answers_about_a_project_read_no_deleted_run(ctx):
    history(ctx)
    delete(ctx, "runs", "run:proj.r1")
    best = ctx.best_run("proj", "accuracy", stage_name="evaluate")
    assert (best.run_name, best.runner_up_run_name) == ("r2", None)
    assert [p.run_name for p in ctx.get_metric_trend("accuracy", project_name="proj").points] == ["r2"]


@pytest.fixture
def pg_ctx(pg_url, tmp_path):
    """PostgreSQL only: SQLite has one writer at a time, and its foreign keys."""
    with Contexta(workspace=tmp_path / "ws", database_url=pg_url) as opened:
        yield opened


def other_connection(ctx) -> psycopg.Connection:
    """A second session on the workspace's database and schema, as another process would open."""
    url = ctx.database.engine.url.set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False))


def in_thread(fn) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except Exception as error:  # the test reads it
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_run_cannot_be_deleted_while_an_append_holds_it(pg_ctx):
    history(pg_ctx)
    with pg_ctx.database.writing() as conn, other_connection(pg_ctx) as other:
        pg_bulk.hold_owners(conn)
        assert pg_bulk.lookup(conn, "runs", ("ref", "id"), ["run:proj.r1"])
        other.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
        other.rollback()
    with other_connection(pg_ctx) as other:  # once the append has committed, the delete goes through
        other.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
    assert counts(pg_ctx, "run:proj.r1") == (0, 0)


def test_a_batch_for_a_run_being_deleted_waits_then_is_refused_whole(pg_ctx):
    history(pg_ctx)
    with other_connection(pg_ctx) as deleting:
        deleting.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")  # not committed yet
        thread, outcome = in_thread(
            lambda: pg_ctx.record_store.append_many(
                [metric("proj", "r2", "f1", 0.7), metric("proj", "r1", "f1", 0.7, at=day(1))]
            )
        )
        time.sleep(0.5)
        assert thread.is_alive()  # the append waits for the delete
        deleting.commit()
    thread.join(10)
    assert isinstance(outcome.get("error"), IntegrityViolation)
    assert outcome["error"].code == "missing_owner"
    assert counts(pg_ctx, "run:proj.r1") == (0, 0)
    assert counts(pg_ctx, "run:proj.r2") == (4, 3)  # nothing of the refused batch was written


def test_a_summary_another_writer_stored_meanwhile_is_merged_not_refused(pg_ctx):
    history(pg_ctx)
    with pg_ctx.database.reading() as conn:
        run_id, project_id = conn.execute(
            text("SELECT id, project_id FROM runs WHERE ref = 'run:proj.r1'")
        ).one()
    with other_connection(pg_ctx) as writer:
        writer.execute(  # another append's new summary of (r1, evaluate, f1), not committed yet
            "INSERT INTO metric_summaries VALUES (%s, 'evaluate', 'f1', %s, %s, 0.5, %s, 0.5, 0.5, 0.5, 1)",
            (run_id, project_id, day(0).replace(tzinfo=None), day(0, 10).replace(tzinfo=None)),
        )
        thread, outcome = in_thread(
            lambda: pg_ctx.record_store.append_many([metric("proj", "r1", "f1", 0.9, at=day(0, 11))])
        )
        time.sleep(0.5)
        assert thread.is_alive()  # its COPY waits on the other writer's key
        writer.commit()
    thread.join(10)
    assert "error" not in outcome, outcome.get("error")
    with pg_ctx.database.reading() as conn:
        row = conn.execute(
            text(
                "SELECT latest_value, max_value, min_value, value_count FROM metric_summaries "
                "WHERE run_id = :i AND metric_key = 'f1'"
            ),
            {"i": run_id},
        ).one()
    assert tuple(row) == (0.9, 0.9, 0.5, 2)
