"""Importing a workspace the original Contexta library wrote (fixtures/contexta1, made by
fixtures/make_contexta1_workspace.py with contexta==1.0.0 on Python 3.13). The answers it must
give are the ones the original's own API gave on that workspace (fixtures/contexta1_answers.json)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from contexta_core.importers import ImportSourceError, open_importer, run_import

from .conftest import FIXTURES

ANSWERS = json.loads((FIXTURES / "contexta1_answers.json").read_text())


def _import(ctx, workspace, **kwargs):
    return run_import(ctx, open_importer("contexta", str(workspace)), **kwargs)


def test_the_five_answers_equal_the_original_librarys(ctx, contexta1_workspace):
    summary = _import(ctx, contexta1_workspace)
    assert (summary.new_projects, summary.new_runs, summary.deployments) == (2, 10, 4)
    assert sorted(ctx.list_projects()) == sorted(ANSWERS["project_names"])
    for name, expected in ANSWERS["projects"].items():
        runs = ctx.list_runs(name)
        assert [(r.run_id, r.name, r.status) for r in runs] == [
            (r["run_id"], r["name"], r["status"]) for r in expected["runs"]
        ]
        best = ctx.best_run(
            name,
            expected["metric"],
            stage_name=expected["stage"],
            higher_is_better=expected["higher_is_better"],
        )
        assert best.run_id == expected["best_run_id"]
        ids = [r.run_id for r in runs]
        assert (
            ctx.select_best_run(
                ids,
                expected["metric"],
                stage_name=expected["stage"],
                higher_is_better=expected["higher_is_better"],
            )
            == expected["best_run_id"]
        )
        known = {r["run_id"] for r in expected["runs"]}
        assert sorted((d.name, d.run_id) for d in ctx.list_deployments(name)) == sorted(
            (d["name"], d["run_id"] if d["run_id"] in known else None) for d in expected["deployments"]
        )
        trend = ctx.get_metric_trend(expected["metric"], name, stage_name=expected["stage"])
        assert list(zip(trend.points.run_ids, trend.values, strict=True)) == [
            (p["run_id"], p["value"]) for p in expected["trend"]
        ]
    # refs, stages and events came along as they were
    snapshot = ctx.get_run_snapshot("run:churn-prediction.churn-v3-feb")
    assert [s.name for s in snapshot.stages] == ["train", "evaluate"]
    assert [(r.record_id, r.record_type, r.key) for r in snapshot.records][:2] == [
        ("record:churn-prediction.churn-v3-feb.r00010", "event", "training.run-registered"),
        ("record:churn-prediction.churn-v3-feb.r00011", "metric", "accuracy"),
    ]


def test_what_the_original_let_through_is_skipped_with_its_reason(sqlite_ctx, contexta1_workspace):
    summary = _import(sqlite_ctx, contexta1_workspace)
    reasons = {s.reason: (s.count, s.examples) for s in summary.skipped}
    assert reasons["record of a run that is not in the ledger"] == (
        1,
        ["record:churn-prediction.churn-v0-ghost.r00033"],
    )
    assert reasons["record ref appears more than once in the source"][0] == 1
    assert "fraud-canary → run:fraud-detection.fraud-deleted-run" in next(
        examples for reason, (_, examples) in reasons.items() if reason.startswith("deployment's run")
    )


def test_importing_again_brings_nothing_and_duplicates_nothing(ctx, contexta1_workspace):
    first = _import(ctx, contexta1_workspace)
    count = ctx.record_store.count()
    assert count == first.records == 33  # 35 lines less the orphan and the repeat
    with ctx.database.reading() as conn:
        version = ctx.database.data_version(conn)
    again = _import(ctx, contexta1_workspace)
    quick = _import(ctx, contexta1_workspace, full=False)
    assert again.nothing_new and quick.nothing_new and again.unchanged_runs == 10
    assert ctx.record_store.count() == count
    with ctx.database.reading() as conn:
        assert ctx.database.data_version(conn) == version  # cached answers stay valid


def _add_run(workspace, project: str, run: str, values: list[float]) -> None:
    """What the original library does when a run lands: a ledger row, then record lines."""
    import duckdb

    payload = {
        "ended_at": "2025-06-01T10:00:00Z",
        "extensions": [],
        "name": run,
        "project_ref": f"project:{project}",
        "run_ref": f"run:{project}.{run}",
        "schema_version": "1.0.0",
        "started_at": "2025-06-01T09:00:00Z",
        "status": "completed",
    }
    with duckdb.connect(str(workspace / "metadata" / "ledger.db")) as conn:
        conn.execute(
            "INSERT INTO runs (ref, project_ref, name, started_at, status, payload_json) VALUES (?, ?, ?, ?, ?, ?)",
            [payload["run_ref"], payload["project_ref"], run, payload["started_at"], "completed",
             json.dumps(payload, sort_keys=True, separators=(",", ":"))],
        )  # fmt: skip
    segment = workspace / "records" / "segments" / "segment-000001.jsonl"
    with segment.open("a") as out:
        for i, value in enumerate(values):
            at = f"2025-06-01T09:{10 + i:02d}:00Z"
            envelope = {
                "completeness_marker": "complete", "correlation_refs": {}, "degradation_marker": "none",
                "extensions": [], "observed_at": at, "producer_ref": "team.trainer",
                "record_ref": f"record:{project}.{run}.n{i}", "record_type": "metric", "recorded_at": at,
                "run_ref": f"run:{project}.{run}", "schema_version": "1.0.0",
            }  # fmt: skip
            record = {
                "envelope": envelope,
                "payload": {"metric_key": "loss", "value": value, "value_type": "float64"},
            }
            out.write(json.dumps({"appended_at": at, "record": record, "sequence": 100 + i}) + "\n")


def test_a_new_run_and_its_records_come_in_on_the_next_pass(ctx, contexta1_workspace):
    _import(ctx, contexta1_workspace)
    before = ctx.record_store.count()
    _add_run(contexta1_workspace, "fraud-detection", "fraud-stacked", [0.3, 0.21])
    summary = _import(ctx, contexta1_workspace, full=False)
    assert (summary.new_runs, summary.updated_runs, summary.records) == (1, 0, 2)
    assert ctx.record_store.count() == before + 2
    assert (
        ctx.best_run("Fraud Detection", "loss", higher_is_better=False).run_id
        == "run:fraud-detection.fraud-stacked"
    )
    # a half-written last line (a writer mid-append) waits for the next pass
    segment = contexta1_workspace / "records" / "segments" / "segment-000001.jsonl"
    with segment.open("a") as out:
        out.write('{"appended_at": "2025-06-01T09:30:00Z", "record": {"envel')
    assert _import(ctx, contexta1_workspace, full=False).records == 0


def test_an_interrupted_import_leaves_no_half_run(ctx, contexta1_workspace, monkeypatch):
    real = ctx.record_store.append_many

    def interrupted(records):
        raise KeyboardInterrupt  # Ctrl+C while the batch's records are being written

    monkeypatch.setattr(ctx.record_store, "append_many", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _import(ctx, contexta1_workspace)
    assert ctx.list_runs("churn-prediction") == () and ctx.record_store.count() == 0
    monkeypatch.setattr(ctx.record_store, "append_many", real)
    summary = _import(ctx, contexta1_workspace)
    assert (summary.new_runs, summary.records) == (10, 33)


def test_a_ledger_held_by_a_running_original_is_a_clear_error(sqlite_ctx, contexta1_workspace):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)",
         str(contexta1_workspace / "metadata" / "ledger.db")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ImportSourceError) as caught:
            _import(sqlite_ctx, contexta1_workspace)
        assert caught.value.code == "import_source_locked"
        assert "open in another process" in caught.value.message
    finally:
        holder.kill()
        holder.wait(timeout=10)
    time.sleep(0.1)
    assert _import(sqlite_ctx, contexta1_workspace).new_runs == 10


def test_a_folder_without_a_ledger_is_refused(tmp_path):
    with pytest.raises(ImportSourceError, match="not a Contexta 1.x workspace"):
        open_importer("contexta", str(tmp_path))
