"""Plain result objects returned by queries: no SQL, no Slack, cheap to build by the thousand."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .contract import format_utc


def to_jsonable(value: Any) -> Any:
    """Dataclass results → JSON-safe structures (times as ``…Z`` text)."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_utc(value)
    return value


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    project_ref: str
    name: str
    description: str | None
    created_at: datetime
    run_count: int = 0
    last_run_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    project_name: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    description: str | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class DeploymentRecord:
    deployment_id: str
    project_name: str
    name: str
    status: str
    run_id: str | None
    run_name: str | None
    started_at: datetime
    ended_at: datetime | None = None
    order: int | None = None
    environment: str = "production"


@dataclass(frozen=True, slots=True)
class BestRun:
    """The winner of a project-scoped best-run query, with its margin over the runner-up."""

    run_id: str
    run_name: str
    value: float
    metric_key: str
    stage_name: str | None
    aggregation: str
    higher_is_better: bool
    runner_up_run_id: str | None = None
    runner_up_run_name: str | None = None
    runner_up_value: float | None = None

    @property
    def margin(self) -> float | None:
        """How far ahead of the runner-up the winner is (always ≥ 0), or None when it ran alone."""
        if self.runner_up_value is None:
            return None
        return abs(self.value - self.runner_up_value)
