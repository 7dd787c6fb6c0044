"""What an importer hands the writer: plain drafts of projects, runs and deployments.

Importers only read their source and describe what they found; the writer (``writer.py``) decides
refs, drops what is already stored and writes through the store's public API. Drafts carry the
source's identity (``item``) so importing again maps each source item to the same ref.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from ..contract import MetricRecord, StructuredEventRecord


class MetricPoint(NamedTuple):
    """One logged value: the writer turns it into a run-level MetricRecord with a ref derived from
    ``record_id`` (a digest of key, step, time and value, so the same point never lands twice)."""

    key: str
    value: float
    step: int | None
    observed_at: datetime
    record_id: str


class EventDraft(NamedTuple):
    key: str
    message: str
    attributes: dict[str, Any]
    observed_at: datetime
    record_id: str


@dataclass
class ProjectDraft:
    item: str  # the source's identity, e.g. "experiment/3"
    slug: str  # the ref component wanted, e.g. "churn-prediction"
    name: str
    created_at: datetime
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    fixed_ref: bool = False  # keep `project:<slug>` exactly (Contexta 1.x refs) or skip
    merge_by_name: bool = False  # join an existing project of the same name (TensorBoard --project)


@dataclass
class StageDraft:
    stage_name: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    order_index: int | None = None


@dataclass
class RunDraft:
    item: str  # e.g. "run/4f1c…"
    project_item: str
    slug: str  # the run component wanted; `alt_slug` if that is taken by another run
    alt_slug: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    description: str | None = None
    fingerprint: str | None = None
    is_open: bool = False
    cursor: Any = None
    fixed_ref: bool = False  # Contexta 1.x: the original ref or nothing
    stages: list[StageDraft] = field(default_factory=list)
    points: list[MetricPoint] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)
    records: list[MetricRecord | StructuredEventRecord] = field(default_factory=list)  # with their refs


@dataclass
class DeploymentDraft:
    item: str  # e.g. "model/churn-model/3/champion"
    run_item: str | None  # the source item of the deployed run
    project_item: str
    deployment_name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    environment: str = "production"
    order_index: int | None = None
    artifact_ref: str | None = None
    environment_snapshot_ref: str | None = None
    fingerprint: str | None = None
    run_ref: str | None = None  # Contexta 1.x: the deployed run's original ref
