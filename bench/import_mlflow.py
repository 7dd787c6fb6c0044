"""``make bench-import``: importing a large MLflow tracking store into a fresh SQLite workspace.

The source (10,000 runs × 3 metrics × 100 steps by default) is generated once into MLflow's own
schema (tables created by MLflow's client; rows bulk-inserted through MLflow's SQLAlchemy models,
since logging 3 million values one client call at a time would take most of an hour) and cached
under the temp folder. The import itself reads it the way `contexta import mlflow` does, through
MLflow's client. Targets: ≥ 20,000 records/s; a ``--watch`` pass with nothing new ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

T0 = 1_700_000_000_000
KEYS = ("accuracy", "val_loss", "f1")


def build_source(db: Path, runs: int, metrics: int, steps: int) -> float:
    """Write the MLflow store; returns seconds taken."""
    import logging

    import sqlalchemy as sa
    from mlflow.store.tracking.dbmodels.models import SqlLatestMetric, SqlMetric, SqlParam, SqlRun, SqlTag
    from mlflow.tracking import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    started = time.perf_counter()
    uri = f"sqlite:///{db}"
    client = MlflowClient(uri, registry_uri=uri)
    experiment = client.create_experiment("bench-project")
    engine = sa.create_engine(uri)
    ids = [uuid.UUID(int=i + 1).hex for i in range(runs)]
    keys = [KEYS[k] if k < len(KEYS) else f"metric_{k}" for k in range(metrics)]
    with engine.begin() as conn:
        conn.execute(
            sa.insert(SqlRun.__table__),
            [
                {
                    "run_uuid": rid, "name": f"run-{i:05d}", "source_type": "UNKNOWN", "source_name": "",
                    "entry_point_name": "", "user_id": "bench", "status": "FINISHED" if i % 10 else "FAILED",
                    "start_time": T0 + i * 60_000, "end_time": T0 + i * 60_000 + 30_000, "source_version": "",
                    "lifecycle_stage": "active", "artifact_uri": f"/tmp/bench/{rid}", "experiment_id": int(experiment),
                }
                for i, rid in enumerate(ids)
            ],
        )  # fmt: skip
        conn.execute(
            sa.insert(SqlTag.__table__),
            [{"key": "mlflow.runName", "value": f"run-{i:05d}", "run_uuid": r} for i, r in enumerate(ids)],
        )
        conn.execute(
            sa.insert(SqlParam.__table__),
            [{"key": "lr", "value": str(0.001 * (i % 7 + 1)), "run_uuid": r} for i, r in enumerate(ids)],
        )
        for part in range(0, runs, 500):
            rows, latest = [], []
            for i in range(part, min(part + 500, runs)):
                start = T0 + i * 60_000
                for k, key in enumerate(keys):
                    for step in range(steps):
                        value = round((i % 997) / 1000 + step / (steps * 100) + k / 10, 6)
                        rows.append(
                            {
                                "key": key,
                                "value": value,
                                "timestamp": start + step * 100,
                                "step": step,
                                "is_nan": False,
                                "run_uuid": ids[i],
                            }
                        )
                    latest.append({**rows[-1]})
            conn.execute(sa.insert(SqlMetric.__table__), rows)
            conn.execute(sa.insert(SqlLatestMetric.__table__), latest)
    client.create_registered_model("bench-model")
    for i in (runs // 3, runs // 2):
        version = client.create_model_version("bench-model", "runs:/x/model", run_id=ids[i])
    client.set_registered_model_alias("bench-model", "champion", version.version)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--metrics", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from contexta_core import Contexta
    from contexta_core.importers import open_importer, run_import

    source = Path(tempfile.gettempdir()) / f"contexta-bench-mlflow-{args.runs}x{args.metrics}x{args.steps}.db"
    if not source.exists():
        partial = source.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        took = build_source(partial, args.runs, args.metrics, args.steps)
        partial.rename(source)
        print(f"built the MLflow source in {took:.0f} s: {source}", file=sys.stderr)
    uri = f"sqlite:///{source}"
    rows = []
    with tempfile.TemporaryDirectory() as folder, Contexta(workspace=folder) as ctx:
        importer = open_importer("mlflow", uri)
        cpu = time.process_time()
        first = run_import(ctx, importer)
        cpu = time.process_time() - cpu  # on a shared machine wall time also counts other processes
        rows.append(
            (
                "first import",
                f"{first.seconds:.1f} s",
                f"{first.records:,} records, {first.records_per_second:,.0f} records/s "
                f"({first.records / cpu:,.0f} per CPU-second of this process)",
            )
        )
        again = run_import(ctx, open_importer("mlflow", uri))
        rows.append(
            (
                "import again (full check, nothing new)",
                f"{again.seconds * 1000:,.0f} ms",
                f"{again.unchanged_runs:,} runs unchanged",
            )
        )
        samples = []
        for _ in range(args.repeat):
            quick = run_import(ctx, importer, full=False)
            assert quick.nothing_new
            samples.append(quick.seconds * 1000)
        rows.append(
            (
                "`--watch` pass, nothing new (median)",
                f"{statistics.median(samples):.0f} ms",
                f"max {max(samples):.0f} ms over {args.repeat}",
            )
        )
        from mlflow.entities import Metric
        from mlflow.tracking import MlflowClient

        client = MlflowClient(uri)
        experiment = client.get_experiment_by_name("bench-project").experiment_id
        now = int(time.time() * 1000)
        run = client.create_run(experiment, run_name="landed", start_time=now)
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("accuracy", 0.5 + s / 1000, now + s, s) for s in range(args.steps)],
        )
        client.set_terminated(run.info.run_id, "FINISHED")
        landed = run_import(ctx, importer, full=False)
        rows.append(
            (
                "`--watch` pass bringing 1 new run",
                f"{landed.seconds * 1000:.0f} ms",
                f"{landed.records} records",
            )
        )
        client.delete_run(run.info.run_id)
    print(f"\n### MLflow import: {args.runs:,} runs × {args.metrics} metrics × {args.steps} steps → SQLite\n")
    print("| step | time | |\n|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")


if __name__ == "__main__":
    main()
