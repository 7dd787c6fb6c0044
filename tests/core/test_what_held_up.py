"""What issue #12 found to hold up, kept under test on both databases: SQL in names and questions is
inert, a process killed with SIGKILL inside ``append_many`` leaves nothing partial, and a workspace
created at the first schema migrates to head with its data intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from contexta_core import Contexta
from contexta_core.contract import Project, Run
from contexta_core.results import to_jsonable
from contexta_core.store.engine import HEAD_REVISION, MIGRATIONS_DIR
from contexta_core.synthetic import BASE, add_run, metric, seed_demo

SQL_PAYLOADS = [
    "x'; DROP TABLE runs; --",
    'x"); DELETE FROM records; --',
    "x' OR '1'='1",
    "x%' UNION SELECT ref FROM projects --",
    "x\\'; TRUNCATE metric_summaries CASCADE; --",
]


def counts(ctx) -> dict[str, int]:
    with ctx.database.reading() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("projects", "runs", "records", "metric_summaries", "deployments")
        }


def test_sql_in_names_and_questions_is_inert(demo_ctx) -> None:
    before = counts(demo_ctx)
    for i, payload in enumerate(SQL_PAYLOADS):
        demo_ctx.metadata_store.projects.put_project(
            Project(project_ref=f"project:inj{i}", name=payload, created_at=BASE)
        )
        demo_ctx.metadata_store.runs.put_run(
            Run(
                run_ref=f"run:inj{i}.r",
                project_ref=f"project:inj{i}",
                name=payload,
                status="open",
                started_at=BASE,
            )
        )
    assert counts(demo_ctx)["runs"] == before["runs"] + len(SQL_PAYLOADS)
    names = {run.name for i in range(len(SQL_PAYLOADS)) for run in demo_ctx.list_runs(f"inj{i}")}
    assert names == set(SQL_PAYLOADS)  # stored and read back as the very text
    from bot.answers import answer_question

    for payload in SQL_PAYLOADS:
        for question in (f"best run of {payload}", f"how many runs in {payload}?", payload):
            answer = answer_question(demo_ctx, question, default_project="churn-prediction")
            assert answer.text
    assert len(demo_ctx.list_runs("churn-prediction")) == 6
    assert counts(demo_ctx) == {**before, "projects": before["projects"] + 5, "runs": before["runs"] + 5}


CHILD = """
import sys, time
from sqlalchemy import event
from contexta_core import Contexta
from contexta_core.store import pg_bulk
from contexta_core.synthetic import metric

def stall():
    print("inserted", flush=True)  # rows are in the open transaction: now SIGKILL arrives
    time.sleep(60)

copy_rows = pg_bulk.copy_rows
def copy_then_stall(conn, table, *args, **kwargs):  # PostgreSQL: the records go in by COPY
    copy_rows(conn, table, *args, **kwargs)
    if table == "records":
        stall()
pg_bulk.copy_rows = copy_then_stall

with Contexta(database_url=sys.argv[1]) as ctx:
    @event.listens_for(ctx.database.engine, "after_cursor_execute")
    def after(conn, cursor, statement, *args):  # SQLite: by INSERT
        if statement.startswith("INSERT INTO records"):
            stall()
    ctx.record_store.append_many([metric("proj", "r1", "acc", i / 1000, ref=f"k{i}") for i in range(500)])
"""


def test_sigkill_inside_append_many_leaves_nothing_partial(ctx, database_url: str) -> None:
    from contexta_core.synthetic import add_project

    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1")
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert child.stdout.readline().strip() == "inserted"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    after = counts(ctx)
    assert after["records"] == 0 and after["metric_summaries"] == 0
    ctx.record_store.append_many([metric("proj", "r1", "acc", 0.5)])  # the workspace is not stuck
    assert ctx.best_run("proj", "acc", stage_name="evaluate").value == 0.5


def test_a_workspace_from_the_first_schema_migrates_with_its_data_intact(ctx, database_url: str) -> None:
    seed_demo(ctx)
    before = (to_jsonable(ctx.onboarding_summary("churn-prediction")), counts(ctx))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with ctx.database.writing(bump_version=False) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")  # the first schema, holding the demo's history
    with ctx.database.reading() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    with Contexta(database_url=database_url) as reopened:  # migrates on open
        with reopened.database.reading() as conn:
            assert reopened.database.current_revision(conn) == HEAD_REVISION
        assert (to_jsonable(reopened.onboarding_summary("churn-prediction")), counts(reopened)) == before


@pytest.fixture
def demo_ctx(ctx):
    seed_demo(ctx)
    return ctx
