"""The original library's view of a workspace: what ``from contexta import Contexta`` returns.

Scripts written for Contexta 1.0 read a record's times as ISO-8601 text ending in ``Z``
(``run.started_at == "2025-03-28T09:00:00Z"``) and its fields in the original's order, with
``tags``/``metadata`` mappings. The core keeps aware datetimes (the CLI, the bot and the
renderers compute with them), so this subclass converts at the edge, in the methods that hand
out those records: ``list_runs``, ``list_deployments``, ``get_run_snapshot``, ``compare_runs``
and ``record_deployment``. Everything else is the core client's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from . import results
from .client import Contexta as CoreContexta
from .contract import format_utc

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    project_name: str
    name: str
    status: str
    started_at: str | None = None
    ended_at: str | None = None
    tags: Mapping[str, Any] = field(default_factory=_empty)
    metadata: Mapping[str, Any] = field(default_factory=_empty)
    description: str | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return (
            datetime.fromisoformat(self.ended_at) - datetime.fromisoformat(self.started_at)
        ).total_seconds()


@dataclass(frozen=True, slots=True)
class DeploymentRecord:
    deployment_id: str
    project_name: str
    name: str
    status: str
    run_id: str | None = None
    artifact_ref: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    order: int | None = 0
    metadata: Mapping[str, Any] = field(default_factory=_empty)
    run_name: str | None = None
    environment: str = "production"


@dataclass(frozen=True, slots=True)
class StageRecord:
    stage_id: str
    run_id: str
    name: str
    status: str
    order: int | None = 0
    started_at: str | None = None
    ended_at: str | None = None
    tags: Mapping[str, Any] = field(default_factory=_empty)
    metadata: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    record_id: str
    run_id: str
    stage_id: str | None
    record_type: str
    key: str
    observed_at: str
    value: float | None = None
    message: str | None = None
    stage_name: str | None = None
    level: str | None = None
    step: int | None = None
    unit: str | None = None


_AS_TEXT = {
    results.RunRecord: RunRecord,
    results.DeploymentRecord: DeploymentRecord,
    results.StageRecord: StageRecord,
    results.ObservationRecord: ObservationRecord,
}


_NAMES = {kind: tuple(f.name for f in fields(kind)) for kind in _AS_TEXT}


def as_original(record):
    """A core record as the original library hands it out: times as ``…Z`` text."""
    kind = type(record)
    values = {}
    for name in _NAMES[kind]:
        value = getattr(record, name)
        values[name] = format_utc(value) if isinstance(value, datetime) else value
    return _AS_TEXT[kind](**values)


def _all(records) -> tuple:
    return tuple(map(as_original, records))


class Contexta(CoreContexta):
    """The core client with the original library's records (times as ISO-8601 ``Z`` text)."""

    def list_runs(self, project_name: str | None = None, **kwargs: Any) -> tuple[RunRecord, ...]:
        return _all(super().list_runs(project_name, **kwargs))

    def list_deployments(
        self, project_name: str | None = None, run_id: str | None = None
    ) -> tuple[DeploymentRecord, ...]:
        return _all(super().list_deployments(project_name, run_id))

    def get_run_snapshot(self, run_id: str) -> results.RunSnapshot:
        snapshot = super().get_run_snapshot(run_id)
        return replace(
            snapshot,
            run=as_original(snapshot.run),
            stages=_all(snapshot.stages),
            deployments=_all(snapshot.deployments),
            records=_all(snapshot.records),
        )

    def compare_runs(self, left: str, right: str) -> results.RunComparison:
        comparison = super().compare_runs(left, right)
        return replace(
            comparison,
            left_run=as_original(comparison.left_run),
            right_run=as_original(comparison.right_run),
            left_deployments=_all(comparison.left_deployments),
            right_deployments=_all(comparison.right_deployments),
        )

    def record_deployment(self, name: str, run_id: str, **kwargs: Any) -> DeploymentRecord:
        return as_original(super().record_deployment(name, run_id, **kwargs))
