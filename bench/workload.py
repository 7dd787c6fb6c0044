"""A synthetic project shaped like a busy team's: N runs × (train, evaluate) × 3 metrics."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from contexta_core import Contexta
from contexta_core.contract import (
    DeploymentExecution,
    MetricPayload,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
    StageExecution,
)

PROJECT = "bench"
START = datetime(2024, 1, 1, tzinfo=UTC)
METRICS = (("train", "loss"), ("evaluate", "accuracy"), ("evaluate", "f1"))


def run_name(i: int) -> str:
    return f"run-{i:06d}"


def build_metadata(ctx: Contexta, n: int, project: str = PROJECT) -> None:
    rng = random.Random(7)
    ms = ctx.metadata_store
    ms.projects.put_project(Project(project_ref=f"project:{project}", name=project, created_at=START))
    runs, stages = [], []
    for i in range(n):
        started = START + timedelta(minutes=10 * i)
        status = "failed" if rng.random() < 0.05 else "completed"
        ref = f"run:{project}.{run_name(i)}"
        runs.append(
            Run(
                run_ref=ref,
                project_ref=f"project:{project}",
                name=run_name(i),
                status=status,
                started_at=started,
                ended_at=started + timedelta(minutes=9),
            )
        )
        for order, stage in enumerate(("train", "evaluate")):
            stages.append(
                StageExecution(
                    stage_execution_ref=f"stage:{project}.{run_name(i)}.{stage}",
                    run_ref=ref,
                    stage_name=stage,
                    status="completed",
                    started_at=started,
                    ended_at=started + timedelta(minutes=9),
                    order_index=order,
                )
            )
    for part in range(0, n, 20_000):
        ms.runs.put_runs(runs[part : part + 20_000])
    for part in range(0, len(stages), 40_000):
        ms.stages.put_stage_executions(stages[part : part + 40_000])
    for k, i in enumerate(range(n // 2, n, max(1, n // 20))):
        started = START + timedelta(minutes=10 * i + 9)
        ms.deployments.put_deployment_execution(
            DeploymentExecution(
                deployment_execution_ref=f"deployment:{project}.prod-{k}",
                project_ref=f"project:{project}",
                deployment_name=f"prod-{k}",
                status="completed",
                started_at=started,
                ended_at=started + timedelta(minutes=5),
                run_ref=f"run:{project}.{run_name(i)}",
                order_index=k,
            )
        )


def build_records(n: int, project: str = PROJECT) -> list[MetricRecord]:
    rng = random.Random(11)
    records = []
    for i in range(n):
        name = run_name(i)
        at = START + timedelta(minutes=10 * i + 9)
        quality = 0.6 + 0.3 * (i / max(n, 1)) + rng.uniform(-0.02, 0.02)
        values = {"loss": 1.5 - quality, "accuracy": quality, "f1": quality - 0.01}
        for stage, key in METRICS:
            records.append(
                MetricRecord(
                    envelope=RecordEnvelope(
                        record_ref=f"record:{project}.{name}.{key}",
                        record_type="metric",
                        recorded_at=at,
                        observed_at=at,
                        producer_ref="bench",
                        run_ref=f"run:{project}.{name}",
                        stage_execution_ref=f"stage:{project}.{name}.{stage}",
                    ),
                    payload=MetricPayload(metric_key=key, value=round(values[key], 5)),
                )
            )
    return records
