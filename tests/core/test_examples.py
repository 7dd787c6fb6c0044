"""The example scripts run as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contexta_core import Contexta
from contexta_core.synthetic import seed_demo

ROOT = Path(__file__).resolve().parents[2]


def test_record_training_run_example_is_seen_by_the_queries(tmp_path, monkeypatch):
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    workspace = tmp_path / ".contexta"
    with Contexta(workspace=workspace) as ctx:
        seed_demo(ctx)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "record_training_run.py"),
            "--workspace",
            str(workspace),
            "--name",
            "churn-v7",
            "--deploy",
            "prod-deploy-v7",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.startswith("recorded run:churn-prediction.churn-v7 (accuracy 0.9")
    with Contexta(workspace=workspace) as ctx:
        runs = ctx.list_runs("churn-prediction")
        assert runs[-1].name == "churn-v7" and runs[-1].status == "completed"
        assert ctx.get_metric_trend("loss", project_name="churn-prediction").values[-1] < 0.2
        live = ctx.onboarding_summary("churn-prediction").live
        assert live.deployment.name == "prod-deploy-v7" and live.deployment.run_name == "churn-v7"
