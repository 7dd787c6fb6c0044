"""Importing MLflow through its own client: from a SQL tracking store (a copy of
fixtures/mlflow_store, made by fixtures/make_mlflow_store.py with MLflow's client) and from a real
`mlflow server` process. The answers must be the ones MLflow's own API gives (see answers.py)."""

from __future__ import annotations

import time

import pytest
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

from contexta_core.importers import ImportSourceError, open_importer, run_import

from .answers import from_mlflow, ours


def _import(ctx, uri, **kwargs):
    full = kwargs.pop("full", True)
    return run_import(ctx, open_importer("mlflow", uri, **kwargs), full=full)


def _check_answers(ctx, client, past_deployments=None):
    """Ours equal MLflow's; ``past_deployments`` were live once (MLflow forgets an alias's past)."""
    for experiment, metric, key, higher in (
        ("Churn Prediction", "accuracy", "accuracy", True),
        ("Churn Prediction", "val_loss", "val_loss", False),
        ("Fraud Detection", "Val Loss", "val_loss", False),
    ):
        source = from_mlflow(client, experiment, metric, higher=higher)
        if experiment == "Churn Prediction":
            source.deployments.update(past_deployments or {})
        assert ours(ctx, experiment, key, higher=higher) == source


def test_the_five_answers_equal_mlflows(ctx, mlflow_uri):
    summary = _import(ctx, mlflow_uri)
    client = MlflowClient(mlflow_uri)
    _check_answers(ctx, client)
    assert (summary.new_projects, summary.new_runs, summary.deployments) == (2, 7, 2)
    statuses = {r.name: r.status for r in ctx.list_runs("Churn Prediction")}
    assert statuses == {
        "baseline-logreg": "completed",
        "xgb-depth6": "completed",
        "xgb-depth8": "failed",
        "xgb-tuned": "completed",
        "lgbm-trial": "cancelled",
    }
    run = next(r for r in ctx.list_runs("Churn Prediction") if r.name == "xgb-tuned")
    mlflow_run = client.search_runs(
        [client.get_experiment_by_name("Churn Prediction").experiment_id], "attributes.run_name = 'xgb-tuned'"
    )[0]
    assert (run.started_at.timestamp() * 1000, run.ended_at.timestamp() * 1000) == (
        mlflow_run.info.start_time,
        mlflow_run.info.end_time,
    )
    assert run.description == "xgb-tuned: trial 4"
    # the step history, not only the latest value; params and tags kept as events
    snapshot = ctx.get_run_snapshot(run.run_id)
    assert [r.value for r in snapshot.records if r.key == "accuracy"] == [0.82, 0.87, 0.91, 0.90]
    events = {r.key: r for r in snapshot.records if r.record_type == "event"}
    assert set(events) == {"mlflow.params", "mlflow.tags"}
    assert events["mlflow.params"].message == "2 parameters"
    # the project knows what "best" means without being told
    assert ctx.get_project_defaults("Fraud Detection").metric_key == "val_loss"
    assert ctx.get_project_defaults("Fraud Detection").higher_is_better is False
    reasons = {s.reason for s in summary.skipped}
    assert "metric value is NaN or infinite" in reasons
    assert any("alias 'challenger'" in r for r in reasons)


