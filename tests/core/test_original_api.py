"""Scripts written for the original library run unchanged: its record shapes, times as text, run order.

``from contexta import Contexta`` hands out records whose times are ISO-8601 text ending in ``Z``
(as the original does); the core client on the same workspace keeps aware datetimes.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import contexta
from contexta_core import Contexta as CoreContexta
from contexta_core import compat
from contexta_core.render.files import trend_chart
from contexta_core.synthetic import add_project, metric, run_model, seed_demo

ISO_Z = "%Y-%m-%dT%H:%M:%SZ"


@pytest.fixture
def original(ctx, database_url: str, tmp_path: Path):
    """The original-API facade on the same workspace as ``ctx`` (the core client)."""
    with contexta.Contexta(workspace=tmp_path / "ws", database_url=database_url) as opened:
        yield opened


def test_the_facade_is_the_core_client_with_the_originals_records():
    assert contexta.Contexta is compat.Contexta and issubclass(contexta.Contexta, CoreContexta)


def test_run_and_deployment_times_are_iso_text_ending_in_z(demo_ctx, original):
    runs = original.list_runs("churn-prediction")
    first = runs[0]
    assert (first.run_id, first.started_at, first.ended_at) == (
        "run:churn-prediction.churn-v1-jan",
        "2025-01-10T09:00:00Z",
        "2025-01-10T12:00:00Z",
    )
    assert first.tags == {} and first.metadata == {}  # the original's fields, in its order
    assert first.duration_seconds == 3 * 3600
    deployment = original.list_deployments("churn-prediction")[0]
    assert (deployment.deployment_id, deployment.run_id, deployment.started_at, deployment.ended_at) == (
        "deployment:churn-prediction.prod-deploy-v3",
        "run:churn-prediction.churn-v3-feb",
        "2025-02-22T15:00:00Z",
        "2025-02-22T15:12:00Z",
    )
    assert (deployment.artifact_ref, deployment.order, deployment.metadata) == (None, 0, {})
    every_time = [r.started_at for r in runs] + [r.ended_at for r in runs]
    assert all(isinstance(text, str) and datetime.strptime(text, ISO_Z) for text in every_time)


def test_the_core_keeps_aware_datetimes(demo_ctx, original):
    core_run = demo_ctx.list_runs("churn-prediction")[0]
    assert core_run.started_at == datetime(2025, 1, 10, 9, tzinfo=UTC)
    assert core_run.started_at.utcoffset() == timedelta(0)
    assert demo_ctx.list_deployments("churn-prediction")[0].started_at.tzinfo is not None
    # the same rows through both doors
    assert [r.run_id for r in demo_ctx.list_runs("churn-prediction")] == [
        r.run_id for r in original.list_runs("churn-prediction")
    ]


def test_stage_records_and_snapshots_give_text_times(demo_ctx, original):
    snapshot = original.get_run_snapshot("churn-v3-feb")
    assert snapshot.run.started_at == "2025-02-21T09:00:00Z"
    train, evaluate = snapshot.stages
    assert (train.stage_id, train.name, train.order, train.started_at, train.ended_at) == (
        "stage:churn-prediction.churn-v3-feb.train",
        "train",
        0,
        "2025-02-21T09:00:00Z",
        "2025-02-21T10:30:00Z",
    )
    assert evaluate.started_at == "2025-02-21T10:30:00Z" and train.tags == {} and train.metadata == {}
    assert [d.started_at for d in snapshot.deployments] == ["2025-02-22T15:00:00Z"]
    assert {r.observed_at for r in snapshot.records} == {"2025-02-21T12:00:00Z", "2025-02-21T09:00:00Z"}
    core = demo_ctx.get_run_snapshot("churn-v3-feb")
    assert core.stages[0].started_at == datetime(2025, 2, 21, 9, tzinfo=UTC)


def test_compare_and_record_deployment_give_text_times(demo_ctx, original):
    comparison = original.compare_runs("churn-v3-feb", "churn-v6-apr")
    assert (comparison.left_run.started_at, comparison.right_run.started_at) == (
        "2025-02-21T09:00:00Z",
        "2025-04-18T09:00:00Z",
    )
    assert [d.started_at for d in comparison.left_deployments] == ["2025-02-22T15:00:00Z"]
    recorded = original.record_deployment(
        "prod-deploy-v7", "churn-v6-apr", started_at="2025-05-01T08:00:00Z", ended_at="2025-05-01T08:05:00Z"
    )
    assert (recorded.started_at, recorded.ended_at) == ("2025-05-01T08:00:00Z", "2025-05-01T08:05:00Z")


def test_core_helpers_handed_the_facade_still_draw(demo_ctx, original):
    """Core helpers read the core's records (datetimes) even when given the facade."""
    chart = trend_chart(original, original.resolve_scope("churn-prediction")[0])
    assert chart.content.startswith(b"\x89PNG")


