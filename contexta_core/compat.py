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
from dataclasses import MISSING, field, fields, make_dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from . import results
from .client import Contexta as CoreContexta
from .contract import format_utc

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


# Fields only the original has (the core stores no tags, metadata or artifact refs): always empty.
_ORIGINAL_ONLY = {
    "tags": ("Mapping[str, Any]", field(default_factory=_empty)),
    "metadata": ("Mapping[str, Any]", field(default_factory=_empty)),
    "artifact_ref": ("str | None", field(default=None)),
}


def _original_shape(
    core: type, in_order: str, *, required: int, namespace: dict[str, Any] | None = None, **defaults: Any
) -> type:
    """The original library's record for the core's ``core`` record: every field of ``core`` (its
    name and type, times as ``…Z`` text) plus the original-only ones (``_ORIGINAL_ONLY``), in the
    original's order (``in_order``). The first ``required`` fields have no default; the others default to
    ``defaults``, else to the core's default, else to None. The core record stays the one list of
    fields: one ``in_order`` does not place is refused here, at import time."""
    core_fields = {f.name: f for f in fields(core)}
    names = in_order.split()
    unplaced = set(core_fields) - set(names)
    if unplaced:
        raise TypeError(f"{core.__name__}: place {sorted(unplaced)} in the original's field order")
    spec = []
    for position, name in enumerate(names):
        if name in _ORIGINAL_ONLY:
            spec.append((name, *_ORIGINAL_ONLY[name]))
            continue
        kind = str(core_fields[name].type).replace("datetime", "str")
        if position < required:
            spec.append((name, kind))
            continue
        core_default = core_fields[name].default
        default = defaults.get(name, None if core_default is MISSING else core_default)
        if default is None and "None" not in kind:
            kind += " | None"
        spec.append((name, kind, field(default=default)))
    shape = make_dataclass(core.__name__, spec, frozen=True, slots=True, namespace=namespace)
    shape.__module__ = __name__
    return shape


def _duration_seconds(self) -> float | None:
    if self.started_at is None or self.ended_at is None:
        return None
    return (datetime.fromisoformat(self.ended_at) - datetime.fromisoformat(self.started_at)).total_seconds()


RunRecord = _original_shape(
    results.RunRecord,
    "run_id project_name name status started_at ended_at tags metadata description",
    required=4,
    namespace={"duration_seconds": property(_duration_seconds)},
)
DeploymentRecord = _original_shape(
    results.DeploymentRecord,
    "deployment_id project_name name status run_id artifact_ref started_at ended_at order metadata run_name environment",
    required=4,
    order=0,
)
StageRecord = _original_shape(
    results.StageRecord,
    "stage_id run_id name status order started_at ended_at tags metadata",
    required=4,
    order=0,
)
ObservationRecord = _original_shape(
    results.ObservationRecord,
    "record_id run_id stage_id record_type key observed_at value message stage_name level step unit",
    required=6,
)

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