def test_importing_again_brings_only_what_is_new(ctx, mlflow_uri):
    _import(ctx, mlflow_uri)
    count = ctx.record_store.count()
    again = _import(ctx, mlflow_uri)
    assert again.nothing_new and again.unchanged_runs == 7 and ctx.record_store.count() == count

    client = MlflowClient(mlflow_uri)
    churn = client.get_experiment_by_name("Churn Prediction").experiment_id
    now = int(time.time() * 1000)
    running = client.create_run(churn, run_name="xgb-live", start_time=now)
    client.log_batch(running.info.run_id, metrics=[Metric("accuracy", 0.5, now + 1, 0)])
    first = _import(ctx, mlflow_uri, full=False)
    assert (first.new_runs, first.records) == (1, 2)  # the value and the tags event
    assert next(r for r in ctx.list_runs("Churn Prediction") if r.name == "xgb-live").status == "open"

    # the running run logs more and finishes; a model version of it becomes champion
    client.log_batch(running.info.run_id, metrics=[Metric("accuracy", 0.93, now + 2, 1)])
    client.set_terminated(running.info.run_id, "FINISHED", end_time=now + 3)
    version = client.create_model_version("churn-classifier", "runs:/x/model", run_id=running.info.run_id)
    client.set_registered_model_alias("churn-classifier", "champion", version.version)
    second = _import(ctx, mlflow_uri, full=False)
    assert (second.new_runs, second.updated_runs, second.records, second.deployments) == (0, 1, 1, 1)
    assert ctx.record_store.count() == count + 3
    _check_answers(ctx, client, past_deployments={"churn-classifier-v2-champion": "xgb-tuned"})
    summary = ctx.onboarding_summary("Churn Prediction")
    assert summary.best.run_name == "xgb-live" and summary.live.deployment.run_name == "xgb-live"
    assert _import(ctx, mlflow_uri, full=False).nothing_new


def test_only_the_experiments_asked_for(sqlite_ctx, mlflow_uri):
    summary = _import(sqlite_ctx, mlflow_uri, experiments=["Fraud Detection"])
    assert sqlite_ctx.list_projects() == ("Fraud Detection",) and summary.new_runs == 2
    with pytest.raises(ImportSourceError, match="did you mean `Fraud Detection`"):
        _import(sqlite_ctx, mlflow_uri, experiments=["fraud detection"])


def test_a_file_store_folder(sqlite_ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    folder = tmp_path / "mlruns"
    client = MlflowClient(folder.as_uri())
    exp = client.create_experiment("Local")
    run = client.create_run(exp, run_name="first", start_time=1_736_496_000_000)
    client.log_batch(
        run.info.run_id,
        metrics=[Metric("rmse", v, 1_736_496_000_000 + s, s) for s, v in enumerate((3.0, 2.5))],
    )
    client.set_terminated(run.info.run_id, "FINISHED", end_time=1_736_496_100_000)
    summary = _import(sqlite_ctx, str(folder))
    assert summary.new_runs == 1 and summary.records == 3
    assert ours(sqlite_ctx, "Local", "rmse", higher=False) == from_mlflow(
        client, "Local", "rmse", higher=False
    )


def test_a_real_mlflow_server(sqlite_ctx, mlflow_server):
    summary = _import(sqlite_ctx, mlflow_server)
    client = MlflowClient(mlflow_server)
    _check_answers(sqlite_ctx, client)
    assert summary.new_runs == 7 and _import(sqlite_ctx, mlflow_server).nothing_new


def test_a_tracking_uri_that_is_nothing(tmp_path):
    with pytest.raises(ImportSourceError, match="neither a tracking URI"):
        open_importer("mlflow", str(tmp_path / "nowhere"))


def test_runs_sharing_a_name_keep_their_own_refs(sqlite_ctx, mlflow_uri):
    client = MlflowClient(mlflow_uri)
    churn = client.get_experiment_by_name("Churn Prediction").experiment_id
    again = client.create_run(churn, run_name="xgb-tuned", start_time=1_740_000_000_000)
    client.set_terminated(again.info.run_id, "FINISHED", end_time=1_740_000_100_000)
    _import(sqlite_ctx, mlflow_uri)
    refs = [r.run_id for r in sqlite_ctx.list_runs("Churn Prediction") if r.name == "xgb-tuned"]
    assert refs == [
        "run:churn-prediction.xgb-tuned",
        f"run:churn-prediction.xgb-tuned-{again.info.run_id[:8]}",
    ]
    assert _import(sqlite_ctx, mlflow_uri).nothing_new
