"""The seed case's four queries, their semantics and their errors, on both databases."""

from __future__ import annotations

import pytest

from contexta_core.errors import (
    QueryError,
    UnknownMetricError,
    UnknownProjectError,
    UnknownRunError,
    UnknownStageError,
)
from contexta_core.synthetic import add_project, add_run, day, metric

IDS = [
    f"run:churn-prediction.churn-v{i}-{m}"
    for i, m in [(1, "jan"), (2, "feb"), (3, "feb"), (4, "mar"), (5, "apr"), (6, "apr")]
]


def test_the_five_answers_on_the_demo_history(demo_ctx):
    ctx = demo_ctx
    runs = ctx.list_runs("churn-prediction")
    assert [r.name for r in runs] == [
        "churn-v1-jan",
        "churn-v2-feb",
        "churn-v3-feb",
        "churn-v4-mar",
        "churn-v5-apr",
        "churn-v6-apr",
    ]
    assert [r.run_id for r in runs] == IDS
    assert runs[0].status == "completed" and runs[0].duration_seconds == 3 * 3600
    deployments = ctx.list_deployments("churn-prediction")
    assert [(d.deployment_id, d.run_id) for d in deployments] == [
        ("deployment:churn-prediction.prod-deploy-v3", IDS[2]),
        ("deployment:churn-prediction.prod-deploy-v6", IDS[5]),
    ]
    assert ctx.select_best_run(IDS, "accuracy", stage_name="evaluate", higher_is_better=True) == IDS[5]
    best = ctx.best_run("churn-prediction", "accuracy", stage_name="evaluate")
    assert (best.run_name, best.value, best.runner_up_run_name) == ("churn-v6-apr", 0.902, "churn-v5-apr")
    assert best.margin == pytest.approx(0.008)
    report = ctx.build_multi_run_report(IDS)
    assert report.title == "Multi Run Report: 6 runs"
    titles = [s.title for s in report.sections]
    for original in ("Summary", "Run IDs", "Metric Table", "Completeness Notes"):
        assert original in titles
    assert (
        "evaluate/accuracy: 0.821, 0.843, 0.861, 0.878, 0.894, 0.902 (best: churn-v6-apr)"
        in report.section("Metric Table").body
    )
    assert report.section("Run IDs").body.splitlines() == IDS
    assert "stage `train` has no records in 6 run(s)" in report.section("Completeness Notes").body
    assert "prod-deploy-v3 → churn-v3-feb" in report.section("Deployments").body
    csv_lines = report.to_csv().splitlines()
    assert (
        csv_lines[0] == "run_id,name,status,started_at,deployments,evaluate/accuracy,evaluate/auc,evaluate/f1"
    )
    assert csv_lines[3].startswith(
        f"{IDS[2]},churn-v3-feb,completed,2025-02-21T09:00:00Z,prod-deploy-v3,0.861"
    )
    assert report.to_markdown().startswith("# Multi Run Report: 6 runs\n\n## Summary")


def test_list_runs_filters_pages_and_stays_oldest_first(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "late", 5)
    add_run(ctx, "proj", "early", 1, status="failed")
    add_run(ctx, "proj", "middle", 3, status="open")
    assert [r.name for r in ctx.list_runs("proj")] == ["early", "middle", "late"]
    assert [r.name for r in ctx.list_runs("proj", limit=2)] == ["early", "middle"]
    assert [r.name for r in ctx.list_runs("proj", limit=2, offset=2)] == ["late"]
    assert [r.name for r in ctx.list_runs("proj", status="failed")] == ["early"]
    assert ctx.list_runs("proj", status="open")[0].ended_at is None
    assert ctx.count_runs("proj") == 3
    with pytest.raises(QueryError, match="status 'running' is not one of open, completed"):
        ctx.list_runs("proj", status="running")
    with pytest.raises(QueryError, match="limit must be a positive"):
        ctx.list_runs("proj", limit=0)
    with pytest.raises(QueryError, match="offset"):
        ctx.list_runs("proj", offset=-1)


