"""Small builders so tests state their data in one line each."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from contexta_core.contract import (
    MetricPayload,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
    StageExecution,
    StructuredEventPayload,
    StructuredEventRecord,
)

_ids = itertools.count(1)
BASE = datetime(2025, 1, 1, tzinfo=UTC)


def day(n: int, hour: int = 9) -> datetime:
    return BASE + timedelta(days=n, hours=hour)


def add_project(ctx, name: str = "proj") -> str:
    ctx.metadata_store.projects.put_project(
        Project(project_ref=f"project:{name}", name=name, created_at=BASE)
    )
    return name


def add_run(
    ctx, project: str, run: str, n: int = 0, *, status: str = "completed", stages=("train", "evaluate")
) -> str:
    ref = f"run:{project}.{run}"
    ended = None if status == "open" else day(n, 12)
    ctx.metadata_store.runs.put_run(
        Run(
            run_ref=ref,
            project_ref=f"project:{project}",
            name=run,
            status=status,
            started_at=day(n),
            ended_at=ended,
        )
    )
    for i, stage in enumerate(stages):
        ctx.metadata_store.stages.put_stage_execution(
            StageExecution(
                stage_execution_ref=f"stage:{project}.{run}.{stage}",
                run_ref=ref,
                stage_name=stage,
                status="completed",
                started_at=day(n, 10),
                ended_at=day(n, 11),
                order_index=i,
            )
        )
    return ref


def metric(
    project: str,
    run: str,
    key: str,
    value,
    *,
    stage: str | None = "evaluate",
    at: datetime | None = None,
    ref: str | None = None,
) -> MetricRecord:
    at = at or day(0, 12)
    return MetricRecord(
        envelope=RecordEnvelope(
            record_ref=f"record:{project}.{run}.{ref or f'm{next(_ids)}'}",
            record_type="metric",
            recorded_at=at,
            observed_at=at,
            producer_ref="tests",
            run_ref=f"run:{project}.{run}",
            stage_execution_ref=f"stage:{project}.{run}.{stage}" if stage else None,
        ),
        payload=MetricPayload(metric_key=key, value=value),
    )


def event(
    project: str, run: str, key: str = "training.note", message: str = "hello"
) -> StructuredEventRecord:
    return StructuredEventRecord(
        envelope=RecordEnvelope(
            record_ref=f"record:{project}.{run}.e{next(_ids)}",
            record_type="event",
            recorded_at=BASE,
            observed_at=BASE,
            producer_ref="tests",
            run_ref=f"run:{project}.{run}",
        ),
        payload=StructuredEventPayload(event_key=key, message=message),
    )
