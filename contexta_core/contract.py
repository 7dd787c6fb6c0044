"""The public vocabulary: immutable, validated pydantic models with the seed case's names.

Validation happens once, here; the store trusts what these models let through. Every failure
raises ``ContractValidationError`` whose message names the model, the field, the bad value and
what would be allowed.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import ContractValidationError
from .refs import check_slug, parse_ref
from .text_safety import unsafe_name_problem

LIFECYCLE_STATUSES = ("open", "completed", "failed", "cancelled")
RECORD_TYPES = ("metric", "event")
COMPLETENESS_MARKERS = ("complete", "partial", "unknown")
DEGRADATION_MARKERS = ("none", "partial_failure", "capture_gap", "compatibility_upgrade", "replayed")
EVENT_LEVELS = ("debug", "info", "warning", "error", "critical")
ORIGIN_MARKERS = ("explicit_capture", "derived", "imported")
AGGREGATION_SCOPES = ("step", "epoch", "run", "stage", "dataset", "window")
VALUE_TYPES = ("float64", "float32", "int64", "int32", "float", "int")

LifecycleStatus = Literal["open", "completed", "failed", "cancelled"]

_KEY_PART = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
_METRIC_KEY = pydantic.constr(pattern=rf"^{_KEY_PART}(?:[./]{_KEY_PART})*$", max_length=128)
_PRODUCER = pydantic.constr(pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$", max_length=128)


_METRIC_KEY_RE = re.compile(rf"^{_KEY_PART}(?:[./]{_KEY_PART})*$")


def check_metric_key(key: object) -> str:
    """Metric and event keys: lower-case words joined by - _ . / (like ``val/accuracy``)."""
    if not isinstance(key, str) or len(key) > 128 or not _METRIC_KEY_RE.match(key):
        raise ContractValidationError(
            f"metric key {key!r} must be lower-case letters and digits joined by - _ . or /, like `accuracy`",
            code="invalid_metric_key",
            details={"value": str(key)[:80]},
        )
    return key


def to_utc(value: Any, field: str = "timestamp") -> datetime:
    """ISO-8601 text or datetime, with a zone, as an aware UTC datetime."""
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise ValueError(
                f"{field} must be an ISO-8601 timestamp with a zone, like 2025-01-10T09:00:00Z"
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise ValueError(f"{field} must be an ISO-8601 text or a datetime, got {type(value).__name__}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{field} has no time zone; add one, like 2025-01-10T09:00:00Z or +09:00")
    return parsed.astimezone(UTC)


def format_utc(moment: datetime | None) -> str | None:
    """The one text form of a time: ``2025-01-10T09:00:00Z``."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # the store's times already are: skip the conversion
        moment = moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__")
    msg = str(error.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    head = f"{loc}: " if loc else ""
    if error.get("type") == "missing":
        return f"{head}is required"
    value = error.get("input")
    if loc and error.get("type") not in ("model_type",) and not isinstance(value, dict):
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        return f"{head}{msg} (got {shown})"
    return f"{head}{msg}"


class ContractModel(BaseModel):
    """Frozen, strict-about-unknown-fields base that reports errors as ``ContractValidationError``."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)
    kind: ClassVar[str] = "model"

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            problems = "; ".join(_describe(e) for e in exc.errors(include_url=False))
            raise ContractValidationError(
                f"invalid {type(self).__name__}: {problems}",
                code="contract_invalid",
                details={
                    "model": type(self).__name__,
                    "fields": sorted({".".join(map(str, e["loc"])) or "—" for e in exc.errors()}),
                    "errors": exc.errors(include_url=False, include_context=False),
                },
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (times as ``…Z`` text)."""
        return self.model_dump(mode="json", exclude_none=True)


def _safe_text_validator(*fields: str):
    """Names are data: no control characters or bidi overrides (a terminal, Slack or PostgreSQL
    would act on them); descriptions may hold line breaks but no NUL (PostgreSQL cannot store it)."""

    def check(cls, value, info):
        if not isinstance(value, str):
            return value
        if info.field_name == "description":
            if "\x00" in value:
                raise ValueError("description must not contain NUL characters (U+0000)")
            return value
        problem = unsafe_name_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(*fields, mode="before")(classmethod(check))


def _ref_validator(kind: str, *fields: str, optional: bool = False):
    def check(cls, value):
        if value is None and optional:
            return None
        parse_ref(value, kind, field=None)
        return value

    return field_validator(*fields)(classmethod(check))


def _time_validator(*fields: str):
    def check(cls, value, info):
        if value is None:
            return None
        return to_utc(value, info.field_name)

    return field_validator(*fields, mode="before")(classmethod(check))


def _check_lifecycle(model: Any, label: str) -> None:
    if model.status == "open" and model.ended_at is not None:
        raise ValueError(f"{label}.ended_at must be empty while status is 'open'")
    if model.status != "open" and model.ended_at is None:
        raise ValueError(f"{label}.ended_at is required when status is {model.status!r}")
    if model.ended_at is not None and model.ended_at < model.started_at:
        raise ValueError(
            f"{label}.ended_at ({format_utc(model.ended_at)}) is before started_at ({format_utc(model.started_at)})"
        )


class Project(ContractModel):
    project_ref: str
    name: str = Field(min_length=1, max_length=200)
    created_at: datetime
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    schema_version: str = "1.0.0"
    extensions: tuple[Any, ...] = ()

    _v_ref = _ref_validator("project", "project_ref")
    _v_time = _time_validator("created_at")
    _v_text = _safe_text_validator("name", "description")

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()


class Run(ContractModel):
    run_ref: str
    project_ref: str
    name: str = Field(min_length=1, max_length=200)
    status: LifecycleStatus
    started_at: datetime
    ended_at: datetime | None = None
    description: str | None = None
    schema_version: str = "1.0.0"
    extensions: tuple[Any, ...] = ()

    _v_run = _ref_validator("run", "run_ref")
    _v_project = _ref_validator("project", "project_ref")
    _v_time = _time_validator("started_at", "ended_at")
    _v_text = _safe_text_validator("name", "description")

    @model_validator(mode="after")
    def _consistent(self) -> Run:
        if not self.name.strip():
            raise ValueError("name must not be blank")
        project = self.project_ref.partition(":")[2]
        if self.run_ref.partition(":")[2].split(".")[0] != project:
            raise ValueError(f"run_ref {self.run_ref!r} does not belong to project_ref {self.project_ref!r}")
        _check_lifecycle(self, "Run")
        return self


class StageExecution(ContractModel):
    stage_execution_ref: str
    run_ref: str
    stage_name: str
    status: LifecycleStatus
    started_at: datetime
    ended_at: datetime | None = None
    order_index: int | None = Field(default=None, ge=0)
    schema_version: str = "1.0.0"
    extensions: tuple[Any, ...] = ()

    _v_stage = _ref_validator("stage", "stage_execution_ref")
    _v_run = _ref_validator("run", "run_ref")
    _v_time = _time_validator("started_at", "ended_at")

    @field_validator("stage_name")
    @classmethod
    def _slug(cls, value: str) -> str:
        return check_slug(value, field="stage_name")

    @model_validator(mode="after")
    def _consistent(self) -> StageExecution:
        expected = f"stage:{self.run_ref.partition(':')[2]}.{self.stage_name}"
        if self.stage_execution_ref != expected:
            raise ValueError(
                f"stage_execution_ref {self.stage_execution_ref!r} must be run_ref + '.' + stage_name "
                f"= {expected!r}"
            )
        _check_lifecycle(self, "StageExecution")
        return self


class DeploymentExecution(ContractModel):
    deployment_execution_ref: str
    project_ref: str
    deployment_name: str
    status: LifecycleStatus
    started_at: datetime
    ended_at: datetime | None = None
    order_index: int | None = Field(default=None, ge=0)
    run_ref: str | None = None
    artifact_ref: str | None = None
    environment_snapshot_ref: str | None = None
    environment: str = "production"
    schema_version: str = "1.0.0"
    extensions: tuple[Any, ...] = ()

    _v_dep = _ref_validator("deployment", "deployment_execution_ref")
    _v_project = _ref_validator("project", "project_ref")
    _v_run = _ref_validator("run", "run_ref", optional=True)
    _v_artifact = _ref_validator("artifact", "artifact_ref", optional=True)
    _v_time = _time_validator("started_at", "ended_at")

    @field_validator("deployment_name", "environment")
    @classmethod
    def _slug(cls, value: str, info) -> str:
        return check_slug(value, field=info.field_name)

    @model_validator(mode="after")
    def _consistent(self) -> DeploymentExecution:
        project = self.project_ref.partition(":")[2]
        expected = f"deployment:{project}.{self.deployment_name}"
        if self.deployment_execution_ref != expected:
            raise ValueError(
                f"deployment_execution_ref {self.deployment_execution_ref!r} must be project_ref + '.' + "
                f"deployment_name = {expected!r}"
            )
        for field in ("run_ref", "artifact_ref"):
            ref = getattr(self, field)
            if ref is not None and ref.partition(":")[2].split(".")[0] != project:
                raise ValueError(f"{field} {ref!r} belongs to another project than {self.project_ref!r}")
        _check_lifecycle(self, "DeploymentExecution")
        return self


class RecordEnvelope(ContractModel):
    record_ref: str
    record_type: Literal["metric", "event"]
    recorded_at: datetime
    observed_at: datetime
    producer_ref: _PRODUCER  # type: ignore[valid-type]
    run_ref: str
    stage_execution_ref: str | None = None
    batch_execution_ref: str | None = None
    sample_observation_ref: str | None = None
    completeness_marker: Literal["complete", "partial", "unknown"] = "complete"
    degradation_marker: Literal[
        "none", "partial_failure", "capture_gap", "compatibility_upgrade", "replayed"
    ] = "none"
    correlation_refs: dict[str, str] = Field(default_factory=dict)
    schema_version: str = "1.0.0"
    extensions: tuple[Any, ...] = ()

    _v_record = _ref_validator("record", "record_ref")
    _v_run = _ref_validator("run", "run_ref")
    _v_stage = _ref_validator("stage", "stage_execution_ref", optional=True)
    _v_batch = _ref_validator("batch", "batch_execution_ref", optional=True)
    _v_sample = _ref_validator("sample", "sample_observation_ref", optional=True)
    _v_time = _time_validator("recorded_at", "observed_at")

    @model_validator(mode="after")
    def _consistent(self) -> RecordEnvelope:
        run_value = self.run_ref.partition(":")[2]
        if not self.record_ref.partition(":")[2].startswith(run_value + "."):
            raise ValueError(
                f"record_ref {self.record_ref!r} must start with the run's value `record:{run_value}.`"
            )
        for field in ("stage_execution_ref", "batch_execution_ref", "sample_observation_ref"):
            ref = getattr(self, field)
            if ref is not None and not ref.partition(":")[2].startswith(run_value + "."):
                raise ValueError(f"{field} {ref!r} does not belong to run_ref {self.run_ref!r}")
        if self.recorded_at < self.observed_at:
            raise ValueError(
                f"recorded_at ({format_utc(self.recorded_at)}) is before observed_at ({format_utc(self.observed_at)})"
            )
        return self


class MetricPayload(ContractModel):
    metric_key: _METRIC_KEY  # type: ignore[valid-type]
    value: float | int
    value_type: Literal["float64", "float32", "int64", "int32", "float", "int"] = "float64"
    unit: str | None = None
    step: int | None = Field(default=None, ge=0)
    aggregation_scope: Literal["step", "epoch", "run", "stage", "dataset", "window"] = "step"
    tags: dict[str, str] = Field(default_factory=dict)

    @field_validator("value", mode="before")
    @classmethod
    def _finite(cls, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError("metric value must be a finite number (not NaN, infinity, bool or text)")
        return value


class StructuredEventPayload(ContractModel):
    event_key: _METRIC_KEY  # type: ignore[valid-type]
    message: str = Field(max_length=10_000)
    level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    attributes: dict[str, Any] = Field(default_factory=dict)
    origin_marker: Literal["explicit_capture", "derived", "imported"] = "explicit_capture"

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be blank")
        return value


class _Record(ContractModel):
    """A record's envelope and payload; the envelope must name this kind of record."""

    envelope: RecordEnvelope
    record_type: ClassVar[str]

    @model_validator(mode="after")
    def _type_matches(self) -> _Record:
        if self.envelope.record_type != self.record_type:
            raise ValueError(
                f"a {type(self).__name__}'s envelope must have record_type {self.record_type!r}, "
                f"not {self.envelope.record_type!r}"
            )
        return self


class MetricRecord(_Record):
    payload: MetricPayload
    record_type: ClassVar[str] = "metric"


class StructuredEventRecord(_Record):
    payload: StructuredEventPayload
    record_type: ClassVar[str] = "event"


Record = MetricRecord | StructuredEventRecord

__all__ = [
    "AGGREGATION_SCOPES",
    "COMPLETENESS_MARKERS",
    "DEGRADATION_MARKERS",
    "EVENT_LEVELS",
    "LIFECYCLE_STATUSES",
    "ORIGIN_MARKERS",
    "RECORD_TYPES",
    "VALUE_TYPES",
    "DeploymentExecution",
    "MetricPayload",
    "MetricRecord",
    "Project",
    "Record",
    "RecordEnvelope",
    "Run",
    "StageExecution",
    "StructuredEventPayload",
    "StructuredEventRecord",
    "check_metric_key",
    "format_utc",
    "to_utc",
]
