"""The record store's owners: records and metric_summaries carry no foreign keys. A batch's owners
are found in its own transaction (SQLite: under the write lock; PostgreSQL: each locked FOR KEY
SHARE), and triggers on projects, runs and stages delete what the keys cascaded to. Either way no
record or summary outlives its project, run or stage, and none is written for one that is gone."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
import pytest
from sqlalchemy import text

from contexta_core import Contexta
from contexta_core.errors import IntegrityViolation
from contexta_core.store import pg_bulk
from contexta_core.synthetic import add_project, add_run, day, event, metric, run_model

ORPHANS = {
    "records of no run": "SELECT count(*) FROM records WHERE run_id NOT IN (SELECT id FROM runs)",
    "records of no stage": "SELECT count(*) FROM records WHERE stage_id IS NOT NULL "
    "AND stage_id NOT IN (SELECT id FROM stages)",
    "summaries of no run": "SELECT count(*) FROM metric_summaries WHERE run_id NOT IN (SELECT id FROM runs)",
    "summaries of no project": "SELECT count(*) FROM metric_summaries "
    "WHERE project_id NOT IN (SELECT id FROM projects)",
}


def orphans(ctx) -> dict[str, int]:
    """What a foreign key would have refused or cascaded away, found anyway (none, or a failure)."""
    with ctx.database.reading() as conn:
        found = {name: conn.execute(text(sql)).scalar() for name, sql in ORPHANS.items()}
    return {name: n for name, n in found.items() if n}


def counts(ctx, run: str) -> tuple[int, int]:
    """(records, summaries) of run ``run`` of project proj (a run that is gone has none)."""
    with ctx.database.reading() as conn:
        return tuple(
            conn.execute(
                text(
                    f"SELECT count(*) FROM {table} AS t JOIN runs AS r ON r.id = t.run_id WHERE r.ref = :ref"
                ),
                {"ref": f"run:proj.{run}"},
            ).scalar()
            for table in ("records", "metric_summaries")
        )


def total(ctx, table: str) -> int:
    with ctx.database.reading() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


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


def test_deleting_an_owner_removes_what_its_key_cascaded_to(ctx):
    history(ctx)
    assert counts(ctx, "r1") == (4, 3) and total(ctx, "records") == 8

    delete(ctx, "stages", "stage:proj.r1.train")  # the stage's records go; the run's summaries stay
    assert counts(ctx, "r1") == (3, 3)
    assert orphans(ctx) == {}

    delete(ctx, "runs", "run:proj.r1")
    assert (total(ctx, "records"), total(ctx, "metric_summaries")) == (4, 3)
    assert counts(ctx, "r2") == (4, 3)
    assert orphans(ctx) == {}

    delete(ctx, "projects", "project:proj")  # runs and stages go by their own keys, then their records
    assert (total(ctx, "records"), total(ctx, "metric_summaries")) == (0, 0)


def test_the_answers_about_a_project_read_no_deleted_run(ctx):
    history(ctx)
    delete(ctx, "runs", "run:proj.r1")
    best = ctx.best_run("proj", "accuracy", stage_name="evaluate")
    assert (best.run_name, best.runner_up_run_name) == ("r2", None)
    assert [p.run_name for p in ctx.get_metric_trend("accuracy", project_name="proj").points] == ["r2"]


def test_a_batch_naming_a_gone_run_is_refused_whole(ctx):
    history(ctx)
    delete(ctx, "runs", "run:proj.r1")
    with pytest.raises(IntegrityViolation) as refused:
        ctx.record_store.append_many([metric("proj", "r2", "f1", 0.7), metric("proj", "r1", "f1", 0.7)])
    assert refused.value.code == "missing_owner"
    assert counts(ctx, "r2") == (4, 3) and orphans(ctx) == {}


# -- PostgreSQL: concurrent sessions ------------------------------------------------------------------


@pytest.fixture
def pg_ctx(pg_url, tmp_path):
    """PostgreSQL only: SQLite's writers take turns (its write lock is taken first)."""
    with Contexta(workspace=tmp_path / "ws", database_url=pg_url) as opened:
        yield opened


