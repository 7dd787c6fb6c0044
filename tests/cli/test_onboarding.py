"""`onboard` and `demo`: the five answers on one page, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from .checks import ok, ok_json

RUN_NAMES = ["churn-v1-jan", "churn-v2-feb", "churn-v3-feb", "churn-v4-mar", "churn-v5-apr", "churn-v6-apr"]


def assert_five_answers(out: str) -> None:
    headings = [
        "1. Training runs: 6  all completed",
        "2. evaluate/accuracy over time",
        "3. Deployments: 2  live: prod-deploy-v6 → churn-v6-apr",
        "4. Best run by evaluate/accuracy  higher is better",
        "5. Report: Multi Run Report: 6 runs  top 6 by accuracy",
    ]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)
    runs_section = out[positions[0] : positions[1]]
    for name in RUN_NAMES:
        assert name in runs_section
    assert "churn-v3-feb   2025-02-21   completed   ✓ prod-deploy-v3" in runs_section
    assert "✓ prod-deploy-v6   ● live" in runs_section
    assert "▁▃▄▆▇█  0.821 → 0.902 (+0.081)" in out
    assert "6 runs, 2025-01-10 → 2025-04-18, churn-v1-jan → churn-v6-apr" in out
    deployments = out[positions[2] : positions[3]]
    assert "prod-deploy-v3   churn-v3-feb   2025-02-22   completed      0.861" in deployments
    assert "0.902   ● live" in deployments
    best = out[positions[3] : positions[4]]
    assert "churn-v6-apr  0.902" in best
    assert "+0.008 ahead of the runner-up, churn-v5-apr (0.894)" in best
    assert "● live in production as prod-deploy-v6" in best
    report = out[positions[4] :]
    assert "churn-v6-apr             ★ 0.902        ★ 0.933       ★ 0.896   prod-deploy-v6" in report
    assert report.index("churn-v6-apr") < report.index("churn-v1-jan")  # best first


def test_onboard_answers_the_five_questions(demo_cli):
    assert_five_answers(ok(demo_cli("onboard", "churn-prediction")))


def test_onboard_finds_the_project_whatever_the_case(demo_cli):
    assert "1. Training runs: 6" in ok(demo_cli("onboard", "Churn-Prediction"))


def test_onboard_says_when_the_best_run_is_not_live(demo_cli, demo_ctx):
    demo_ctx.record_deployment("prod-rollback-v3", "churn-v3-feb", started_at="2025-05-01T10:00:00Z")
    out = ok(demo_cli("onboard", "churn-prediction"))
    assert "3. Deployments: 3  live: prod-rollback-v3 → churn-v3-feb" in out
    assert "○ not live: production serves churn-v3-feb (prod-rollback-v3, 0.861)" in out
    runs_lines = out[: out.index("2. evaluate/accuracy")].splitlines()
    live_lines = [line for line in runs_lines if "● live" in line]
    assert len(live_lines) == 1 and "churn-v3-feb" in live_lines[0]
    assert "prod-rollback-v3" in "\n".join(runs_lines)


def test_onboard_with_another_metric(demo_cli):
    out = ok(demo_cli("onboard", "churn-prediction", "--metric", "auc"))
    assert "2. evaluate/auc over time" in out
    assert "0.854 → 0.933 (+0.079)" in out
    assert "+0.012 ahead of the runner-up, churn-v5-apr (0.921)" in out


def test_onboard_json_is_the_summary(demo_cli):
    data = ok_json(demo_cli("onboard", "churn-prediction", "--json"))
    assert data["run_count"] == 6
    assert [run["name"] for run in data["runs"]] == RUN_NAMES
    assert data["trend"]["points"][0]["value"] == 0.821
    assert data["live"]["deployment"]["name"] == "prod-deploy-v6"
    assert data["best"]["run_name"] == "churn-v6-apr" and data["best_is_live"] is True
    assert (data["report"]["total_runs"], data["report"]["shown_runs"]) == (6, 6)  # data; views name it


def test_onboard_on_a_project_without_metrics_or_deployments(ctx, database_url, run_cli):
    from contexta_core.synthetic import add_project, add_run

    add_project(ctx, "fresh")
    add_run(ctx, "fresh", "first-try", 1)
    out = ok(run_cli("onboard", "fresh", database_url=database_url))
    assert "1. Training runs: 1  all completed" in out
    assert "no run recorded evaluate/accuracy" in out
    assert "3. Deployments: 0" in out and "nothing has been deployed yet" in out
    assert "note: no metric `accuracy` in stage `evaluate`" in out


def test_demo_seeds_once_then_reuses(database_url, run_cli):
    first = ok(run_cli("demo", database_url=database_url))
    assert first.startswith("Seeded the churn-prediction demo into ")
    assert_five_answers(first)
    assert "→ contexta report churn-prediction --format csv" in first
    second = ok(run_cli("demo", database_url=database_url))
    assert second.startswith("Reusing the churn-prediction demo in ")
    assert ok(run_cli("runs", "churn-prediction", "--json", database_url=database_url)).count('"run_id"') == 6


def test_demo_prints_what_onboard_prints(run_cli):
    demo = ok(run_cli("demo"))
    onboard = ok(run_cli("onboard", "churn-prediction"))
    assert onboard in demo


@pytest.mark.slow
def test_demo_as_a_real_process(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEXTA_") and k != "FORCE_COLOR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "contexta_cli", "--workspace", str(tmp_path / "ws"), "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith(f"Seeded the churn-prediction demo into sqlite:///{tmp_path / 'ws'}")
    assert_five_answers(done.stdout)
    assert (tmp_path / "ws" / "contexta.db").is_file()
