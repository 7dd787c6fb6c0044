"""The workspace store on SQLite and PostgreSQL: upserts, atomic batches, refused orphans, migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from contexta_core import Contexta
from contexta_core.contract import DeploymentExecution, Run, StageExecution
from contexta_core.errors import (
    ConfigurationError,
    IntegrityViolation,
    NotFoundError,
    SchemaVersionError,
    UnknownMetricError,
)
from contexta_core.store.engine import HEAD_REVISION, MIGRATIONS_DIR
from contexta_core.synthetic import BASE, add_project, add_run, day, event, metric


def test_put_is_an_idempotent_upsert_by_ref(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1")
    add_run(ctx, "proj", "r1")  # same again
    ms = ctx.metadata_store
    assert len(ms.runs.list_runs("project:proj")) == 1
    ms.runs.put_run(
        Run(
            run_ref="run:proj.r1",
            project_ref="project:proj",
            name="renamed",
            status="failed",
            started_at=day(0),
            ended_at=day(0, 10),
        )
    )
    stored = ms.runs.get_run("run:proj.r1")
    assert (stored.name, stored.status) == ("renamed", "failed")
    assert len(ms.stages.list_stage_executions("run:proj.r1")) == 2
    assert [p.name for p in ms.projects.list_projects()] == ["proj"]


def test_get_missing_says_what_is_close(ctx):
    add_project(ctx, "churn-prediction")
    with pytest.raises(NotFoundError, match="did you mean `project:churn-prediction`"):
        ctx.metadata_store.projects.get_project("project:churn-predction")


def test_orphans_are_refused(ctx):
    ms = ctx.metadata_store
    with pytest.raises(IntegrityViolation, match="project `project:ghost` does not exist"):
        ms.runs.put_run(
            Run(
                run_ref="run:ghost.r1", project_ref="project:ghost", name="r1", status="open", started_at=BASE
            )
        )
    add_project(ctx, "proj")
    with pytest.raises(IntegrityViolation, match="run `run:proj.nope` does not exist"):
        ms.stages.put_stage_execution(
            StageExecution(
                stage_execution_ref="stage:proj.nope.train",
                run_ref="run:proj.nope",
                stage_name="train",
                status="open",
                started_at=BASE,
            )
        )
    with pytest.raises(IntegrityViolation, match="deployed run"):
        ms.deployments.put_deployment_execution(
            DeploymentExecution(
                deployment_execution_ref="deployment:proj.prod",
                project_ref="project:proj",
                deployment_name="prod",
                status="completed",
                started_at=BASE,
                ended_at=BASE,
                run_ref="run:proj.nope",
            )
        )
    add_run(ctx, "proj", "r1", stages=("train",))
    with pytest.raises(IntegrityViolation, match="run `run:proj.r9` does not exist"):
        ctx.record_store.append(metric("proj", "r9", "accuracy", 0.5, stage=None))
    with pytest.raises(IntegrityViolation, match="stage `stage:proj.r1.evaluate` does not exist"):
        ctx.record_store.append(metric("proj", "r1", "accuracy", 0.5, stage="evaluate"))
    assert ctx.record_store.count() == 0


def test_a_failed_batch_writes_nothing(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1")
    good = [metric("proj", "r1", "accuracy", 0.5), event("proj", "r1")]
    with pytest.raises(IntegrityViolation, match="nothing of this batch was written"):
        ctx.record_store.append_many([*good, metric("proj", "ghost", "accuracy", 0.9)])
    with pytest.raises(IntegrityViolation, match="record #1 is a str"):
        ctx.record_store.append_many([good[0], "junk"])
    assert ctx.record_store.count() == 0
    with pytest.raises(UnknownMetricError, match="there are no metrics yet"):
        ctx.best_run("proj", "accuracy", stage_name="evaluate")


def test_duplicate_record_refs_are_refused_whole(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1")
    first = metric("proj", "r1", "accuracy", 0.5, ref="a")
    ctx.record_store.append(first)
    with pytest.raises(IntegrityViolation, match="already stored"):
        ctx.record_store.append_many([metric("proj", "r1", "accuracy", 0.9, ref="b"), first])
    with pytest.raises(IntegrityViolation, match="appears twice"):
        ctx.record_store.append_many(
            [metric("proj", "r1", "f1", 0.9, ref="c"), metric("proj", "r1", "f1", 0.9, ref="c")]
        )
    assert ctx.record_store.count() == 1
    # the summaries did not move either
    assert ctx.select_best_run(["run:proj.r1"], "accuracy", stage_name="evaluate") == "run:proj.r1"
    assert ctx.best_run("proj", "accuracy", stage_name="evaluate").value == 0.5


def test_records_read_back_by_run_stage_and_type(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1")
    add_run(ctx, "proj", "r2", 1)
    ctx.record_store.append_many(
        [
            metric("proj", "r1", "accuracy", 0.5),
            metric("proj", "r1", "loss", 3, stage="train"),
            event("proj", "r1", message="started"),
            metric("proj", "r2", "accuracy", 0.7, stage=None),
        ]
    )
    rs = ctx.record_store
    r1 = rs.list_records(run_ref="run:proj.r1")
    assert [r.envelope.record_type for r in r1] == ["metric", "metric", "event"]
    assert r1[2].payload.message == "started"
    assert [r.payload.metric_key for r in rs.list_records(stage_execution_ref="stage:proj.r1.train")] == [
        "loss"
    ]
    assert len(rs.list_records(record_type="metric")) == 3
    assert rs.list_records(run_ref="run:proj.r2")[0].envelope.stage_execution_ref is None
    again = rs.list_records(run_ref="run:proj.r1", key="accuracy")[0]
    assert again == metric("proj", "r1", "accuracy", 0.5, ref=again.envelope.record_ref.rsplit(".", 1)[1])


def test_migrates_an_empty_database_and_reopens_fast(database_url, tmp_path):
    with Contexta(workspace=tmp_path, database_url=database_url) as ctx, ctx.database.reading() as conn:
        assert ctx.database.current_revision(conn) == HEAD_REVISION
        tables = {"projects", "runs", "stages", "deployments", "records", "metric_summaries", "claims"}
        from sqlalchemy import inspect

        assert tables <= set(inspect(conn).get_table_names())
    with Contexta(workspace=tmp_path, database_url=database_url) as again:
        assert again.list_projects() == ()


def test_head_revision_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_the_migrations_build_exactly_the_declared_schema(ctx):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from contexta_core.store.schema import metadata

    with ctx.database.reading() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_newer_schema_is_refused_clearly(database_url, tmp_path):
    with Contexta(workspace=tmp_path, database_url=database_url) as ctx, ctx.database.writing() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaVersionError, match="newer than this Contexta knows"):
        Contexta(workspace=tmp_path, database_url=database_url)


def test_bad_database_urls_are_explained(tmp_path):
    with pytest.raises(ConfigurationError, match="unsupported database URL scheme 'mysql'"):
        Contexta(workspace=tmp_path, database_url="mysql://x@y/z")
    with pytest.raises(ConfigurationError, match="cannot open the workspace database"):
        Contexta(workspace=tmp_path, database_url="postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    try:
        Contexta(workspace=tmp_path, database_url="postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    except ConfigurationError as exc:
        assert "secret" not in str(exc)


def test_workspace_folder_is_created_with_one_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    root = tmp_path / "nested" / ".contexta"
    with Contexta(workspace=root) as ctx:
        add_project(ctx, "proj")
        with ctx.database.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (root / "contexta.db").exists()


def test_environment_selects_the_database(tmp_path, monkeypatch, pg_url):
    monkeypatch.setenv("CONTEXTA_DATABASE_URL", pg_url)
    with Contexta(workspace=tmp_path / "unused") as ctx:
        assert ctx.database.dialect == "postgresql"
        add_project(ctx, "proj")
    assert not (tmp_path / "unused" / "contexta.db").exists()


def test_an_older_workspace_upgrades_itself_on_open(database_url, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO projects (ref, name, created_at, tags, settings) VALUES (:r, :n, :c, '{}', '{}')"
            ),
            {"r": "project:old", "n": "old", "c": "2025-01-01 00:00:00"},
        )
    engine.dispose()
    with Contexta(workspace=tmp_path, database_url=database_url) as ctx:
        with ctx.database.reading() as conn:
            assert ctx.database.current_revision(conn) == HEAD_REVISION
        assert ctx.list_projects() == ("old",)
        ctx.set_preference("slack-channel:C1", "default_project", "old")
        assert ctx.get_preference("slack-channel:C1", "default_project") == "old"