def _add_tied_runs(ctx, project: str, names: list[str], started: datetime) -> None:
    for name in names:  # written in this (not ref) order, so ids and refs disagree
        ctx.metadata_store.runs.put_run(run_model(project, name, started, started + timedelta(hours=1)))


def test_runs_started_at_the_same_moment_come_in_ref_order(ctx, original):
    add_project(ctx, "tied")
    moment = datetime(2025, 3, 28, 9, tzinfo=UTC)
    _add_tied_runs(ctx, "tied", ["early"], moment - timedelta(days=1))
    _add_tied_runs(ctx, "tied", ["zeta", "alpha", "mid", "beta"], moment)
    _add_tied_runs(ctx, "tied", ["late"], moment + timedelta(days=1))
    expected = ["early", "alpha", "beta", "mid", "zeta", "late"]
    assert [r.name for r in ctx.list_runs("tied")] == expected
    assert [r.name for r in original.list_runs("tied")] == expected
    assert [r.started_at for r in original.list_runs("tied")][1:5] == ["2025-03-28T09:00:00Z"] * 4
    assert [r.run_ref.split(".")[1] for r in ctx.metadata_store.runs.list_runs("project:tied")] == expected
    assert [r.name for r in ctx.list_runs(None) if r.project_name == "tied"] == expected


def test_pages_cut_through_ties_in_ref_order(ctx):
    """Every page, at every size and offset, is the matching slice of the whole ordered list."""
    add_project(ctx, "tied")
    base = datetime(2025, 3, 28, 9, tzinfo=UTC)
    names = [f"r{i:02d}" for i in range(12)]
    groups = [names[0:1], names[1:6], names[6:7], names[7:11], names[11:12]]
    for hour, group in enumerate(groups):
        _add_tied_runs(ctx, "tied", list(reversed(group)), base + timedelta(hours=hour))
    ctx.record_store.append_many([metric("tied", "r03", "acc", 0.5, stage=None)])  # a write between reads
    whole = [r.name for r in ctx.list_runs("tied")]
    assert whole == names
    for limit, offset in itertools.product((1, 2, 3, 5, 20), range(0, 14)):
        page = [r.name for r in ctx.list_runs("tied", limit=limit, offset=offset)]
        assert page == whole[offset : offset + limit], (limit, offset)
    assert [r.name for r in ctx.list_runs("tied", offset=4)] == whole[4:]
    assert ctx.list_runs("tied", limit=3, offset=50) == ()


def test_seed_case_workspace_reads_the_same_through_both_doors(demo_ctx, original):
    seed_demo(demo_ctx)  # already there: nothing written twice
    assert len(original.list_runs("churn-prediction")) == 6
    ids = [r.run_id for r in original.list_runs("churn-prediction")]
    best = original.select_best_run(ids, "accuracy", stage_name="evaluate", higher_is_better=True)
    assert best == "run:churn-prediction.churn-v6-apr"
    assert original.build_multi_run_report(ids).title == "Multi Run Report: 6 runs"


def test_the_originals_records_take_their_fields_from_the_cores_records():
    """One list of fields: the facade's records are the core's (times as text) in the original's
    order, plus the original-only mappings; a core field the original's order forgets is refused."""
    from dataclasses import dataclass, fields

    from contexta_core import results

    for core, original in (
        (results.RunRecord, compat.RunRecord),
        (results.DeploymentRecord, compat.DeploymentRecord),
        (results.StageRecord, compat.StageRecord),
        (results.ObservationRecord, compat.ObservationRecord),
    ):
        shaped = {f.name: f for f in fields(original)}
        for f in fields(core):
            assert f.name in shaped, (original.__name__, f.name)
            if "datetime" in str(f.type):  # times as `…Z` text
                assert str(shaped[f.name].type).startswith("str"), (original.__name__, f.name)
    assert [f.name for f in fields(compat.RunRecord)] == [
        "run_id", "project_name", "name", "status", "started_at", "ended_at", "tags", "metadata", "description",
    ]  # fmt: skip

    @dataclass(frozen=True)
    class Grown:
        run_id: str
        started_at: datetime
        owner: str = ""  # a field the core gained

    with pytest.raises(TypeError, match=r"place \['owner'\]"):
        compat._original_shape(Grown, "run_id started_at", required=1)