def test_unknown_and_empty_projects(ctx):
    add_project(ctx, "churn-prediction")
    assert ctx.list_runs("churn-prediction") == ()
    assert ctx.list_deployments("churn-prediction") == ()
    assert ctx.list_runs("project:churn-prediction") == ()
    assert ctx.list_runs("Churn-Prediction") == ()
    with pytest.raises(
        UnknownProjectError, match="no project `churn-predction`; did you mean `churn-prediction`"
    ):
        ctx.list_runs("churn-predction")
    with pytest.raises(UnknownProjectError) as info:
        ctx.list_deployments("fraud")
    assert "known projects: `churn-prediction`" in str(info.value) or info.value.suggestions


def _two_stage_project(ctx):
    add_project(ctx, "proj")
    for n, name in enumerate(["a", "b", "c"]):
        add_run(ctx, "proj", name, n)
    return ["run:proj.a", "run:proj.b", "run:proj.c"]


def test_repeated_metrics_use_latest_observation_and_later_append_wins_ties(ctx):
    ids = _two_stage_project(ctx)
    rs = ctx.record_store
    rs.append_many(
        [metric("proj", "a", "acc", 0.5, at=day(0, 1)), metric("proj", "a", "acc", 0.9, at=day(0, 2))]
    )
    rs.append_many(
        [metric("proj", "b", "acc", 0.95, at=day(0, 1)), metric("proj", "b", "acc", 0.8, at=day(0, 2))]
    )
    rs.append(metric("proj", "c", "acc", 0.3, at=day(0, 5)))
    rs.append(metric("proj", "c", "acc", 0.7, at=day(0, 5)))  # same time, appended later: wins
    assert ctx.select_best_run(ids, "acc", stage_name="evaluate") == "run:proj.a"  # (0.9, 0.8, 0.7)
    assert ctx.select_best_run(ids, "acc", stage_name="evaluate", aggregation="max") == "run:proj.b"  # 0.95
    assert (
        ctx.select_best_run(ids, "acc", stage_name="evaluate", aggregation="min") == "run:proj.b"
    )  # (0.5, .8, .3)
    assert (
        ctx.select_best_run(ids, "acc", stage_name="evaluate", aggregation="min", higher_is_better=False)
        == "run:proj.c"
    )
    assert (
        ctx.select_best_run(ids, "acc", stage_name="evaluate", aggregation="mean") == "run:proj.b"
    )  # .7,.875,.5
    # an older observation appended afterwards does not replace the latest one
    rs.append(metric("proj", "a", "acc", 0.1, at=day(0, 0)))
    assert ctx.best_run("proj", "acc", stage_name="evaluate").run_id == "run:proj.a"
    with pytest.raises(QueryError, match="aggregation 'median'"):
        ctx.select_best_run(ids, "acc", stage_name="evaluate", aggregation="median")


def test_ties_go_to_the_first_run_in_the_given_order(ctx):
    ids = _two_stage_project(ctx)
    ctx.record_store.append_many(
        [metric("proj", "a", "acc", 0.9), metric("proj", "b", "acc", 0.8), metric("proj", "c", "acc", 0.9)]
    )
    assert ctx.select_best_run(ids, "acc", stage_name="evaluate") == "run:proj.a"
    assert (
        ctx.select_best_run(["run:proj.c", "run:proj.a", "run:proj.b"], "acc", stage_name="evaluate")
        == "run:proj.c"
    )
    assert ctx.select_best_run(["c", "a"], "acc", stage_name="evaluate") == "c"  # bare ids come back bare
    best = ctx.best_run("proj", "acc", stage_name="evaluate")
    assert (best.run_name, best.runner_up_run_name, best.margin) == (
        "a",
        "c",
        0.0,
    )  # earliest run wins the tie
    lowest = ctx.best_run("proj", "acc", stage_name="evaluate", higher_is_better=False)
    assert (lowest.run_name, lowest.value, lowest.runner_up_value) == ("b", 0.8, 0.9)


def test_lower_is_better_single_run_and_missing_metrics(ctx):
    ids = _two_stage_project(ctx)
    ctx.record_store.append_many(
        [metric("proj", "a", "loss", 0.3, stage="train"), metric("proj", "c", "loss", 0.2, stage="train")]
    )
    assert ctx.select_best_run(ids, "loss", stage_name="train", higher_is_better=False) == "run:proj.c"
    assert ctx.select_best_run(ids, "loss", stage_name="train", higher_is_better=True) == "run:proj.a"
    assert ctx.select_best_run(["run:proj.a"], "loss", stage_name="train") == "run:proj.a"  # one run is fine
    assert ctx.select_best_run(["run:proj.b"], "loss", stage_name="train") is None  # b has no loss: skipped
    only = ctx.best_run("proj", "loss", stage_name="train")
    assert only.runner_up_run_id == "run:proj.c" and only.margin == pytest.approx(0.1)


