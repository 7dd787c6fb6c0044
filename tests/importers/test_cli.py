"""`contexta import …` from the terminal: the summary, JSON, errors, the pointer to an unimported
Contexta 1.x workspace, and `--watch` as a real process picking up a run as it lands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contexta_cli.main import app
from contexta_core import Contexta

ENV = {"COLUMNS": "120", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "CONTEXTA_DATABASE_URL": None}


def cli(*args: str):
    return CliRunner(env=ENV).invoke(app, list(args), catch_exceptions=False)


def test_import_prints_what_came_in_and_what_was_skipped(tmp_path, contexta1_workspace):
    ws = str(tmp_path / "ws")
    first = cli("--workspace", ws, "import", "contexta", str(contexta1_workspace))
    assert first.exit_code == 0, first.output
    assert (
        "projects     2 new" in first.output and "runs         10 new, 0 updated, 0 unchanged" in first.output
    )
    assert "records      33" in first.output and "deployments  4" in first.output
    assert (
        "1 × record of a run that is not in the ledger — e.g. record:churn-prediction.churn-v0-ghost"
        in first.output
    )
    again = cli("--workspace", ws, "import", "contexta", str(contexta1_workspace), "--json")
    summary = json.loads(again.stdout)
    assert (summary["new_runs"], summary["records"], summary["unchanged_runs"]) == (0, 0, 10)
    assert "churn-v6-apr" in cli("--workspace", ws, "runs", "churn-prediction").output


def test_a_folder_holding_an_unimported_original_workspace_says_how_to_import_it(contexta1_workspace):
    ws = str(contexta1_workspace)  # the bot and CLI pointed at the original's own .contexta folder
    listing = cli("--workspace", ws, "projects")
    assert f"contexta import contexta {contexta1_workspace}" in " ".join(listing.output.split())
    assert "No projects yet" not in listing.output
    onboard = cli("--workspace", ws, "onboard", "churn-prediction")
    assert onboard.exit_code == 2 and "contexta import contexta" in onboard.output
    asked = cli("--workspace", ws, "ask", "how many training runs are there?")
    assert asked.exit_code == 2 and "contexta import contexta" in asked.output
    assert cli("--workspace", ws, "import", "contexta", ws).exit_code == 0
    assert "churn-prediction" in cli("--workspace", ws, "projects").output


def test_unusable_sources_are_one_line_errors(tmp_path, mlflow_uri):
    ws = str(tmp_path / "ws")
    unknown = cli("--workspace", ws, "import", "mlflow", mlflow_uri, "--experiment", "Churn")
    assert unknown.exit_code == 2 and "did you mean `Churn Prediction`" in unknown.output
    missing = cli("--workspace", ws, "import", "contexta", str(tmp_path / "nothing"))
    assert missing.exit_code == 2 and "not a Contexta 1.x workspace" in missing.output
    no_project = cli("--workspace", ws, "import", "tensorboard", str(tmp_path))
    assert no_project.exit_code == 2 and "--project" in no_project.output


@pytest.mark.slow
def test_watch_brings_a_new_run_within_its_interval(tmp_path, mlflow_uri):
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    ws = tmp_path / "ws"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEXTA_")}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "contexta_cli", "--workspace", str(ws), "import", "mlflow", mlflow_uri, "--watch", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        assert _wait(lambda: _run_names(ws, "Churn Prediction"), 120), watcher
        client = MlflowClient(mlflow_uri)
        exp = client.get_experiment_by_name("Churn Prediction").experiment_id
        run = client.create_run(exp, run_name="landed-now")
        client.log_batch(run.info.run_id, metrics=[Metric("accuracy", 0.99, int(time.time() * 1000), 0)])
        client.set_terminated(run.info.run_id, "FINISHED")
        landed = time.monotonic()
        assert _wait(lambda: "landed-now" in _run_names(ws, "Churn Prediction"), 60)
        assert time.monotonic() - landed < 30  # an interval of 1 s, on a busy machine
        with Contexta(workspace=ws) as ctx:
            assert ctx.best_run("Churn Prediction", "accuracy").run_name == "landed-now"
    finally:
        watcher.send_signal(signal.SIGTERM)  # how a service manager stops it (Ctrl+C works alike)
        output, _ = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, output
    assert "Watching mlflow" in output and "Stopped watching." in output and "Traceback" not in output


def _run_names(ws: Path, project: str) -> list[str]:
    if not (ws / "contexta.db").exists():
        return []
    with Contexta(workspace=ws) as ctx:
        return [r.name for r in ctx.list_runs(project)] if project in ctx.list_projects() else []


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False