def other_connection(ctx, **options: str) -> psycopg.Connection:
    """A second session on the workspace's database and schema, as another process would open."""
    url = ctx.database.engine.url
    connection = psycopg.connect(
        **url.translate_connect_args(database="dbname", username="user"), **url.query
    )
    for name, value in options.items():
        connection.execute(f"SET {name} = '{value}'")
    connection.commit()
    return connection


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


def waiting_for_a_lock(ctx, thread: threading.Thread, timeout: float = 10.0) -> bool:
    """True once some session of the database waits on a lock (the thread's), False if the thread
    finished first or nothing waited within ``timeout``."""
    with other_connection(ctx) as watcher:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and thread.is_alive():
            if watcher.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
                return True
            watcher.rollback()
            time.sleep(0.02)
    return False


def test_a_run_cannot_be_deleted_while_an_append_holds_it(pg_ctx):
    history(pg_ctx)
    with pg_ctx.database.writing() as conn, other_connection(pg_ctx, lock_timeout="200ms") as other:
        assert pg_bulk.lock_owners(conn, "runs", ("ref", "id"), ["run:proj.r1"])
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
        other.rollback()
        other.execute("DELETE FROM runs WHERE ref = 'run:proj.r2'")  # a run the append did not name
        other.commit()
    with other_connection(pg_ctx) as other:  # once the append has committed, the delete goes through
        other.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
        other.commit()
    assert total(pg_ctx, "records") == 0 and orphans(pg_ctx) == {}


def test_a_delete_waiting_for_an_append_deletes_what_it_wrote(pg_ctx):
    history(pg_ctx)
    with pg_ctx.database.transaction():
        pg_ctx.record_store.append_many([metric("proj", "r1", "f1", 0.7, at=day(0, 11))])
        deleting = other_connection(pg_ctx)
        thread, outcome = in_thread(
            lambda: (deleting.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'"), deleting.commit())
        )
        assert waiting_for_a_lock(pg_ctx, thread)
    thread.join(10)
    deleting.close()
    assert "error" not in outcome, outcome.get("error")
    assert counts(pg_ctx, "r1") == (0, 0) and orphans(pg_ctx) == {}


@pytest.mark.parametrize("isolation", ["read committed", "repeatable read"])
def test_a_batch_for_a_run_being_deleted_waits_then_is_refused_whole(pg_url, tmp_path, isolation):
    url = f"{pg_url}%20-cdefault_transaction_isolation%3D{isolation.replace(' ', '%5C%20')}"
    with Contexta(workspace=tmp_path / "ws", database_url=url) as ctx:
        history(ctx)
        with other_connection(ctx, default_transaction_isolation="read committed") as deleting:
            deleting.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")  # not committed yet
            thread, outcome = in_thread(
                lambda: ctx.record_store.append_many(
                    [metric("proj", "r2", "f1", 0.7), metric("proj", "r1", "f1", 0.7, at=day(1))]
                )
            )
            assert waiting_for_a_lock(ctx, thread)  # the append waits for the delete
            deleting.commit()
        thread.join(10)
        error = outcome.get("error")
        if isolation == "read committed":  # the run is gone: refused as any missing owner
            assert isinstance(error, IntegrityViolation) and error.code == "missing_owner"
        else:  # the snapshot still saw the run: a serialization failure, as a foreign key gives
            assert isinstance(getattr(error, "orig", error), psycopg.errors.SerializationFailure), error
        assert counts(ctx, "r2") == (4, 3)  # nothing of the refused batch was written
        assert orphans(ctx) == {}


def test_a_repeatable_read_delete_that_could_miss_records_is_refused(pg_ctx):
    history(pg_ctx)
    with other_connection(pg_ctx) as deleting:
        deleting.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="READ COMMITTED"):
            deleting.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
        deleting.rollback()
        deleting.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        deleting.execute("DELETE FROM runs WHERE ref = 'run:nothing.here'")  # deleting nothing is fine
        deleting.commit()
    assert counts(pg_ctx, "r1") == (4, 3)


