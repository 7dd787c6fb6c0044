"""The seed case's churn-prediction history, for ``make demo`` and the tests.

Same data as ``seed_onboarding_data.py``: 6 runs over 4 months (stages train/evaluate,
accuracy/auc/f1 on evaluate, one event per run) and 2 production deployments.
"""

from __future__ import annotations

from .client import Contexta
from .contract import (
    DeploymentExecution,
    MetricPayload,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
    StageExecution,
    StructuredEventPayload,
    StructuredEventRecord,
)

PROJECT = "churn-prediction"
RUNS = [  # name, started, ended, accuracy, auc, f1
    ("churn-v1-jan", "2025-01-10T09:00:00Z", "2025-01-10T12:00:00Z", 0.821, 0.854, 0.811),
    ("churn-v2-feb", "2025-02-07T09:00:00Z", "2025-02-07T12:00:00Z", 0.843, 0.872, 0.836),
    ("churn-v3-feb", "2025-02-21T09:00:00Z", "2025-02-21T12:00:00Z", 0.861, 0.889, 0.854),
    ("churn-v4-mar", "2025-03-14T09:00:00Z", "2025-03-14T12:00:00Z", 0.878, 0.907, 0.871),
    ("churn-v5-apr", "2025-04-03T09:00:00Z", "2025-04-03T12:00:00Z", 0.894, 0.921, 0.888),
    ("churn-v6-apr", "2025-04-18T09:00:00Z", "2025-04-18T12:00:00Z", 0.902, 0.933, 0.896),
]
DEPLOYMENTS = [  # name, run index, started, ended
    ("prod-deploy-v3", 2, "2025-02-22T15:00:00Z", "2025-02-22T15:12:00Z"),
    ("prod-deploy-v6", 5, "2025-04-19T14:00:00Z", "2025-04-19T14:10:00Z"),
]


def seed_demo(ctx: Contexta, project: str = PROJECT) -> bool:
    """Write the demo history unless the project exists already; True when it wrote it."""
    ms = ctx.metadata_store
    if ms.projects.exists_project(f"project:{project}"):
        return False
    ms.projects.put_project(
        Project(
            project_ref=f"project:{project}",
            name=project,
            created_at="2025-01-01T00:00:00Z",
            description="Customer churn prediction model",
        )
    )
    for name, started, ended, accuracy, auc, f1 in RUNS:
        run_ref = f"run:{project}.{name}"
        day = started[:10]
        ms.runs.put_run(
            Run(
                run_ref=run_ref,
                project_ref=f"project:{project}",
                name=name,
                status="completed",
                started_at=started,
                ended_at=ended,
            )
        )
        for index, (stage, s_start, s_end) in enumerate(
            [("train", started, f"{day}T10:30:00Z"), ("evaluate", f"{day}T10:30:00Z", ended)]
        ):
            ms.stages.put_stage_execution(
                StageExecution(
                    stage_execution_ref=f"stage:{project}.{name}.{stage}",
                    run_ref=run_ref,
                    stage_name=stage,
                    status="completed",
                    started_at=s_start,
                    ended_at=s_end,
                    order_index=index,
                )
            )
        records: list[MetricRecord | StructuredEventRecord] = [
            MetricRecord(
                envelope=RecordEnvelope(
                    record_ref=f"record:{project}.{name}.{key}",
                    record_type="metric",
                    recorded_at=ended,
                    observed_at=ended,
                    producer_ref="contexta.demo",
                    run_ref=run_ref,
                    stage_execution_ref=f"stage:{project}.{name}.evaluate",
                ),
                payload=MetricPayload(metric_key=key, value=value),
            )
            for key, value in (("accuracy", accuracy), ("auc", auc), ("f1", f1))
        ]
        records.append(
            StructuredEventRecord(
                envelope=RecordEnvelope(
                    record_ref=f"record:{project}.{name}.registered",
                    record_type="event",
                    recorded_at=started,
                    observed_at=started,
                    producer_ref="contexta.demo",
                    run_ref=run_ref,
                ),
                payload=StructuredEventPayload(
                    event_key="training.run-registered", message=f"Training run {name} started."
                ),
            )
        )
        ctx.record_store.append_many(records)
    for order, (name, run_index, started, ended) in enumerate(DEPLOYMENTS):
        ms.deployments.put_deployment_execution(
            DeploymentExecution(
                deployment_execution_ref=f"deployment:{project}.{name}",
                project_ref=f"project:{project}",
                deployment_name=name,
                status="completed",
                started_at=started,
                ended_at=ended,
                run_ref=f"run:{project}.{RUNS[run_index][0]}",
                order_index=order,
            )
        )
    return True
