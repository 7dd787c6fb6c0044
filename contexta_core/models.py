"""The contract's models built from keys: a project, run, stage, deployment or record envelope
from its project's, run's and stage's ref components.

Every writer that makes refs itself (the capture API, the synthetic histories of the demo, tests
and bench) builds its models here, so a ref is spelled one way everywhere: the way the ref
grammar (``refs.py``) reads it back.
"""

from __future__ import annotations

from datetime import datetime

from .contract import DeploymentExecution, Project, RecordEnvelope, Run, StageExecution


def project_model(
    project: str, *, created_at: datetime, name: str | None = None, description: str | None = None
) -> Project:
    """Project ``project`` (its ref component), shown as ``name`` (default: the component)."""
    return Project(
        project_ref=f"project:{project}", name=name or project, created_at=created_at, description=description
    )


def run_model(
    project: str,
    run: str,
    started_at: datetime,
    ended_at: datetime | None,
    *,
    status: str = "completed",
    name: str | None = None,
    description: str | None = None,
) -> Run:
    return Run(
        run_ref=f"run:{project}.{run}",
        project_ref=f"project:{project}",
        name=name or run,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
        description=description,
    )


def stage_model(
    project: str,
    run: str,
    stage: str,
    started_at: datetime,
    ended_at: datetime | None,
    order: int,
    *,
    status: str = "completed",
) -> StageExecution:
    return StageExecution(
        stage_execution_ref=f"stage:{project}.{run}.{stage}",
        run_ref=f"run:{project}.{run}",
        stage_name=stage,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
        order_index=order,
    )


def deployment_ref(project: str, name: str) -> str:
    return f"deployment:{project}.{name}"


def deployment_model(
    project: str,
    name: str,
    run: str,
    started_at: datetime,
    ended_at: datetime | None,
    order: int,
    *,
    status: str = "completed",
    environment: str = "production",
) -> DeploymentExecution:
    return DeploymentExecution(
        deployment_execution_ref=deployment_ref(project, name),
        project_ref=f"project:{project}",
        deployment_name=name,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
        run_ref=f"run:{project}.{run}",
        order_index=order,
        environment=environment,
    )


def record_envelope(
    project: str,
    run: str,
    record: str,
    record_type: str,
    at: datetime,
    *,
    producer: str,
    stage: str | None = None,
) -> RecordEnvelope:
    """The envelope of record ``record`` of ``run`` (in ``stage``; None: run level), observed and recorded ``at``."""
    return RecordEnvelope(
        record_ref=f"record:{project}.{run}.{record}",
        record_type=record_type,
        recorded_at=at,
        observed_at=at,
        producer_ref=producer,
        run_ref=f"run:{project}.{run}",
        stage_execution_ref=f"stage:{project}.{run}.{stage}" if stage else None,
    )
