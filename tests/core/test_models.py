"""One set of model builders: the capture API and the synthetic histories spell refs the same way."""

from __future__ import annotations

from contexta_core import models
from contexta_core.refs import parse_ref
from contexta_core.synthetic import BASE, add_project, add_run, metric


def test_captured_and_synthetic_runs_are_built_by_the_same_builders(ctx):
    with ctx.run("Churn v7", project="proj") as run:
        with run.stage("Evaluate") as stage:
            stage.log_metric("accuracy", 0.9)
        run.log_event("training.note", "done")
    deployed = ctx.record_deployment("Prod 7", run.run_id)
    add_project(ctx, "proj")
    add_run(ctx, "proj", "churn-v8", 1, stages=("evaluate",))
    ctx.record_store.append_many([metric("proj", "churn-v8", "accuracy", 0.91)])

    built = models.run_model("proj", "churn-v7", BASE, None, status="open", name="Churn v7")
    assert run.run_id == built.run_ref == "run:proj.churn-v7"
    snapshot = ctx.get_run_snapshot(run.run_id)
    assert [s.stage_id for s in snapshot.stages] == [
        models.stage_model("proj", "churn-v7", "evaluate", BASE, None, 0, status="open").stage_execution_ref
    ]
    assert deployed.deployment_id == models.deployment_ref("proj", "prod-7")
    for record in (*snapshot.records, *ctx.get_run_snapshot("run:proj.churn-v8").records):
        assert parse_ref(record.record_id, "record")[:2] == ("proj", record.run_id.split(".", 1)[1])
    metric_record = next(r for r in snapshot.records if r.record_type == "metric")
    assert metric_record.stage_id == "stage:proj.churn-v7.evaluate"
    event_record = next(r for r in snapshot.records if r.record_type == "event")
    assert event_record.stage_id is None  # logged on the run itself