def test_deleting_a_project_while_an_import_into_it_runs_waits_for_it(pg_ctx):
    history(pg_ctx)
    deleting = other_connection(pg_ctx)
    with pg_ctx.database.transaction():  # an importer: its runs, then their records, in one transaction
        pg_ctx.metadata_store.runs.put_run(run_model("proj", "r3", day(2), day(2, 12)))
        thread, outcome = in_thread(
            lambda: (deleting.execute("DELETE FROM projects WHERE ref = 'project:proj'"), deleting.commit())
        )
        assert waiting_for_a_lock(pg_ctx, thread)
        pg_ctx.record_store.append_many([metric("proj", "r3", "f1", 0.7, stage=None, at=day(2, 11))])
    thread.join(10)
    deleting.close()
    assert "error" not in outcome, outcome.get("error")
    assert (total(pg_ctx, "records"), total(pg_ctx, "metric_summaries"), orphans(pg_ctx)) == (0, 0, {})


def test_an_open_append_in_one_workspace_does_not_hold_up_another(pg_ctx, pg_url, tmp_path):
    history(pg_ctx)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with other_connection(pg_ctx) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        admin.commit()
    try:
        second_url = f"{pg_url.split('?')[0]}?options=-csearch_path%3D{schema}"
        with Contexta(workspace=tmp_path / "second", database_url=second_url) as second:
            history(second)
            with pg_ctx.database.transaction():  # an append left open in the first workspace
                pg_ctx.record_store.append_many([metric("proj", "r1", "f9", 0.1, at=day(3))])
                with other_connection(second, lock_timeout="2s") as deleting:
                    deleting.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")  # does not wait
                    deleting.commit()
                second.record_store.append_many([metric("proj", "r2", "f9", 0.1, at=day(3))])  # nor this
            assert counts(second, "r1") == (0, 0) and orphans(second) == {}
            assert counts(second, "r2") == (5, 4)
            assert counts(pg_ctx, "r1") == (5, 4)
    finally:
        with other_connection(pg_ctx) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            admin.commit()


def test_truncating_owners_truncates_their_records(pg_ctx):
    history(pg_ctx)
    with other_connection(pg_ctx) as other:
        other.execute("TRUNCATE stages")  # stage records go; run-level records stay with their runs
        other.commit()
        assert (total(pg_ctx, "records"), orphans(pg_ctx)) == (4, {})
        other.execute("TRUNCATE projects RESTART IDENTITY CASCADE")
        other.commit()
    assert (total(pg_ctx, "records"), total(pg_ctx, "metric_summaries")) == (0, 0)
    add_project(pg_ctx, "other")  # ids start again: nothing old may turn up under the new run
    add_run(pg_ctx, "other", "fresh")
    assert pg_ctx.record_store.list_records(run_ref="run:other.fresh") == ()


def test_a_renamed_workspace_schema_still_deletes_its_own_records(pg_ctx):
    history(pg_ctx)
    with other_connection(pg_ctx) as other:
        schema = other.execute("SELECT current_schema()").fetchone()[0]
        other.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_moved"')
        other.execute(f'SET search_path = "{schema}_moved"')
        other.execute("DELETE FROM runs WHERE ref = 'run:proj.r1'")
        left = other.execute("SELECT count(*) FROM records").fetchone()[0]
        stray = other.execute(
            "SELECT count(*) FROM records WHERE run_id NOT IN (SELECT id FROM runs)"
        ).fetchone()[0]
        other.execute(f'ALTER SCHEMA "{schema}_moved" RENAME TO "{schema}"')
        other.commit()
    assert (left, stray) == (4, 0)


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
        assert waiting_for_a_lock(pg_ctx, thread)  # its COPY waits on the other writer's key
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
