"""The plain query commands on the demo history: text for people, one JSON object for scripts."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .checks import ok, ok_json

V3, V6 = "run:churn-prediction.churn-v3-feb", "run:churn-prediction.churn-v6-apr"


def test_projects(demo_cli):
    out = ok(demo_cli("projects"))
    assert "churn-prediction      6   2025-04-18   Customer churn prediction model" in out
    data = ok_json(demo_cli("projects", "--json"))
    assert [(p["name"], p["run_count"]) for p in data["projects"]] == [("churn-prediction", 6)]


def test_projects_in_an_empty_workspace(run_cli):
    assert "No projects yet. Try `contexta demo`" in ok(run_cli("projects"))


def test_runs_lists_every_run_with_its_deployments(demo_cli):
    out = ok(demo_cli("runs", "churn-prediction"))
    assert out.startswith("churn-prediction · 6 runs · evaluate/accuracy, higher is better\n")
    assert "1   churn-v1-jan   2025-01-10   completed      0.821" in out
    assert "3   churn-v3-feb   2025-02-21   completed      0.861   ✓ prod-deploy-v3" in out
    assert "6   churn-v6-apr   2025-04-18   completed      0.902   ✓ prod-deploy-v6   ★ best" in out


def test_runs_pages_and_filters(demo_cli):
    out = ok(demo_cli("runs", "churn-prediction", "--limit", "2", "--offset", "2"))
    assert out.startswith("churn-prediction · 6 runs (showing 3–4) · evaluate/accuracy, higher is better\n")
    assert "3   churn-v3-feb" in out and "4   churn-v4-mar" in out and "churn-v5-apr" not in out
    assert (
        ok(demo_cli("runs", "churn-prediction", "--status", "failed")) == "churn-prediction · 0 failed runs\n"
    )
    data = ok_json(demo_cli("runs", "churn-prediction", "--status", "completed", "--limit", "1", "--json"))
    assert data["total"] == 6 and data["status"] == "completed"
    assert [r["run_id"] for r in data["runs"]] == ["run:churn-prediction.churn-v1-jan"]
    assert data["runs"][0]["started_at"] == "2025-01-10T09:00:00Z"


def test_deployments_mark_the_live_one(demo_cli):
    out = ok(demo_cli("deployments", "churn-prediction"))
    assert out.startswith("churn-prediction · 2 deployments · live: prod-deploy-v6 → churn-v6-apr\n")
    rows = [line.rstrip() for line in out.splitlines()]
    assert "prod-deploy-v3   churn-v3-feb   2025-02-22   completed      0.861" in rows
    assert "prod-deploy-v6   churn-v6-apr   2025-04-19   completed      0.902   ● live" in rows
    assert rows[-1].strip() == "★ best"  # the live deployment also shipped the best run
    data = ok_json(demo_cli("deployments", "churn-prediction", "--json"))
    assert data["live"]["deployment"]["name"] == "prod-deploy-v6"
    assert data["best_run_id"] == V6 and data["higher_is_better"] is True
    assert [(d["deployment"]["run_id"], d["metric_value"], d["is_live"]) for d in data["deployments"]] == [
        (V3, 0.861, False),
        (V6, 0.902, True),
    ]


def test_best_uses_the_project_defaults(demo_cli):
    out = ok(demo_cli("best", "churn-prediction"))
    assert out.splitlines() == [
        "churn-v6-apr  0.902  evaluate/accuracy (latest), higher is better",
        "+0.008 ahead of the runner-up, churn-v5-apr (0.894)",
        "deployed as prod-deploy-v6",
    ]
    data = ok_json(demo_cli("best", "churn-prediction", "--json"))
    assert (data["run_id"], data["value"], data["runner_up_run_name"]) == (V6, 0.902, "churn-v5-apr")
    assert data["margin"] == pytest.approx(0.008)
    assert data["deployments"] == ["prod-deploy-v6"]


def test_best_with_options(demo_cli):
    out = ok(
        demo_cli("best", "churn-prediction", "--metric", "auc", "--lower-is-better", "--aggregation", "max")
    )
    assert out.splitlines() == [
        "churn-v1-jan  0.854  evaluate/auc (max), lower is better",
        "+0.018 ahead of the runner-up, churn-v2-feb (0.872)",
        "never deployed",
    ]
    data = ok_json(demo_cli("best", "churn-prediction", "-m", "f1", "-s", "evaluate", "--json"))
    assert (data["run_name"], data["value"], data["higher_is_better"]) == ("churn-v6-apr", 0.896, True)


def test_trend_shows_the_change_and_every_run(demo_cli):
    out = ok(demo_cli("trend", "churn-prediction"))
    lines = out.splitlines()
    assert lines[0] == "▁▃▄▆▇█  0.821 → 0.902 (+0.081)  better"
    assert lines[1] == "6 runs, 2025-01-10 → 2025-04-18, churn-v1-jan → churn-v6-apr"
    assert "churn-v3-feb   2025-02-21               0.861   +0.018   prod-deploy-v3" in out
    assert "churn-v6-apr   2025-04-18               0.902   +0.008   prod-deploy-v6" in out
    data = ok_json(demo_cli("trend", "churn-prediction", "--metric", "f1", "--json"))
    assert [p["value"] for p in data["points"]] == [0.811, 0.836, 0.854, 0.871, 0.888, 0.896]
    assert data["change"] == pytest.approx(0.085) and data["stage_name"] == "evaluate"


def test_direction_flags_change_the_verdict_and_the_best_everywhere(demo_cli, tmp_path):
    """`--lower-is-better` on accuracy (a deliberate misuse) turns every judgement around."""
    lines = ok(demo_cli("trend", "churn-prediction", "--lower-is-better")).splitlines()
    assert lines[0] == "▁▃▄▆▇█  0.821 → 0.902 (+0.081)  worse"
    data = ok_json(demo_cli("trend", "churn-prediction", "--lower-is-better", "--json"))
    assert data["higher_is_better"] is False
    out = ok(demo_cli("onboard", "churn-prediction", "--lower-is-better"))
    assert "churn-v1-jan  0.821\n+0.022 ahead of the runner-up, churn-v2-feb (0.843)" in out
    rows = [
        line.rstrip() for line in ok(demo_cli("runs", "churn-prediction", "--lower-is-better")).splitlines()
    ]
    assert rows[0] == "churn-prediction · 6 runs · evaluate/accuracy, lower is better"
    assert rows[3] == "1   churn-v1-jan   2025-01-10   completed      0.821                      ★ best"
    assert rows[8].endswith("0.902   ✓ prod-deploy-v6")
    report = tmp_path / "r.md"
    ok(demo_cli("report", "churn-prediction", "-m", "f1", "--lower-is-better", "-o", str(report)))
    text = report.read_text()
    assert "Best evaluate/f1 (lowest): churn-v1-jan = 0.811" in text
    assert "Best evaluate/accuracy (highest): churn-v6-apr = 0.902" in text  # other metrics by name


def test_runs_show_the_metric_and_the_best_run(demo_cli):
    rows = [line.rstrip() for line in ok(demo_cli("runs", "churn-prediction")).splitlines()]
    assert rows[1].split() == ["#", "run", "started", "status", "accuracy", "deployed"]
    assert rows[-1].endswith("completed      0.902   ✓ prod-deploy-v6   ★ best")
    out = ok(demo_cli("runs", "churn-prediction", "-m", "auc", "--limit", "1", "--offset", "1"))
    assert "2   churn-v2-feb   2025-02-07   completed   0.872" in out and "★" not in out
    data = ok_json(demo_cli("runs", "churn-prediction", "-m", "auc", "--limit", "1", "--json"))
    assert data["metric"] == {
        "metric_key": "auc",
        "stage_name": "evaluate",
        "higher_is_better": True,
        "best_run_id": V6,
        "values": {"run:churn-prediction.churn-v1-jan": 0.854},
    }


def test_deployments_with_another_metric(demo_cli):
    rows = [
        line.rstrip() for line in ok(demo_cli("deployments", "churn-prediction", "-m", "auc")).splitlines()
    ]
    assert rows[1].split() == ["deployment", "run", "deployed", "status", "auc"]
    assert rows[-2] == "prod-deploy-v6   churn-v6-apr   2025-04-19   completed   0.933   ● live"
    lower = ok(demo_cli("deployments", "churn-prediction", "--lower-is-better"))
    assert "★" not in lower  # the lowest accuracy (churn-v1-jan) never shipped


def test_compare_two_runs(demo_cli):
    out = ok(demo_cli("compare", "churn-v3-feb", V6))
    assert out.startswith("Compared churn-v3-feb and churn-v6-apr: 2 stage rows, 3 metric deltas.\n")
    assert "deployed            prod-deploy-v3   prod-deploy-v6" in out
    assert "evaluate/accuracy            0.861            0.902   +0.041   +4.8%" in out
    data = ok_json(demo_cli("compare", V3, V6, "--json"))
    assert (data["left_run"]["name"], data["right_run"]["name"]) == ("churn-v3-feb", "churn-v6-apr")
    deltas = {
        d["metric_key"]: d["right_value"] for s in data["stage_comparisons"] for d in s["metric_deltas"]
    }
    assert deltas == {"accuracy": 0.902, "auc": 0.933, "f1": 0.896}


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_report_writes_every_run(demo_cli, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    out = ok(demo_cli("report", "churn-prediction", "--format", fmt, "-o", str(target)))
    assert out == f"Wrote Multi Run Report: 6 runs ({fmt}) to {target}\n"
    text = target.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("# Multi Run Report: 6 runs\n\n## Summary")
        assert "evaluate/accuracy: 0.821, 0.843, 0.861, 0.878, 0.894, 0.902 (best: churn-v6-apr)" in text
    elif fmt == "json":
        document = json.loads(text)
        assert document["title"] == "Multi Run Report: 6 runs"
        assert len(document["table"]["run_ids"]) == 6
    elif fmt == "html":
        assert text.startswith("<!doctype html>") and text.count("<tr") == 7  # header + 6 runs
        assert (
            "churn-v6-apr" in text and "data:image/png;base64," in text and "Multi Run Report: 6 runs" in text
        )
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["name"] for r in rows][-1] == "churn-v6-apr" and len(rows) == 6
        assert rows[2]["deployments"] == "prod-deploy-v3" and rows[5]["evaluate/accuracy"] == "0.902"


def test_report_defaults_to_a_file_in_the_current_folder(demo_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = ok_json(demo_cli("report", "churn-prediction", "--json"))
    path = tmp_path / "churn-prediction-report.md"
    assert data == {
        "project": "churn-prediction",
        "title": "Multi Run Report: 6 runs",
        "format": "md",
        "path": str(path),
    }
    assert path.read_text(encoding="utf-8").startswith("# Multi Run Report: 6 runs")


@pytest.mark.parametrize(
    "args",
    [
        ["projects"],
        ["runs", "churn-prediction"],
        ["deployments", "churn-prediction"],
        ["best", "churn-prediction"],
        ["trend", "churn-prediction"],
        ["compare", V3, V6],
        ["onboard", "churn-prediction"],
    ],
    ids=lambda args: args[0],
)
def test_json_output_is_one_object_and_nothing_else(demo_cli, args):
    data = ok_json(demo_cli(*args, "--json"))
    assert isinstance(data, dict) and data


def test_workspace_and_database_come_from_the_environment(demo_ctx, database_url, tmp_path):
    from typer.testing import CliRunner

    from contexta_cli.main import app

    from .conftest import RUNNER_ENV

    env = {
        **RUNNER_ENV,
        "CONTEXTA_WORKSPACE": str(tmp_path / "env-ws"),
        "CONTEXTA_DATABASE_URL": database_url,
    }
    data = ok_json(CliRunner(env=env).invoke(app, ["projects", "--json"]))
    assert [p["name"] for p in data["projects"]] == ["churn-prediction"]
    env["CONTEXTA_DATABASE_URL"] = None
    assert ok(CliRunner(env=env).invoke(app, ["demo"])).startswith(
        f"Seeded the churn-prediction demo into sqlite:///{tmp_path / 'env-ws' / 'contexta.db'}"
    )


def test_trend_draws_the_chart_to_a_png(demo_cli, tmp_path):
    target = tmp_path / "trend.png"
    out = ok(demo_cli("trend", "churn-prediction", "--png", str(target)))
    assert f"Chart written to {target}" in out and "0.821 → 0.902" in out
    png = target.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_run_level_metrics_are_found_without_naming_a_stage(ctx, database_url, run_cli):
    from contexta_core.synthetic import add_project, add_run, metric

    add_project(ctx, "proj")
    for n, run in enumerate(("a", "b")):
        add_run(ctx, "proj", run, n)
    ctx.record_store.append_many(
        [metric("proj", "a", "lr", 0.1, stage=None), metric("proj", "b", "lr", 0.05, stage=None)]
    )
    out = ok(run_cli("best", "proj", "-m", "lr", "--lower-is-better", database_url=database_url))
    assert out.startswith("b  0.05  run/lr (latest), lower is better\n")
    data = ok_json(run_cli("trend", "proj", "-m", "lr", "--json", database_url=database_url))
    assert data["stage_name"] is None and [p["value"] for p in data["points"]] == [0.1, 0.05]
    assert "run/lr over time" in ok(run_cli("onboard", "proj", "-m", "lr", database_url=database_url))


def test_a_long_history_shows_its_latest_runs_unless_asked(ctx, database_url, run_cli):
    from contexta_core.synthetic import add_project, add_run

    add_project(ctx, "big")
    for n in range(60):
        add_run(ctx, "big", f"r{n:02d}", n, stages=())
    lines = ok(run_cli("runs", "big", database_url=database_url)).splitlines()
    assert lines[0] == "big · 60 runs"
    rows = [line for line in lines if line.strip()[:2].isdigit()]
    assert len(rows) == 50 and rows[0].split()[:2] == ["11", "r10"] and rows[-1].split()[:2] == ["60", "r59"]
    assert lines[-1].strip() == "the latest 50 of 60 runs (--limit, --offset, --json for more)"
    first = ok(run_cli("runs", "big", "--limit", "3", database_url=database_url)).splitlines()
    assert first[0] == "big · 60 runs (showing 1–3)" and "the latest" not in "".join(first)
    assert len(ok_json(run_cli("runs", "big", "--json", database_url=database_url))["runs"]) == 60


def test_a_project_measured_by_map50_works_in_every_command(
    ctx, database_url, run_cli, tmp_path, monkeypatch
):
    """Issue #11: `contexta best pedestrian-detector` used to exit with "no metric `accuracy`"."""
    monkeypatch.chdir(tmp_path)  # `report` writes ./<project>-report.md: here, never into the repo
    for n, (m, lat) in enumerate(((0.61, 11.0), (0.71, 27.0), (0.67, 19.5))):
        with ctx.run(f"ped-{n}", project="pedestrian-detector") as run, run.stage("validate") as s:
            s.log_metric("map50", m)
            s.log_metric("latency_ms", lat)
    ctx.record_deployment("edge-1", "run:pedestrian-detector.ped-2")
    for command in ("best", "onboard", "trend", "runs", "deployments", "report"):
        result = run_cli(command, "pedestrian-detector", database_url=database_url)
        assert result.exit_code == 0 and "no metric" not in result.output, (command, result.output)
    assert (
        (tmp_path / "pedestrian-detector-report.md")
        .read_text(encoding="utf-8")
        .startswith("# Multi Run Report")
    )
    best = ok_json(run_cli("best", "pedestrian-detector", "--json", database_url=database_url))
    assert (best["run_name"], best["metric_key"]) == ("ped-1", "map50")
    fastest = run_cli("best", "pedestrian-detector", "--metric", "latency_ms", database_url=database_url)
    assert "ped-0" in fastest.output  # latency_ms: lower is better, from its name