def test_stage_none_means_run_level_and_errors_say_where_metrics_are(ctx):
    ids = _two_stage_project(ctx)
    ctx.record_store.append_many(
        [metric("proj", "a", "acc", 0.9), metric("proj", "b", "lr", 0.01, stage=None)]
    )
    with pytest.raises(
        UnknownMetricError, match=r"`acc` is not recorded at run level; it is recorded in: `evaluate`"
    ):
        ctx.select_best_run(ids, "acc")
    assert ctx.select_best_run(ids, "lr") == "run:proj.b"
    with pytest.raises(UnknownStageError, match="no stage `evaluation`; did you mean `evaluate`"):
        ctx.select_best_run(ids, "acc", stage_name="evaluation")
    with pytest.raises(
        UnknownMetricError, match="no metric `acuracy` in stage `evaluate`; did you mean `acc`"
    ):
        ctx.best_run("proj", "acuracy", stage_name="evaluate")
    with pytest.raises(UnknownMetricError, match="not recorded in stage `train`"):
        ctx.select_best_run(ids, "acc", stage_name="train")


def test_failed_runs_count_and_unknown_runs_are_named(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "ok", 0)
    add_run(ctx, "proj", "crashed", 1, status="failed")
    ctx.record_store.append_many([metric("proj", "ok", "acc", 0.8), metric("proj", "crashed", "acc", 0.85)])
    assert (
        ctx.select_best_run(["run:proj.ok", "run:proj.crashed"], "acc", stage_name="evaluate")
        == "run:proj.crashed"
    )
    with pytest.raises(UnknownRunError, match="no run `run:proj.crashd`; did you mean `run:proj.crashed`"):
        ctx.select_best_run(["run:proj.ok", "run:proj.crashd"], "acc", stage_name="evaluate")
    with pytest.raises(QueryError, match="no run ids given"):
        ctx.select_best_run([], "acc")
    with pytest.raises(QueryError, match="not a single string"):
        ctx.build_multi_run_report("run:proj.ok")
    report = ctx.build_multi_run_report(["run:proj.ok", "run:proj.crashed"])
    assert "1 failed runs" in report.section("Summary").body
    assert "[failed]" in report.section("Runs").body


def test_ambiguous_bare_ids_are_refused(ctx):
    add_project(ctx, "one")
    add_project(ctx, "two")
    add_run(ctx, "one", "r1")
    add_run(ctx, "two", "r1")
    with pytest.raises(UnknownRunError, match="ambiguous"):
        ctx.select_best_run(["r1"], "acc")


def test_report_marks_missing_values_and_lower_is_better_columns(ctx):
    ids = _two_stage_project(ctx)
    ctx.record_store.append_many(
        [
            metric("proj", "a", "val-loss", 0.4),
            metric("proj", "b", "val-loss", 0.2),
            metric("proj", "a", "acc", 0.5),
        ]
    )
    report = ctx.build_multi_run_report(ids)
    table = report.table
    loss = next(c for c in table.columns if c.metric_key == "val-loss")
    assert loss.values == (0.4, 0.2, None) and table.run_names[loss.best_index] == "b"
    notes = report.section("Completeness Notes").body
    assert "2 run(s) have no evaluate/acc: b, c" in notes
    assert report.to_dict()["table"]["columns"][0]["metric_key"] == "acc"


def test_moving_a_run_earlier_moves_it_ahead_in_ties(ctx):
    from contexta_core.contract import Run

    _two_stage_project(ctx)
    ctx.record_store.append_many([metric("proj", "a", "acc", 0.9), metric("proj", "c", "acc", 0.9)])
    assert ctx.best_run("proj", "acc", stage_name="evaluate").run_name == "a"
    ctx.metadata_store.runs.put_run(
        Run(
            run_ref="run:proj.c",
            project_ref="project:proj",
            name="c",
            status="completed",
            started_at=day(-5),
            ended_at=day(-5, 12),
        )
    )
    assert [r.name for r in ctx.list_runs("proj")] == ["c", "a", "b"]
    assert ctx.best_run("proj", "acc", stage_name="evaluate").run_name == "c"
