"""Best and deployments answers find their metric's scope with index seeks, never the trend.

At 100,000 runs a trend read is half a second of CPU; these answers show a few runs' values, so
reading every run's to learn where a metric is recorded made the quickest answers slow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from contexta_core.ask.answers import Ask, answer_best, answer_deployments
from contexta_core.errors import ContextaError
from contexta_core.queries import trend as trend_queries
from contexta_core.queries.trend import recorded_stages
from contexta_core.synthetic import add_project, add_run, metric


@contextmanager
def statements(ctx) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, *_):
        seen.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", record)


@pytest.fixture
def project(ctx):
    """Runs with metrics at run level, in one stage, in two stages, and in the default stage."""
    add_project(ctx, "proj")
    for n, run in enumerate(("a", "b", "c")):
        add_run(ctx, "proj", run, n, stages=("train", "validate", "evaluate"))
    ctx.record_store.append_many(
        [metric("proj", run, "lr", 0.1 * n, stage=None) for n, run in enumerate("abc")]
        + [metric("proj", run, "acc", 0.5 + n / 10, stage="evaluate") for n, run in enumerate("abc")]
        + [metric("proj", run, "loss", 1 - n / 10, stage="train") for n, run in enumerate("abc")]
        + [metric("proj", run, "kl", 0.2, stage=st) for run in "ab" for st in ("train", "validate")]
    )
    ctx.record_deployment("prod", "run:proj.b", status="completed")
    return ctx


ASKED = [
    {},  # the project's own metric
    {"metric": "acc"},
    {"metric": "lr"},  # run level
    {"metric": "loss"},  # only in train: found there
    {"metric": "loss", "higher_is_better": True},
    {"metric": "kl"},  # in two stages: ambiguous
    {"metric": "kl", "stage_name": "train"},
    {"metric": "kl", "stage_name": "evaluate"},  # a named stage that lacks it
    {"metric": "acc", "stage_name": "nowhere"},
    {"metric": "nope"},
]


def outcome(call):
    try:
        return call()
    except ContextaError as error:
        return (type(error).__name__, error.code, error.message, error.details)


@pytest.mark.parametrize("asked", ASKED, ids=lambda a: "-".join(map(str, a.values())) or "default")
def test_the_scope_is_the_one_the_trend_would_give_and_so_are_its_errors(project, asked) -> None:
    located = outcome(lambda: project.locate_scope("proj", **asked))
    resolved = outcome(lambda: project.resolve_scope("proj", **asked)[0])
    assert located == resolved
    if not isinstance(located, tuple):
        assert located.chosen_by == resolved.chosen_by


def test_best_and_deployments_never_read_the_trend(project, monkeypatch) -> None:
    def no_trend(*args, **kwargs):
        raise AssertionError("the trend was read")

    monkeypatch.setattr(trend_queries, "get_metric_trend", no_trend)
    monkeypatch.setattr("contexta_core.queries.onboarding.get_metric_trend", no_trend)
    with statements(project) as seen:
        best = answer_best(project, Ask("best", project="proj", metric="acc"))
        deployments = answer_deployments(project, Ask("deployments", project="proj", metric="acc"))
    assert best.best.run_name == "c" and best.scope.stage_name == "evaluate"
    assert [(d.deployment.name, d.metric_value, d.is_live) for d in deployments.deployments] == [
        ("prod", 0.6, True)
    ]
    assert best.deployments == deployments.deployments
    assert not any("ORDER BY metric_summaries.run_started_at" in s for s in seen)  # the trend's read


def test_deployments_of_a_metric_nobody_records_come_without_values(project) -> None:
    found = answer_deployments(project, Ask("deployments", project="proj", metric="nope"))
    assert found.scope is None and [d.metric_value for d in found.deployments] == [None]


def test_a_project_without_runs_has_no_best_yet(ctx) -> None:
    add_project(ctx, "empty")
    found = answer_best(ctx, Ask("best", project="empty"))
    assert found.best is None and found.deployments == ()


def test_where_a_metric_is_recorded_is_one_index_seek_per_stage(ctx) -> None:
    """The loose index scan: its statements search ix_summaries_latest by (project, metric[, stage >])
    and never scan, however many runs record the metric."""
    add_project(ctx, "proj")
    for n in range(40):
        add_run(ctx, "proj", f"r{n}", n, stages=("train", "evaluate"))
    ctx.record_store.append_many(
        [
            metric("proj", f"r{n}", "loss", 1 / (n + 1), stage=st)
            for n in range(40)
            for st in ("train", "evaluate")
        ]
    )
    with ctx.database.reading() as conn, statements(ctx) as seen:
        project_id = conn.exec_driver_sql("SELECT id FROM projects WHERE name = 'proj'").scalar()
        assert recorded_stages(conn, project_id, "loss") == ["evaluate", "train"]
        assert recorded_stages(conn, project_id, "nope") == []
    searches = [s for s in seen if "metric_summaries" in s]
    assert len(searches) == 3 + 1  # a seek per stage found, and one that finds no more (per metric)
    if ctx.database.is_sqlite:
        with ctx.database.reading() as conn:
            for statement in {s for s in searches}:
                params = (project_id, "loss", "evaluate")[: statement.count("?")]
                plan = " ".join(
                    row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                )
                assert "SEARCH metric_summaries USING COVERING INDEX" in plan and "SCAN" not in plan, plan
    else:
        with ctx.database.reading() as conn:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: what can it use?
            plan = "\n".join(
                row[0]
                for row in conn.exec_driver_sql(
                    "EXPLAIN SELECT min(stage_name) FROM metric_summaries "
                    "WHERE project_id = %s AND metric_key = %s AND stage_name > %s",
                    (project_id, "loss", "evaluate"),
                )
            )
            assert "Index Only Scan" in plan or "Index Scan" in plan, plan
