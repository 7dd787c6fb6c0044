"""The five answers from the core: trend, snapshot/compare, onboarding summary, capture API."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from contexta_core.contract import MetricPayload
from contexta_core.errors import (
    AmbiguousMetricError,
    ContractValidationError,
    QueryError,
    UnknownMetricError,
    UnknownProjectError,
)
from contexta_core.render.document import report_title
from contexta_core.render.formatting import trend_missing_note
from contexta_core.synthetic import add_project, add_run, day, metric

DEMO = "churn-prediction"


def test_trend_has_every_run_in_start_order_and_notes_the_gaps(ctx):
    add_project(ctx, "proj")
    for n in range(25):  # more than the original's 20-run window
        add_run(ctx, "proj", f"r{n:02d}", n)
    ctx.record_store.append_many([metric("proj", f"r{n:02d}", "acc", n / 100) for n in range(25) if n != 7])
    trend = ctx.get_metric_trend("acc", project_name="proj")
    assert trend.stage_name == "evaluate"  # found where it lives
    assert len(trend.points) == 24 and trend.values[:3] == (0.0, 0.01, 0.02)
    assert trend.first.run_name == "r00" and trend.last.run_name == "r24"
    assert trend.change == pytest.approx(0.24)
    assert trend.missing_run_count == 1 and trend.missing_run_names == ("r07",)
    # the note is worded by the renderers from those counts and names, not by the query
    assert trend_missing_note(trend) == "1 run(s) have no evaluate/acc: r07"
    assert trend.points[1].started_at == day(1) and trend.points[1].started_at.tzinfo is UTC


def test_trend_follows_a_run_moved_in_time_and_marks_deployments(ctx):
    add_project(ctx, "proj")
    for n, run in enumerate(("a", "b", "c")):
        add_run(ctx, "proj", run, n)
    ctx.record_store.append_many(
        [
            metric("proj", run, "acc", v, at=day(0, h))
            for run, v, h in (("a", 0.5, 1), ("a", 0.7, 2), ("b", 0.6, 1), ("c", 0.8, 1))
        ]
    )
    ctx.record_deployment("prod-b", "run:proj.b", started_at=day(5))
    add_run(ctx, "proj", "a", 9)  # re-recorded: `a` now started last
    trend = ctx.get_metric_trend("acc", project_name="proj")
    assert [p.run_name for p in trend.points] == ["b", "c", "a"]
    assert trend.points[0].deployments == ("prod-b",) and trend.points[2].deployments == ()
    assert trend.points[2].started_at == day(9) and trend.points[2].value == 0.7  # the latest value
    maxima = ctx.get_metric_trend("acc", project_name="proj", aggregation="max")
    assert maxima.values == (0.6, 0.8, 0.7)
    means = ctx.get_metric_trend("acc", project_name="proj", aggregation="mean")
    assert means.values[2] == pytest.approx(0.6)


def query_plans(ctx, call) -> list[tuple[str, str]]:
    """(statement, SQLite's plan) for each query ``call`` runs."""
    from sqlalchemy import event

    seen: list[tuple[str, tuple]] = []
    engine = ctx.database.engine
    listener = lambda conn, cursor, statement, params, *_: seen.append((statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    with engine.connect() as conn:
        return [
            (
                statement,
                " | ".join(
                    row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                ),
            )
            for statement, params in seen
            if statement.lstrip().upper().startswith("SELECT")
        ]


def test_trend_and_best_run_read_their_indexes_without_sorting_or_scanning(tmp_path):
    """At 100,000 runs a sort or a range scan would cost more than the answer itself."""
    from contexta_core import Contexta

    with Contexta(workspace=tmp_path / "ws") as ctx:
        add_project(ctx, "proj")
        for n, run in enumerate(("a", "b")):
            add_run(ctx, "proj", run, n)
            ctx.record_store.append_many([metric("proj", run, "acc", 0.5 + n / 10)])
        trend = query_plans(
            ctx, lambda: ctx.get_metric_trend("acc", project_name="proj", stage_name="evaluate")
        )
        best = query_plans(ctx, lambda: ctx.best_run("proj", "acc", stage_name="evaluate"))
    points = next(plan for statement, plan in trend if "run_started_at" in statement)
    assert "ix_summaries_trend" in points and "TEMP B-TREE" not in points, points
    leaders = [plan for statement, plan in best if "JOIN runs" in statement]
    assert leaders and all("ix_summaries_latest" in p and "latest_value=?" in p for p in leaders), leaders


def test_report_marks_the_best_the_way_it_is_told(demo_ctx):
    ids = [run.run_id for run in demo_ctx.list_runs(DEMO)]
    flipped = demo_ctx.build_multi_run_report(ids, higher_is_better={"accuracy": False})
    usual = demo_ctx.build_multi_run_report(ids)  # a different question: not the cached answer
    best = {c.metric_key: flipped.table.run_names[c.best_index] for c in flipped.table.columns}
    assert best == {"accuracy": "churn-v1-jan", "auc": "churn-v6-apr", "f1": "churn-v6-apr"}
    assert "Best evaluate/accuracy (lowest): churn-v1-jan = 0.821" in flipped.to_markdown()
    assert "Best evaluate/accuracy (highest): churn-v6-apr = 0.902" in usual.to_markdown()


def test_trend_times_are_utc_whatever_the_session_zone(pg_url, tmp_path):
    """The bulk trend read takes PostgreSQL's own aware datetimes; a session in another zone (not
    one this code opens, but a pooled connection someone changed) still yields UTC."""
    from contexta_core import Contexta
    from contexta_core.queries.trend import get_metric_trend

    with Contexta(workspace=tmp_path / "ws", database_url=pg_url) as ctx:
        add_project(ctx, "proj")
        add_run(ctx, "proj", "a", 3)
        ctx.record_store.append_many([metric("proj", "a", "acc", 0.5)])
        with ctx.database.reading() as conn:
            conn.exec_driver_sql("SET TIME ZONE 'Asia/Seoul'")
            (point,) = get_metric_trend(conn, "acc", project_name="proj").points
            conn.invalidate()  # not back into the pool in Seoul
    assert point.started_at == day(3) and point.started_at.tzinfo is UTC


def test_a_metric_named_without_a_stage_is_found_wherever_it_is_recorded(ctx):
    add_project(ctx, "proj")
    for n, run in enumerate(("a", "b")):
        add_run(ctx, "proj", run, n, stages=("train", "validate", "evaluate"))
    ctx.record_store.append_many(
        [metric("proj", "a", "lr", 0.1, stage=None), metric("proj", "b", "lr", 0.05, stage=None)]
        + [
            metric("proj", run, "loss", v, stage=st)
            for run, v in (("a", 0.9), ("b", 0.7))
            for st in ("train", "evaluate")
        ]
        + [metric("proj", "a", "kl", 0.2, stage=st) for st in ("train", "validate")]
    )
    scope, trend = ctx.resolve_scope("proj", "lr")  # run level
    assert (scope.metric_key, scope.stage_name, scope.higher_is_better) == ("lr", None, True)
    assert trend.values == (0.1, 0.05)
    summary = ctx.onboarding_summary("proj", metric="lr", higher_is_better=False)
    assert summary.scope.stage_name is None and summary.best.run_name == "b"
    scope, _ = ctx.resolve_scope("proj", "loss")  # the project's stage first, direction by name
    assert (scope.stage_name, scope.higher_is_better) == ("evaluate", False)
    with pytest.raises(AmbiguousMetricError, match="several stages") as ambiguous:
        ctx.resolve_scope("proj", "kl")
    assert ambiguous.value.suggestions == ("train", "validate")
    with pytest.raises(
        UnknownMetricError, match="not recorded in stage `evaluate`; it is recorded in: `train`"
    ):
        ctx.resolve_scope("proj", "kl", "evaluate")  # a named stage is not second-guessed
    with pytest.raises(UnknownMetricError, match="no metric `nope` in stage `evaluate`"):
        ctx.resolve_scope("proj", "nope")


def test_the_stored_direction_holds_for_the_stored_metric_however_it_is_asked(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "a")
    ctx.record_store.append_many([metric("proj", "a", "score", 3.0, stage="evaluate")])
    ctx.set_project_defaults("proj", metric_key="score", higher_is_better=False)
    assert ctx.resolve_scope("proj")[0].higher_is_better is False
    assert ctx.resolve_scope("proj", "score")[0].higher_is_better is False  # named, still the project's
    assert ctx.resolve_scope("proj", "score", higher_is_better=True)[0].higher_is_better is True


def test_an_answer_its_scope_and_its_chart_read_the_trend_once(demo_ctx):
    """At 100,000 runs each trend read is ~0.1 s; the bot's onboarding answer needs it three times."""
    from sqlalchemy import event

    from contexta_core.render.files import trend_chart

    reads: list[str] = []

    def count(conn, cursor, statement, *_):
        if "ORDER BY metric_summaries.run_started_at" in statement:
            reads.append(statement)

    event.listen(demo_ctx.database.engine, "before_cursor_execute", count)
    try:
        summary = demo_ctx.onboarding_summary(DEMO)
        scope, trend = demo_ctx.resolve_scope(DEMO)
        trend_chart(demo_ctx, scope, trend)
        assert trend is summary.trend and len(reads) == 1
        add_run(demo_ctx, DEMO, "churn-v7-may", 200)  # any write: everything is read afresh
        assert demo_ctx.resolve_scope(DEMO)[1] is not trend and len(reads) == 2
    finally:
        event.remove(demo_ctx.database.engine, "before_cursor_execute", count)


def test_the_project_report_is_the_report_of_all_its_runs(demo_ctx):
    add_run(demo_ctx, DEMO, "churn-v7-may", 200, status="failed")  # no metrics, empty stages
    ids = [run.run_id for run in demo_ctx.list_runs(DEMO)]
    whole = demo_ctx.project_report(DEMO)  # read by project, not by id
    by_ids = demo_ctx.build_multi_run_report(ids, higher_is_better={"accuracy": True})
    assert whole.table == by_ids.table and whole.to_markdown() == by_ids.to_markdown()
    text = whole.to_markdown()
    assert "Multi Run Report: 7 runs" in text and "stage `train` has no records in 7 run(s)" in text
    assert "warning: 1 run(s) have no evaluate/accuracy: churn-v7-may" in text
    assert "info: stage `evaluate` has no records in 1 run(s)" in text
    add_project(demo_ctx, "empty")
    with pytest.raises(QueryError, match="project `empty` has no runs yet"):
        demo_ctx.project_report("empty")


def test_trend_stage_resolution_and_errors(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "a")
    ctx.record_store.append_many(
        [metric("proj", "a", "loss", 1.0, stage="train"), metric("proj", "a", "loss", 2.0)]
    )
    with pytest.raises(UnknownMetricError, match="recorded in several stages"):
        ctx.get_metric_trend("loss", project_name="proj")
    assert ctx.get_metric_trend("loss", project_name="proj", stage_name="train").values == (1.0,)
    with pytest.raises(UnknownMetricError, match="did you mean `loss`"):
        ctx.get_metric_trend("los", project_name="proj", stage_name="train")
    with pytest.raises(UnknownProjectError):
        ctx.get_metric_trend("loss", project_name="nope")


def test_snapshot_and_compare_use_the_original_field_names(demo_ctx):
    snap = demo_ctx.get_run_snapshot("churn-v3-feb")
    assert snap.run.run_id == "run:churn-prediction.churn-v3-feb"
    assert [s.name for s in snap.stages] == ["train", "evaluate"]
    assert [d.name for d in snap.deployments] == ["prod-deploy-v3"]
    metrics = {r.key: r.value for r in snap.records if r.record_type == "metric"}
    assert metrics == {"accuracy": 0.861, "auc": 0.889, "f1": 0.854}
    event = next(r for r in snap.records if r.record_type == "event")
    assert event.message == "Training run churn-v3-feb started." and event.stage_name is None
    assert snap.completeness_notes == ("missing_stage_records:train",)

    cmp = demo_ctx.compare_runs("run:churn-prediction.churn-v1-jan", "churn-v6-apr")
    assert (cmp.left_run_id, cmp.right_run_id) == ("run:churn-prediction.churn-v1-jan", "churn-v6-apr")
    evaluate = next(s for s in cmp.stage_comparisons if s.stage_name == "evaluate")
    acc = next(d for d in evaluate.metric_deltas if d.metric_key == "accuracy")
    assert (acc.left_value, acc.right_value) == (0.821, 0.902) and acc.delta == pytest.approx(0.081)
    assert cmp.left_deployments == () and cmp.right_deployments[0].name == "prod-deploy-v6"
    assert cmp.summary == "Compared churn-v1-jan and churn-v6-apr: 2 stage rows, 3 metric deltas."


def test_onboarding_summary_answers_the_five_questions(demo_ctx):
    s = demo_ctx.onboarding_summary(DEMO)
    assert s.run_count == 6 and s.status_counts == {"completed": 6} and s.runs_truncated == 0
    assert s.runs[0].name == "churn-v1-jan"
    assert s.trend.values == (0.821, 0.843, 0.861, 0.878, 0.894, 0.902)
    assert s.trend.change == pytest.approx(0.081)
    assert s.best_so_far == s.trend.values
    assert [(d.deployment.name, d.metric_value, d.is_live) for d in s.deployments] == [
        ("prod-deploy-v3", 0.861, False),
        ("prod-deploy-v6", 0.902, True),
    ]
    assert s.live.deployment.run_name == "churn-v6-apr"
    assert s.best.run_name == "churn-v6-apr" and s.best.margin == pytest.approx(0.008) and s.best_is_live
    assert s.report.total_runs == 6 and s.report.table.run_names[0] == "churn-v6-apr"
    assert report_title(s.report.total_runs) == "Multi Run Report: 6 runs"
    assert s.scope.metric_key == "accuracy" and s.scope.stage_name == "evaluate"


def test_onboarding_bounds_chat_views_and_uses_stored_defaults(ctx):
    add_project(ctx, "proj")
    for n in range(30):
        add_run(ctx, "proj", f"r{n:02d}", n, status="failed" if n == 29 else "completed")
    ctx.record_store.append_many(
        [metric("proj", f"r{n:02d}", "val-loss", 1 - n / 100, stage="train") for n in range(30)]
    )
    summary = ctx.onboarding_summary("proj", limit=5)
    # issue #11: no stored defaults -> the metric the runs record (here the only one), not `accuracy`
    assert (summary.scope.metric_key, summary.scope.stage_name, summary.scope.higher_is_better) == (
        "val-loss",
        "train",
        False,
    )
    assert summary.scope.chosen_by == "inferred" and summary.best.run_name == "r29" and not summary.notes
    assert len(summary.runs) == 5 and summary.runs_truncated == 25 and summary.runs[-1].name == "r29"
    assert summary.status_counts == {"completed": 29, "failed": 1}
    assert summary.report.total_runs == 30 and summary.report.shown_runs == 5
    ctx.set_project_defaults("proj", metric_key="val-loss", stage_name="train", higher_is_better=False)
    tuned = ctx.onboarding_summary("proj", limit=5)
    assert tuned.best.run_name == "r29" and tuned.best.value == pytest.approx(0.71)
    assert tuned.best_so_far[-1] == pytest.approx(0.71) and tuned.live is None and not tuned.best_is_live
    assert tuned.report.table.run_names[0] == "r29"
    with pytest.raises(UnknownMetricError):
        ctx.onboarding_summary("proj", metric="acc")  # asked for explicitly: an error, not a note


def test_onboarding_of_an_empty_project(ctx):
    add_project(ctx, "empty")
    s = ctx.onboarding_summary("empty")
    assert (s.run_count, s.runs, s.trend, s.best, s.live, s.report, s.notes) == (
        0,
        (),
        None,
        None,
        None,
        None,
        (),
    )


def test_capture_api_records_what_queries_see_at_once(ctx):
    with ctx.run("Churn v7!", project="churn") as run:
        run.log_metric("lr", 0.01)
        with run.stage("evaluate") as stage:
            stage.log_metric("accuracy", 0.91, step=3)
            stage.log_event("eval.done", "evaluation finished", level="info", samples=100)
        assert (
            ctx.best_run("churn", "accuracy", stage_name="evaluate").value == 0.91
        )  # visible before run ends
    runs = ctx.list_runs("churn")
    assert [(r.name, r.status, r.run_id) for r in runs] == [("Churn v7!", "completed", "run:churn.churn-v7")]
    assert ctx.select_best_run([runs[0].run_id], "lr") == "run:churn.churn-v7"
    event = ctx.record_store.list_records(run_ref="run:churn.churn-v7", record_type="event")[0]
    assert event.payload.attributes == {"samples": 100}
    deployment = ctx.record_deployment("Prod v7", "churn-v7")
    assert (deployment.name, deployment.run_name, deployment.status) == ("prod-v7", "Churn v7!", "completed")
    canary = ctx.record_deployment("canary", "churn-v7", status="failed")
    again = ctx.record_deployment("Prod v7", "churn-v7", status="completed")  # recorded again
    assert (deployment.order, canary.order, again.order) == (0, 1, 0)  # keeps its place
    assert [d.name for d in ctx.list_deployments("churn")] == ["canary", "prod-v7"]  # by when they happened


def test_a_failing_block_marks_the_run_failed_and_still_raises(ctx):
    with (
        pytest.raises(RuntimeError, match="out of memory"),
        ctx.run("v8", project="churn") as run,
        run.stage("train") as stage,
    ):
        stage.log_metric("loss", 0.5)
        raise RuntimeError("out of memory")
    [failed] = ctx.list_runs("churn")
    assert failed.status == "failed" and failed.ended_at is not None
    assert ctx.get_run_snapshot(failed.run_id).stages[0].status == "failed"
    assert ctx.get_metric_trend("loss", project_name="churn").values == (0.5,)  # kept what it logged
    with pytest.raises(ContractValidationError, match="finite number"), ctx.run("v9", project="churn") as run:
        run.log_metric("loss", float("nan"))
    with pytest.raises(QueryError, match="already exists"), ctx.run("v9", project="churn"):
        pass


def test_claims_and_preferences(ctx):
    assert ctx.claim_once("slack-event:Ev1") is True
    assert ctx.claim_once("slack-event:Ev1") is False
    ctx.release_claim("slack-event:Ev1")
    assert ctx.claim_once("slack-event:Ev1") is True
    assert ctx.claim_once("digest:1") is True
    assert ctx.prune_claims("slack-event:", older_than=timedelta(0)) == 1  # only under the prefix
    assert ctx.claim_once("slack-event:Ev1") is True and ctx.claim_once("digest:1") is False
    assert ctx.get_preference("slack-channel:C1", "default_project") is None
    ctx.set_preference("slack-channel:C1", "default_project", "churn-prediction")
    ctx.set_preference("slack-channel:C1", "default_project", "fraud")
    assert ctx.get_preference("slack-channel:C1", "default_project") == "fraud"


def test_project_defaults_are_validated(demo_ctx):
    with pytest.raises(ContractValidationError, match="metric key"):
        demo_ctx.set_project_defaults(DEMO, metric_key="Val Acc")
    assert demo_ctx.get_project_defaults(DEMO).metric_key == "accuracy"
    assert demo_ctx.resolve_project_name("Churn-Prediction") == DEMO
    assert MetricPayload(metric_key="val/acc", value=1).metric_key == "val/acc"


def test_cached_answers_are_dropped_by_any_write(database_url, tmp_path):
    from contexta_core import Contexta

    with (
        Contexta(workspace=tmp_path, database_url=database_url) as reader,
        Contexta(workspace=tmp_path, database_url=database_url) as writer,
    ):
        add_project(writer, "proj")
        add_run(writer, "proj", "a")
        writer.record_store.append(metric("proj", "a", "accuracy", 0.5))
        first = reader.onboarding_summary("proj")
        assert reader.onboarding_summary("proj") is first  # unchanged data: served from the cache
        assert reader.cache.hits == 1
        add_run(writer, "proj", "b", 1)  # another connection (as another process would) writes
        writer.record_store.append(metric("proj", "b", "accuracy", 0.9))
        second = reader.onboarding_summary("proj")
        assert second is not first and second.best.run_name == "b" and second.run_count == 2
