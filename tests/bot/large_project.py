"""A busy project for limit tests: 5,000 runs with long names, 3 metrics each and 30 deployments.

Written with the bulk store APIs (one transaction per kind), so it builds in about a second.
"""

from __future__ import annotations

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

PROJECT = "big-model"
RUNS = 5000
DEPLOYMENTS = 30
START = datetime(2024, 1, 1, tzinfo=UTC)


def run_name(i: int) -> str:
    return f"big-model-nightly-retrain-with-extra-features-{i:05d}"


def build_large_project(ctx: Contexta) -> None:
    ms = ctx.metadata_store
    ms.projects.put_project(
        Project(
            project_ref=f"project:{PROJECT}", name=PROJECT, created_at=START, description="A busy model " * 20
        )
    )
    runs, stages, records = [], [], []
    for i in range(RUNS):
        name, started = run_name(i), START + timedelta(hours=i)
        ref = f"run:{PROJECT}.{name}"
        status = "failed" if i % 50 == 7 else "completed"
        runs.append(
            Run(
                run_ref=ref,
                project_ref=f"project:{PROJECT}",
                name=name,
                status=status,
                started_at=started,
                ended_at=started + timedelta(minutes=40),
            )
        )
        stage_ref = f"stage:{PROJECT}.{name}.evaluate"
        stages.append(
            StageExecution(
                stage_execution_ref=stage_ref,
                run_ref=ref,
                stage_name="evaluate",
                status="completed",
                started_at=started,
                ended_at=started + timedelta(minutes=40),
                order_index=0,
            )
        )
        quality = 0.6 + 0.3 * i / RUNS + (i % 7) * 0.001
        for key, value in (("accuracy", quality), ("f1", quality - 0.01), ("val_loss", 1.5 - quality)):
            at = started + timedelta(minutes=39)
            records.append(
                MetricRecord(
                    envelope=RecordEnvelope(
                        record_ref=f"record:{PROJECT}.{name}.{key.replace('_', '-')}",
                        record_type="metric",
                        recorded_at=at,
                        observed_at=at,
                        producer_ref="tests.large",
                        run_ref=ref,
                        stage_execution_ref=stage_ref,
                    ),
                    payload=MetricPayload(metric_key=key, value=round(value, 5)),
                )
            )
    ms.runs.put_runs(runs)
    ms.stages.put_stage_executions(stages)
    ctx.record_store.append_many(records)
    for k in range(DEPLOYMENTS):
        i = RUNS // 2 + k * (RUNS // 2 // DEPLOYMENTS)
        started = START + timedelta(hours=i, minutes=50)
        ms.deployments.put_deployment_execution(
            DeploymentExecution(
                deployment_execution_ref=f"deployment:{PROJECT}.prod-{k:02d}",
                project_ref=f"project:{PROJECT}",
                deployment_name=f"prod-{k:02d}",
                status="completed",
                started_at=started,
                ended_at=started + timedelta(minutes=5),
                run_ref=f"run:{PROJECT}.{run_name(i)}",
                order_index=k,
            )
        )
