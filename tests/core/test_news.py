"""What changed in a project between two moments (``queries.changes``) and the per-person marks
(``Contexta.news``), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text

from contexta_core import Contexta
from contexta_core.errors import QueryError
from contexta_core.news import FIRST_VISIT, Viewer
from contexta_core.synthetic import deployment_model, metric, project_model, run_model, stage_model
from contexta_core.synthetic import event as event_record
from contexta_core.tenancy import Tenant

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
P = "vision"


def run(
    ctx: Contexta,
    name: str,
    start: float,
    end: float | None,
    value: float | None = None,
    status: str = "completed",
) -> None:
    """A run from ``start`` to ``end`` (hours after T0; None: still open) with its accuracy."""
    ended = None if end is None else T0 + timedelta(hours=end)
    ctx.metadata_store.runs.put_run(
        run_model(P, name, T0 + timedelta(hours=start), ended, status="open" if end is None else status)
    )
    if value is not None:
        at = T0 + timedelta(hours=start, minutes=1)
        ctx.metadata_store.stages.put_stage_execution(stage_model(P, name, "evaluate", at, at, 0))
        ctx.record_store.append_many([metric(P, name, "accuracy", value, at=at)])


@pytest.fixture
def vision(ctx: Contexta) -> Contexta:
    ctx.metadata_store.projects.put_project(project_model(P, created_at=T0 - timedelta(days=30)))
    run(ctx, "old-good", -48, -47, 0.80)
    run(ctx, "old-bad", -30, -29, 0.70)
    run(ctx, "straddles", -2, 3, 0.82)  # started before the period, finished in it
    run(ctx, "new-done", 1, 2, 0.79)
    run(ctx, "new-open", 4, None)
    run(ctx, "new-failed", 5, 6, status="failed")
    ctx.record_store.append_many(
        [
            event_record(P, "new-failed", "train.step", "step 10", at=T0 + timedelta(hours=5, minutes=1)),
            _error(P, "new-failed", "loss is NaN", T0 + timedelta(hours=5, minutes=2)),
            event_record(
                P, "new-failed", "train.cleanup", "cleaned up", at=T0 + timedelta(hours=5, minutes=3)
            ),
        ]
    )
    ctx.metadata_store.deployments.put_deployment_execution(
        deployment_model(
            P, "prod-1", "straddles", T0 + timedelta(hours=7), T0 + timedelta(hours=7, minutes=5), 0
        )
    )
    return ctx


def _error(project: str, run_name: str, message: str, at: datetime):
    record = event_record(project, run_name, "train.crash", message, at=at)
    return record.model_copy(update={"payload": record.payload.model_copy(update={"level": "error"})})


def test_a_period_counts_what_started_and_what_finished_and_names_the_last_error(vision: Contexta) -> None:
    changes = vision.news.changes(P, T0, T0 + timedelta(hours=12))
    assert (changes.started_count, changes.completed_count, changes.failed_count) == (3, 2, 1)
    assert changes.changed_count == 4  # straddles finished in it; new-open is still running
    assert [r.name for r in changes.runs] == ["new-failed", "new-open", "straddles", "new-done"]
    (failed,) = changes.failed_runs
    assert failed.last_error == "loss is NaN"  # the last *error* event, not the last event
    assert [d.name for d in changes.deployments] == ["prod-1"] and changes.deployment_count == 1
    best = changes.new_best
    assert best is not None and best.run_name == "straddles" and best.value == pytest.approx(0.82)
    assert best.previous_run_name == "old-good" and best.margin == pytest.approx(0.02) and best.is_live


def test_a_worse_new_run_is_no_new_best_and_an_empty_period_is_nothing_new(vision: Contexta) -> None:
    later = vision.news.changes(P, T0 + timedelta(hours=1), T0 + timedelta(hours=2, minutes=30))
    assert [r.name for r in later.runs] == ["new-done"] and later.new_best is None  # 0.79 < 0.82
    quiet = vision.news.changes(P, T0 + timedelta(days=2), T0 + timedelta(days=3))
    assert quiet.nothing_new and quiet.runs == () and not quiet.has_more


def test_pages_of_a_long_period_hold_different_runs(vision: Contexta) -> None:
    first = vision.news.changes(P, T0, T0 + timedelta(hours=12), limit=2)
    second = vision.news.changes(P, T0, T0 + timedelta(hours=12), limit=2, page=2)
    assert first.has_more and not second.has_more
    assert [r.name for r in first.runs] + [r.name for r in second.runs] == [
        "new-failed",
        "new-open",
        "straddles",
        "new-done",
    ]


def test_a_reversed_period_is_refused(vision: Contexta) -> None:
    with pytest.raises(QueryError) as caught:
        vision.news.changes(P, T0, T0 - timedelta(hours=1))
    assert caught.value.code == "news_period_reversed"


def test_marks_are_per_person_and_team_move_forward_only_and_start_the_news(vision: Contexta) -> None:
    alice, alice_elsewhere = Viewer(Tenant("T1"), "U1"), Viewer(Tenant("T2"), "U1")
    vision.news.mark_seen(alice, [P], at=T0 + timedelta(hours=3, minutes=30))
    vision.news.mark_seen(alice, [P], at=T0)  # an answer finished late never rewinds the mark
    assert vision.news.last_seen(alice) == {P: T0 + timedelta(hours=3, minutes=30)}
    assert vision.news.last_seen(alice_elsewhere) == {}
    news = vision.news.whats_new(alice, P, until=T0 + timedelta(hours=12))
    (item,) = news.projects
    assert not item.first_visit and item.changes.since == T0 + timedelta(hours=3, minutes=30)
    assert [r.name for r in item.changes.runs] == ["new-failed", "new-open"]
    first = vision.news.whats_new(alice_elsewhere, P, until=T0 + timedelta(hours=12))
    assert (
        first.projects[0].first_visit
        and first.projects[0].changes.since == T0 + timedelta(hours=12) - FIRST_VISIT
    )


def test_every_read_of_a_period_is_an_indexed_range_on_sqlite(vision: Contexta) -> None:
    if not vision.database.is_sqlite:
        pytest.skip("the plan check reads SQLite's EXPLAIN QUERY PLAN")
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(vision.database.engine, "before_cursor_execute", capture)
    try:
        vision.news.changes(P, T0, T0 + timedelta(hours=12))
    finally:
        event.remove(vision.database.engine, "before_cursor_execute", capture)
    history = re.compile(r"^SCAN (runs|deployments|records|metric_summaries)\b(?!.*(USING|COVERING) )")
    with vision.database.engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            scans = [row[-1] for row in plan if history.match(row[-1])]
            assert scans == [], (statement, scans)
        assert conn.execute(text("SELECT 1")).scalar() == 1
