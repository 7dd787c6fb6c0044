"""Contract models validate like a trustworthy library and say exactly what was wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contexta_core.contract import (
    DeploymentExecution,
    MetricPayload,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
    StageExecution,
    StructuredEventPayload,
)
from contexta_core.errors import ContractValidationError


def run(**changes):
    data = dict(
        run_ref="run:p.r1",
        project_ref="project:p",
        name="r1",
        status="completed",
        started_at="2025-01-10T09:00:00Z",
        ended_at="2025-01-10T10:00:00Z",
    )
    data.update(changes)
    return Run(**data)


def test_valid_models_are_frozen_and_times_are_utc():
    r = run(started_at="2025-01-10T18:00:00+09:00", ended_at="2025-01-10T10:00:00Z")
    assert r.started_at == datetime(2025, 1, 10, 9, tzinfo=UTC)
    assert r.to_dict()["started_at"] == "2025-01-10T09:00:00Z"
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error type is an implementation detail
        r.name = "other"


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"status": "running"}, ["status", "'running'", "'open'", "'completed'"]),
        ({"run_ref": "proj:p.r1"}, ["run_ref", "'proj:p.r1'", "expected `run:`"]),
        ({"run_ref": "run:p"}, ["run_ref", "1 dot-separated part", "have 2"]),
        ({"run_ref": "run:p.R1"}, ["'R1'", "lower-case"]),
        ({"run_ref": "run:q.r1"}, ["does not belong to project_ref"]),
        ({"started_at": "2025-01-10T09:00:00"}, ["started_at", "no time zone"]),
        ({"started_at": "yesterday"}, ["started_at", "ISO-8601"]),
        ({"ended_at": None}, ["ended_at is required", "completed"]),
        ({"status": "open"}, ["ended_at must be empty", "open"]),
        ({"ended_at": "2025-01-09T00:00:00Z"}, ["before started_at"]),
        ({"name": "  "}, ["name must not be blank"]),
        ({"colour": "red"}, ["colour", "Extra inputs are not permitted"]),
    ],
)
def test_bad_run_names_field_value_and_what_is_allowed(changes, fragments):
    with pytest.raises(ContractValidationError) as info:
        run(**changes)
    message = str(info.value)
    assert message.startswith("invalid Run")
    for fragment in fragments:
        assert fragment in message
    assert isinstance(info.value, ValueError)


def test_stage_ref_must_be_run_plus_stage_name():
    with pytest.raises(ContractValidationError, match=r"must be run_ref \+ '\.' \+ stage_name"):
        StageExecution(
            stage_execution_ref="stage:p.r1.train",
            run_ref="run:p.r1",
            stage_name="evaluate",
            status="completed",
            started_at="2025-01-10T09:00:00Z",
            ended_at="2025-01-10T10:00:00Z",
        )
    with pytest.raises(ContractValidationError, match="order_index"):
        StageExecution(
            stage_execution_ref="stage:p.r1.train",
            run_ref="run:p.r1",
            stage_name="train",
            status="completed",
            started_at="2025-01-10T09:00:00Z",
            ended_at="2025-01-10T10:00:00Z",
            order_index=-1,
        )


def test_deployment_refs_belong_to_its_project():
    common = dict(
        project_ref="project:p",
        deployment_name="prod-1",
        status="completed",
        started_at="2025-01-10T09:00:00Z",
        ended_at="2025-01-10T10:00:00Z",
    )
    with pytest.raises(ContractValidationError, match="another project"):
        DeploymentExecution(deployment_execution_ref="deployment:p.prod-1", run_ref="run:q.r1", **common)
    with pytest.raises(ContractValidationError, match="deployment_execution_ref"):
        DeploymentExecution(deployment_execution_ref="deployment:p.prod-2", **common)


def envelope(**changes):
    data = dict(
        record_ref="record:p.r1.m1",
        record_type="metric",
        recorded_at="2025-01-10T10:00:00Z",
        observed_at="2025-01-10T10:00:00Z",
        producer_ref="trainer",
        run_ref="run:p.r1",
        stage_execution_ref="stage:p.r1.evaluate",
    )
    data.update(changes)
    return RecordEnvelope(**data)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"record_type": "log"}, "record_type"),
        ({"completeness_marker": "absent"}, "completeness_marker"),
        ({"record_ref": "record:p.r2.m1"}, "must start with the run's value"),
        ({"stage_execution_ref": "stage:p.r2.evaluate"}, "does not belong to run_ref"),
        ({"recorded_at": "2025-01-10T09:00:00Z"}, "recorded_at"),
        ({"producer_ref": "Contexta Case"}, "producer_ref"),
    ],
)
def test_bad_envelopes(changes, fragment):
    with pytest.raises(ContractValidationError, match=fragment):
        envelope(**changes)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "0.9", None])
def test_metric_values_are_finite_numbers(value):
    with pytest.raises(ContractValidationError, match="finite number"):
        MetricPayload(metric_key="accuracy", value=value)


def test_payload_vocabularies_and_type_match():
    with pytest.raises(ContractValidationError, match="metric_key"):
        MetricPayload(metric_key="Val Acc", value=1.0)
    with pytest.raises(ContractValidationError, match="message must not be blank"):
        StructuredEventPayload(event_key="training.note", message=" ")
    with pytest.raises(ContractValidationError, match="level"):
        StructuredEventPayload(event_key="training.note", message="x", level="loud")
    with pytest.raises(ContractValidationError, match="record_type 'metric'"):
        MetricRecord(
            envelope=envelope(record_type="event"), payload=MetricPayload(metric_key="accuracy", value=1)
        )


def test_project_requires_zone_and_kind():
    with pytest.raises(ContractValidationError) as info:
        Project(project_ref="proj:x", name="x", created_at="2025-01-01")
    assert "project_ref" in str(info.value) and "created_at" in str(info.value)
