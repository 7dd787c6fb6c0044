"""Capture API for training code: runs and stages as context managers, metrics buffered.

    with ctx.run("churn-v7") as run:
        with run.stage("evaluate") as stage:
            stage.log_metric("accuracy", 0.91)

A run ends ``completed``, or ``failed`` when its block raises (the exception still propagates).
Metrics are validated when logged, buffered, and written with ``append_many`` when a stage or the
run ends (or the buffer fills), so every query sees them as soon as the block closes — unlike the
original library, whose captured runs never reached the query side.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .contract import (
    MetricPayload,
    MetricRecord,
    Run,
    StageExecution,
    StructuredEventPayload,
    StructuredEventRecord,
)
from .errors import QueryError
from .models import deployment_model, deployment_ref, project_model, record_envelope, run_model, stage_model
from .refs import slugify
from .store import schema

if TYPE_CHECKING:
    from .client import Contexta
    from .results import DeploymentRecord

PRODUCER = "contexta.capture"
FLUSH_AT = 1000


def _now() -> datetime:
    return datetime.now(UTC)


class _Scope:
    """What runs and stages share: logging into the run's buffer."""

    _run: RunScope
    _stage: str | None = None  # the stage's ref component; None: the run itself

    def log_metric(self, key: str, value: float, *, step: int | None = None, unit: str | None = None) -> None:
        payload = MetricPayload(metric_key=key, value=value, step=step, unit=unit)  # validates now
        self._run._buffer_record(MetricRecord, "metric", payload, self._stage)

    def log_event(self, key: str, message: str, *, level: str = "info", **attributes: Any) -> None:
        payload = StructuredEventPayload(event_key=key, message=message, level=level, attributes=attributes)
        self._run._buffer_record(StructuredEventRecord, "event", payload, self._stage)


class RunScope(_Scope):
    def __init__(
        self, ctx: Contexta, name: str, *, run_id: str | None, project: str, description: str | None
    ):
        self._ctx = ctx
        self._run = self
        self.name = name
        self.project_key = slugify(project)
        self.project_name = project
        self.run_key = slugify(run_id or name)
        self.run_id = f"run:{self.project_key}.{self.run_key}"
        self.description = description
        self.status = "open"
        self._started_at: datetime | None = None
        self._buffer: list[MetricRecord | StructuredEventRecord] = []
        self._stage_count = 0

    def __enter__(self) -> RunScope:
        store = self._ctx.metadata_store
        # Everything is validated before anything is written: a refused run leaves no empty project.
        self._started_at = _now()
        project = project_model(self.project_key, name=self.project_name, created_at=self._started_at)
        run = self._run_model("open", None)
        if store.runs.exists_run(self.run_id):
            raise QueryError(
                f"run `{self.run_id}` already exists; give this run another name or run_id",
                code="run_exists",
                details={"run": self.run_id},
            )
        if not store.projects.exists_project(project.project_ref):
            store.projects.put_project(project)
        store.runs.put_run(run)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.flush()
        self.status = "failed" if exc_type else "completed"
        self._ctx.metadata_store.runs.put_run(self._run_model(self.status, _now()))
        return False

    def stage(self, name: str) -> StageScope:
        scope = StageScope(self, name, self._stage_count)
        self._stage_count += 1
        return scope

    def flush(self) -> int:
        """Write what is buffered (one all-or-nothing batch)."""
        batch, self._buffer = self._buffer, []
        if batch:
            self._ctx.record_store.append_many(batch)
        return len(batch)

    def _run_model(self, status: str, ended: datetime | None) -> Run:
        return run_model(
            self.project_key,
            self.run_key,
            self._started_at,
            ended,
            status=status,
            name=self.name,
            description=self.description,
        )

    def _buffer_record(self, model, record_type: str, payload, stage: str | None) -> None:
        if self.status != "open" or self._started_at is None:
            raise QueryError(
                f"run `{self.run_id}` is not open; log inside its `with` block",
                code="run_not_open",
                details={"run": self.run_id},
            )
        record = f"{record_type[0]}-{uuid.uuid4().hex[:12]}"
        envelope = record_envelope(
            self.project_key, self.run_key, record, record_type, _now(), producer=PRODUCER, stage=stage
        )
        self._buffer.append(model(envelope=envelope, payload=payload))
        if len(self._buffer) >= FLUSH_AT:
            self.flush()


class StageScope(_Scope):
    def __init__(self, run: RunScope, name: str, order_index: int):
        self._run = run
        self.stage_name = slugify(name)
        self._stage = self.stage_name
        self._order = order_index
        self._started_at: datetime | None = None

    def __enter__(self) -> StageScope:
        self._started_at = _now()
        self._run._ctx.metadata_store.stages.put_stage_execution(self._model("open", None))
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._run.flush()
        self._run._ctx.metadata_store.stages.put_stage_execution(
            self._model("failed" if exc_type else "completed", _now())
        )
        return False

    def _model(self, status: str, ended: datetime | None) -> StageExecution:
        run = self._run
        return stage_model(
            run.project_key, run.run_key, self.stage_name, self._started_at, ended, self._order, status=status
        )


def record_deployment(
    ctx: Contexta,
    name: str,
    run_id: str,
    *,
    status: str = "completed",
    started_at: datetime | str | None = None,
    ended_at: datetime | str | None = None,
    environment: str = "production",
) -> DeploymentRecord:
    from .queries.listing import list_deployments
    from .queries.lookup import resolve_runs

    deployment = slugify(name)
    d = schema.deployments
    with ctx.database.reading() as conn:
        run = resolve_runs(conn, [run_id])[0]
        project_key, run_key = run.ref[4:].split(".", 1)  # run:<project>.<run>
        ref = deployment_ref(project_key, deployment)
        # recorded again: keeps its place; new: goes last (one count, not a listing per deployment)
        order = conn.execute(select(d.c.order_index).where(d.c.ref == ref)).scalar()
        if order is None:
            order = conn.execute(select(func.count()).where(d.c.project_id == run.project_id)).scalar_one()
    started = started_at or _now()
    ctx.metadata_store.deployments.put_deployment_execution(
        deployment_model(
            project_key,
            deployment,
            run_key,
            started,
            None if status == "open" else (ended_at or started),
            order,
            status=status,
            environment=environment,
        )
    )
    with ctx.database.reading() as conn:
        (recorded,) = list_deployments(conn, deployment_id=ref)
    return recorded
