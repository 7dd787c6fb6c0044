"""The record store: metric and event records, appended in all-or-nothing batches.

``append_many`` checks every record's run and stage exist before writing anything, writes the
batch in one transaction, and folds the metrics into ``metric_summaries`` in that same
transaction — so a reader sees either the whole batch and its summaries or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError

from ..contract import (
    MetricPayload,
    MetricRecord,
    RecordEnvelope,
    StructuredEventPayload,
    StructuredEventRecord,
)
from ..errors import IntegrityViolation
from ..gc_pause import gc_paused
from . import pg_bulk, schema
from .engine import Database
from .sql import chunked, db_time, dialect_insert, fast_executemany, fetch_in


@dataclass(frozen=True, slots=True)
class AppendResult:
    accepted_count: int
    record_refs: tuple[str, ...]

    @property
    def success(self) -> bool:
        return True

    @property
    def rejected_count(self) -> int:
        return 0


class RecordStore:
    def __init__(self, db: Database):
        self._db = db

    def append(self, record: MetricRecord | StructuredEventRecord) -> AppendResult:
        return self.append_many((record,))

    def append_many(self, records: Iterable[MetricRecord | StructuredEventRecord]) -> AppendResult:
        batch = list(records)
        for index, record in enumerate(batch):
            if not isinstance(record, MetricRecord | StructuredEventRecord):
                raise IntegrityViolation(
                    f"record #{index} is a {type(record).__name__}; the record store accepts MetricRecord "
                    "and StructuredEventRecord (nothing of this batch was written)",
                    code="unsupported_record_type",
                    details={"index": index, "type": type(record).__name__},
                )
        if not batch:
            return AppendResult(0, ())
        refs = [r.envelope.record_ref for r in batch]
        if len(set(refs)) != len(refs):
            seen: set[str] = set()
            dup = next(ref for ref in refs if ref in seen or seen.add(ref))
            raise IntegrityViolation(
                f"record ref `{dup}` appears twice in this batch (nothing was written)",
                code="duplicate_record_in_batch",
                details={"ref": dup},
            )
        try:
            with gc_paused(), self._db.writing() as conn:
                run_ids, stage_ids = self._owners(conn, batch)
                as_db_time = db_time(self._db.dialect)
                rows = (_row(r, run_ids, stage_ids, as_db_time) for r in batch)
                if self._db.is_sqlite:
                    fast_executemany(conn, schema.records.insert(), RECORD_COLUMNS, list(rows))
                    summaries = _summaries(batch, run_ids, as_db_time)
                    fast_executemany(conn, self._summary_upsert(), SUMMARY_COLUMNS, summaries)
                else:  # rows streamed by COPY (encoded while the server inserts), summaries merged
                    pg_bulk.copy_rows(conn, "records", RECORD_COLUMNS, rows)
                    summaries = _summaries(batch, run_ids, as_db_time)
                    pg_bulk.merge_summaries(conn, SUMMARY_COLUMNS, summaries, self._summary_upsert)
        except IntegrityError:
            existing = self._existing_refs(refs)
            if existing:
                raise IntegrityViolation(
                    f"record ref `{existing[0]}` is already stored ({len(existing)} of this batch are); "
                    "records are append-only (nothing of this batch was written)",
                    code="duplicate_record",
                    details={"ref": existing[0], "count": len(existing)},
                ) from None
            raise
        return AppendResult(len(batch), tuple(refs))

    def append_metric_rows(self, rows: Sequence[tuple], *, producer_ref: str) -> int:
        """The bulk path for importers: run-level metric records as plain
        ``(record_ref, run_ref, metric_key, value, step, observed_at)`` tuples, already checked by
        the caller (refs built from checked parts, keys checked, values finite, aware UTC times),
        so millions of imported values cost no model objects. Same guarantees as ``append_many``:
        one transaction with the summaries, owners must exist, a ref already stored refuses the
        batch."""
        if not rows:
            return 0
        run_refs = sorted({row[1] for row in rows})
        try:
            with gc_paused(), self._db.writing() as conn:
                run_ids = self._runs(conn, run_refs)
                missing = [ref for ref in run_refs if ref not in run_ids]
                if missing:
                    raise IntegrityViolation(
                        f"run `{missing[0]}` does not exist; put_run() it before appending its records "
                        "(nothing of this batch was written)",
                        code="missing_owner",
                    )
                as_db_time = db_time(self._db.dialect)
                records = [
                    (ref, run_ids[run][0], None, "metric", key, value, None, None, as_db_time(at), as_db_time(at),
                     step, producer_ref, "float64", None, "step", None, "complete", "none", None)
                    for ref, run, key, value, step, at in rows
                ]  # fmt: skip
                summaries = _fold_summaries(
                    ((run, schema.RUN_LEVEL, key, value, at) for _, run, key, value, _, at in rows),
                    run_ids,
                    as_db_time,
                )
                if self._db.is_sqlite:
                    fast_executemany(conn, schema.records.insert(), RECORD_COLUMNS, records)
                    fast_executemany(conn, self._summary_upsert(), SUMMARY_COLUMNS, summaries)
                else:  # COPY and merged summaries, as append_many
                    pg_bulk.copy_rows(conn, "records", RECORD_COLUMNS, records)
                    pg_bulk.merge_summaries(conn, SUMMARY_COLUMNS, summaries, self._summary_upsert)
        except IntegrityError:
            raise IntegrityViolation(
                "a record ref of this batch is already stored (nothing of this batch was written)",
                code="duplicate_record",
            ) from None
        return len(rows)

    def list_records(
        self,
        *,
        run_ref: str | None = None,
        stage_execution_ref: str | None = None,
        record_type: str | None = None,
        key: str | None = None,
    ) -> tuple[MetricRecord | StructuredEventRecord, ...]:
        """Records in append order, filtered by run, stage, record type and key."""
        stmt = _record_select()
        if run_ref is not None:
            stmt = stmt.where(schema.runs.c.ref == run_ref)
        if stage_execution_ref is not None:
            stmt = stmt.where(schema.stages.c.ref == stage_execution_ref)
        if record_type is not None:
            stmt = stmt.where(schema.records.c.record_type == record_type)
        if key is not None:
            stmt = stmt.where(schema.records.c.key == key)
        with self._db.reading() as conn:
            return tuple(record_from_row(row) for row in conn.execute(stmt.order_by(schema.records.c.id)))

    def count(self) -> int:
        from sqlalchemy import func

        with self._db.reading() as conn:
            return conn.execute(select(func.count()).select_from(schema.records)).scalar_one()

    # -- internals ------------------------------------------------------------------------------

    def _runs(self, conn, run_refs: Sequence[str]) -> dict[str, tuple]:
        """ref → (id, project id, aware started_at) of the runs found, which then stay until the
        transaction ends: SQLite's write lock is taken first; PostgreSQL's lookup locks them."""
        if self._db.is_sqlite:
            s = schema.runs
            rows = fetch_in(conn, select(s.c.ref, s.c.id, s.c.project_id, s.c.started_at), s.c.ref, run_refs)
            return {row.ref: (row.id, row.project_id, row.started_at) for row in rows}
        columns = ("ref", "id", "project_id", "started_at")
        rows = pg_bulk.lock_owners(conn, "runs", columns, run_refs)  # raw rows: naive UTC times
        return {row.ref: (row.id, row.project_id, row.started_at.replace(tzinfo=UTC)) for row in rows}

    def _owners(self, conn, batch: Sequence[Any]) -> tuple[dict[str, tuple], dict[str, int]]:
        run_refs = sorted({r.envelope.run_ref for r in batch})
        stage_refs = sorted({r.envelope.stage_execution_ref for r in batch} - {None})
        run_ids = self._runs(conn, run_refs)
        if self._db.is_sqlite:
            s = schema.stages
            stage_rows = fetch_in(conn, select(s.c.ref, s.c.id), s.c.ref, stage_refs)
        else:
            stage_rows = pg_bulk.lock_owners(conn, "stages", ("ref", "id"), stage_refs)
        missing_runs = [ref for ref in run_refs if ref not in run_ids]
        if missing_runs:
            raise IntegrityViolation(
                f"run `{missing_runs[0]}` does not exist ({len(missing_runs)} unknown run(s) in this batch); "
                "put_run() it before appending its records (nothing of this batch was written)",
                code="missing_owner",
                details={"kind": "run", "ref": missing_runs[0], "missing_runs": missing_runs[:20]},
            )
        stage_ids = {row.ref: row.id for row in stage_rows}
        missing_stages = [ref for ref in stage_refs if ref not in stage_ids]
        if missing_stages:
            raise IntegrityViolation(
                f"stage `{missing_stages[0]}` does not exist ({len(missing_stages)} unknown stage(s) in this "
                "batch); put_stage_execution() it before appending its records (nothing of this batch was written)",
                code="missing_owner",
                details={"kind": "stage", "ref": missing_stages[0], "missing_stages": missing_stages[:20]},
            )
        return run_ids, stage_ids

    def _summary_upsert(self, rows_from=None):
        """The summaries upsert, of bound rows or (PostgreSQL's staging) of ``rows_from``, a select."""
        s = schema.metric_summaries
        stmt = dialect_insert(s, self._db.dialect)
        if rows_from is not None:
            stmt = stmt.from_select(SUMMARY_COLUMNS, rows_from)
        ex = stmt.excluded
        newer = ex.latest_observed_at >= s.c.latest_observed_at
        return stmt.on_conflict_do_update(
            index_elements=["run_id", "stage_name", "metric_key"],
            set_={
                "latest_value": case((newer, ex.latest_value), else_=s.c.latest_value),
                "latest_observed_at": case((newer, ex.latest_observed_at), else_=s.c.latest_observed_at),
                "max_value": case((ex.max_value > s.c.max_value, ex.max_value), else_=s.c.max_value),
                "min_value": case((ex.min_value < s.c.min_value, ex.min_value), else_=s.c.min_value),
                "value_sum": s.c.value_sum + ex.value_sum,
                "value_count": s.c.value_count + ex.value_count,
            },
        )

    def _existing_refs(self, refs: Sequence[str]) -> list[str]:
        found: list[str] = []
        with self._db.reading() as conn:
            for part in chunked(list(refs)):
                found.extend(
                    conn.execute(select(schema.records.c.ref).where(schema.records.c.ref.in_(part))).scalars()
                )
        return found


RECORD_COLUMNS = (
    "ref",
    "run_id",
    "stage_id",
    "record_type",
    "key",
    "value",
    "message",
    "level",
    "observed_at",
    "recorded_at",
    "step",
    "producer_ref",
    "value_type",
    "unit",
    "aggregation_scope",
    "origin_marker",
    "completeness_marker",
    "degradation_marker",
    "extra",
)
SUMMARY_COLUMNS = (
    "run_id",
    "stage_name",
    "metric_key",
    "project_id",
    "run_started_at",
    "latest_value",
    "latest_observed_at",
    "max_value",
    "min_value",
    "value_sum",
    "value_count",
)


def _row(record: Any, run_ids: dict[str, tuple], stage_ids: dict[str, int], as_db_time) -> tuple:
    """One records row, in RECORD_COLUMNS order."""
    env = record.envelope
    payload = record.payload
    extra: dict[str, Any] = {}
    if env.correlation_refs:
        extra["correlation_refs"] = dict(env.correlation_refs)
    if env.batch_execution_ref:
        extra["batch_execution_ref"] = env.batch_execution_ref
    if env.sample_observation_ref:
        extra["sample_observation_ref"] = env.sample_observation_ref
    if env.extensions:
        extra["extensions"] = list(env.extensions)
    stage_id = stage_ids[env.stage_execution_ref] if env.stage_execution_ref else None
    common = (as_db_time(env.observed_at), as_db_time(env.recorded_at))
    if env.record_type == "metric":
        if payload.tags:
            extra["tags"] = dict(payload.tags)
        return (
            env.record_ref,
            run_ids[env.run_ref][0],
            stage_id,
            "metric",
            payload.metric_key,
            float(payload.value),
            None,
            None,
            *common,
            payload.step,
            env.producer_ref,
            payload.value_type,
            payload.unit,
            payload.aggregation_scope,
            None,
            env.completeness_marker,
            env.degradation_marker,
            json.dumps(extra) if extra else None,
        )
    if payload.attributes:
        extra["attributes"] = dict(payload.attributes)
    return (
        env.record_ref,
        run_ids[env.run_ref][0],
        stage_id,
        "event",
        payload.event_key,
        None,
        payload.message,
        payload.level,
        *common,
        None,
        env.producer_ref,
        None,
        None,
        None,
        payload.origin_marker,
        env.completeness_marker,
        env.degradation_marker,
        json.dumps(extra) if extra else None,
    )


def _summaries(batch: Sequence[Any], run_ids: dict[str, tuple], as_db_time) -> list[tuple]:
    """Fold the batch's metrics per (run, stage, key), in SUMMARY_COLUMNS order.

    Later records win ties on observed_at, matching the append order.
    """
    return _fold_summaries(
        (
            (
                r.envelope.run_ref,
                r.envelope.stage_execution_ref.rsplit(".", 1)[1]
                if r.envelope.stage_execution_ref
                else schema.RUN_LEVEL,
                r.payload.metric_key,
                float(r.payload.value),
                r.envelope.observed_at,
            )
            for r in batch
            if r.envelope.record_type == "metric"
        ),
        run_ids,
        as_db_time,
    )


def _fold_summaries(metrics: Iterable[tuple], run_ids: dict[str, tuple], as_db_time) -> list[tuple]:
    """``metrics``: (run ref, stage name, key, value, observed_at) in append order."""
    folded: dict[tuple[int, str, str], list[Any]] = {}
    for run_ref, stage, metric_key, value, observed_at in metrics:
        run_id, project_id, started_at = run_ids[run_ref]
        key = (run_id, stage, metric_key)
        current = folded.get(key)
        if current is None:
            folded[key] = [
                run_id,
                stage,
                metric_key,
                project_id,
                started_at,
                value,
                observed_at,
                value,
                value,
                value,
                1,
            ]
            continue
        if observed_at >= current[6]:
            current[5], current[6] = value, observed_at
        if value > current[7]:
            current[7] = value
        if value < current[8]:
            current[8] = value
        current[9] += value
        current[10] += 1
    rows = []
    for row in folded.values():
        row[4], row[6] = as_db_time(row[4]), as_db_time(row[6])
        rows.append(tuple(row))
    return rows


def _record_select():
    return (
        select(schema.records, schema.runs.c.ref.label("run_ref"), schema.stages.c.ref.label("stage_ref"))
        .join(schema.runs, schema.runs.c.id == schema.records.c.run_id)
        .outerjoin(schema.stages, schema.stages.c.id == schema.records.c.stage_id)
    )


def record_from_row(row: Any) -> MetricRecord | StructuredEventRecord:
    """Rebuild the contract record from a stored row (trusted: it was validated on the way in)."""
    extra = row.extra or {}
    envelope = RecordEnvelope.model_construct(
        record_ref=row.ref,
        record_type=row.record_type,
        recorded_at=row.recorded_at,
        observed_at=row.observed_at,
        producer_ref=row.producer_ref,
        run_ref=row.run_ref,
        stage_execution_ref=row.stage_ref,
        batch_execution_ref=extra.get("batch_execution_ref"),
        sample_observation_ref=extra.get("sample_observation_ref"),
        completeness_marker=row.completeness_marker,
        degradation_marker=row.degradation_marker,
        correlation_refs=extra.get("correlation_refs", {}),
        extensions=tuple(extra.get("extensions", ())),
    )
    if row.record_type == "metric":
        value: float | int = row.value
        if row.value_type in ("int", "int32", "int64") and float(value).is_integer():
            value = int(value)
        payload = MetricPayload.model_construct(
            metric_key=row.key,
            value=value,
            value_type=row.value_type,
            unit=row.unit,
            step=row.step,
            aggregation_scope=row.aggregation_scope,
            tags=extra.get("tags", {}),
        )
        return MetricRecord.model_construct(envelope=envelope, payload=payload)
    event = StructuredEventPayload.model_construct(
        event_key=row.key,
        message=row.message,
        level=row.level,
        attributes=extra.get("attributes", {}),
        origin_marker=row.origin_marker,
    )
    return StructuredEventRecord.model_construct(envelope=envelope, payload=event)
