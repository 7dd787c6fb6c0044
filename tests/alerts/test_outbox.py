"""The outbox: an event is written in the transaction of the change it describes, only for the
transitions alerts tell about, never for bulk imports; and the dispatcher's idle check is indexed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from contexta_core.importers import open_importer, run_import
from contexta_core.store import schema
from contexta_core.synthetic import add_project, add_run
from contexta_core.tenancy import Tenant
from tests.importers.conftest import TENSORBOARD_LOGS


def events(ctx) -> list[tuple[str, str | None]]:
    e, r, d = schema.alert_events, schema.runs, schema.deployments
    with ctx.database.reading() as conn:
        rows = conn.execute(
            select(e.c.kind, r.c.name, d.c.name.label("deployment"))
            .outerjoin(r, r.c.id == e.c.run_id)
            .outerjoin(d, d.c.id == e.c.deployment_id)
            .order_by(e.c.id)
        ).all()
    return [(row.kind, row.name or row.deployment) for row in rows]


def test_a_run_that_ends_writes_one_event_and_repeats_write_none(ctx):
    with ctx.run("ok", project="proj") as run:
        run.log_metric("accuracy", 0.9)
        assert events(ctx) == []  # running: nothing to tell yet
    with pytest.raises(RuntimeError), ctx.run("crash", project="proj"):
        raise RuntimeError("boom")
    assert events(ctx) == [("run_completed", "ok"), ("run_failed", "crash")]
    model = ctx.metadata_store.runs.get_run("run:proj.ok")
    ctx.metadata_store.runs.put_run(model)  # stored again, unchanged: no news
    ctx.record_deployment("prod-1", "run:proj.ok")
    ctx.record_deployment("prod-1", "run:proj.ok")  # recorded again: still one deployment
    ctx.record_deployment("canary", "run:proj.ok", status="open")  # not live yet
    assert events(ctx) == [("run_completed", "ok"), ("run_failed", "crash"), ("deployment", "prod-1")]
    ctx.record_deployment("canary", "run:proj.ok")  # now it is live
    assert events(ctx)[-1] == ("deployment", "canary")


def test_an_event_commits_with_its_change_or_not_at_all(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "r1", 0)  # completed
    before = events(ctx)
    run = ctx.metadata_store.runs.get_run("run:proj.r1").model_copy(update={"status": "failed"})
    with pytest.raises(ZeroDivisionError), ctx.database.transaction():
        ctx.metadata_store.runs.put_run(run)
        assert events(ctx)[-1] == ("run_failed", "r1")  # inside the transaction it is there…
        raise ZeroDivisionError("the write fails after the change")
    assert events(ctx) == before  # …and rolled back with the change
    assert ctx.metadata_store.runs.get_run("run:proj.r1").status == "completed"


def test_bulk_imports_and_seeds_write_no_events(ctx):
    with ctx.run("first", project="vision") as run:
        run.log_metric("accuracy", 0.5)
    assert len(events(ctx)) == 1
    with ctx.bulk_import():
        add_run(ctx, "vision", "backfilled", 3)
        ctx.record_deployment("old-prod", "run:vision.backfilled")
    summary = run_import(ctx, open_importer("tensorboard", str(TENSORBOARD_LOGS), project="vision"))
    assert summary.new_runs >= 2
    assert len(events(ctx)) == 1  # only the captured run
    assert not ctx.database.in_bulk_import


def test_the_idle_check_is_one_statement_on_two_indexes(ctx):
    """Polled every second by every bot process: it must seek, never scan, however large the outbox
    and the delivery history grow."""
    e, d = schema.alert_events, schema.alert_deliveries
    add_project(ctx, "proj")
    now = datetime.now(UTC)
    with ctx.database.writing() as conn:
        project_id = conn.execute(select(schema.projects.c.id)).scalar_one()
        watch_id = conn.execute(
            schema.alert_watches.insert()
            .values(
                channel="C1",
                project_ref="project:proj",
                kinds=["failures"],
                language="en",
                status="active",
                created_at=now,
                updated_at=now,
                from_event_id=0,
            )
            .returning(schema.alert_watches.c.id)
        ).scalar_one()
        conn.execute(
            e.insert(),
            [
                {"kind": "run_completed", "project_id": project_id, "occurred_at": now, "created_at": now,
                 "dispatched_at": now}
                for _ in range(3000)
            ],
        )  # fmt: skip
        conn.execute(
            d.insert(),
            [
                {"watch_id": watch_id, "status": "delivered", "first_event_at": now, "last_event_at": now,
                 "attempts": 1}
                for _ in range(3000)
            ],
        )  # fmt: skip
        # another team's message, overdue (its bot is down): no work for this team's bot
        conn.execute(
            d.insert().values(
                watch_id=watch_id, team_id="TB", status="pending", first_event_at=now, last_event_at=now,
                due_at=now - timedelta(minutes=5), attempts=1,
            )
        )  # fmt: skip
    assert ctx.alerts.anything_to_do(now) is True  # for a bot posting for every team
    statements: list[str] = []
    engine = ctx.database.engine
    from sqlalchemy import event

    def seen(conn, cursor, statement, params, *_):
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert ctx.alerts.anything_to_do(now, tenants=[Tenant("T1"), Tenant("T2", "E1")]) is False
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    queries = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1, statements
    statement, params = queries[0]
    with engine.connect() as conn:
        if ctx.database.is_sqlite:
            lines = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
            plan = " | ".join(lines)
            assert "SEARCH alert_deliveries USING INDEX ix_alert_deliveries_due" in plan, plan
            # the only "scan" is of the partial index, which holds the unrouted events alone
            assert "SCAN alert_events USING INDEX ix_alert_events_pending" in plan, plan
            assert all("USING" in line for line in lines if "alert_" in line), plan
        else:
            conn.exec_driver_sql("ANALYZE alert_events")
            conn.exec_driver_sql("ANALYZE alert_deliveries")
            plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", params))
            assert "ix_alert_events_pending" in plan and "ix_alert_deliveries_due" in plan, plan
            assert "Seq Scan" not in plan, plan
    with ctx.database.reading() as conn:
        assert conn.execute(select(func.count()).select_from(e)).scalar_one() == 3000
