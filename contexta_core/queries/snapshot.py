"""One run in full (stages, deployments, records) and two runs side by side."""

from __future__ import annotations

from sqlalchemy import Connection, select

from ..results import (
    MetricDelta,
    ObservationRecord,
    RunComparison,
    RunRecord,
    RunSnapshot,
    StageComparison,
    StageRecord,
)
from ..store import schema
from .listing import list_deployments
from .lookup import resolve_runs


def _run_record(conn: Connection, run_id: int) -> RunRecord:
    r, p = schema.runs, schema.projects
    row = conn.execute(
        select(r.c.ref, p.c.name, r.c.name, r.c.status, r.c.started_at, r.c.ended_at, r.c.description)
        .join(p, p.c.id == r.c.project_id)
        .where(r.c.id == run_id)
    ).one()
    return RunRecord(*row)


def get_run_snapshot(conn: Connection, run_id: str) -> RunSnapshot:
    row = resolve_runs(conn, [run_id])[0]
    run = _run_record(conn, row.id)
    st, rec = schema.stages, schema.records
    stages = tuple(
        StageRecord(ref, run.run_id, name, status, order, started, ended)
        for ref, name, status, order, started, ended in conn.execute(
            select(st.c.ref, st.c.stage_name, st.c.status, st.c.order_index, st.c.started_at, st.c.ended_at)
            .where(st.c.run_id == row.id)
            .order_by(st.c.order_index, st.c.started_at, st.c.id)
        )
    )
    records = tuple(
        ObservationRecord(
            ref,
            run.run_id,
            stage_ref,
            stage_name,
            record_type,
            key,
            observed,
            value,
            message,
            level,
            step,
            unit,
        )
        for ref, stage_ref, stage_name, record_type, key, observed, value, message, level, step, unit in conn.execute(
            select(
                rec.c.ref,
                st.c.ref,
                st.c.stage_name,
                rec.c.record_type,
                rec.c.key,
                rec.c.observed_at,
                rec.c.value,
                rec.c.message,
                rec.c.level,
                rec.c.step,
                rec.c.unit,
            )
            .outerjoin(st, st.c.id == rec.c.stage_id)
            .where(rec.c.run_id == row.id)
            .order_by(rec.c.id)
        )
    )
    deployments = list_deployments(conn, None, run.run_id)
    notes = []
    if not stages:
        notes.append("stage_list_empty")
    if not deployments:
        notes.append("deployment_list_empty")
    if not records:
        notes.append("record_scope_empty")
    with_records = {r.stage_name for r in records}
    notes.extend(f"missing_stage_records:{s.name}" for s in stages if s.name not in with_records)
    return RunSnapshot(run, stages, deployments, records, tuple(notes))


def _latest_metrics(snapshot: RunSnapshot) -> dict[tuple[str | None, str], float]:
    """(stage, metric) → latest value (later append wins ties), like the best-run rule."""
    latest: dict[tuple[str | None, str], tuple] = {}
    for record in snapshot.records:
        if record.record_type != "metric":
            continue
        key = (record.stage_name, record.key)
        if key not in latest or record.observed_at >= latest[key][0]:
            latest[key] = (record.observed_at, record.value)
    return {key: value for key, (_, value) in latest.items()}


def compare_runs(conn: Connection, left: str, right: str) -> RunComparison:
    a, b = get_run_snapshot(conn, left), get_run_snapshot(conn, right)
    a_values, b_values = _latest_metrics(a), _latest_metrics(b)
    a_stages = {s.name: s for s in a.stages}
    b_stages = {s.name: s for s in b.stages}
    stage_names = sorted(
        set(a_stages) | set(b_stages) | {k[0] for k in a_values} | {k[0] for k in b_values},
        key=lambda name: (name is not None, name or ""),
    )
    comparisons = []
    delta_count = 0
    for name in stage_names:
        keys = sorted({k[1] for k in a_values if k[0] == name} | {k[1] for k in b_values if k[0] == name})
        deltas = tuple(MetricDelta(k, name, a_values.get((name, k)), b_values.get((name, k))) for k in keys)
        delta_count += len(deltas)
        sa, sb = a_stages.get(name), b_stages.get(name)
        comparisons.append(
            StageComparison(
                name,
                sa.stage_id if sa else None,
                sb.stage_id if sb else None,
                sa.status if sa else None,
                sb.status if sb else None,
                deltas,
            )
        )
    summary = (
        f"Compared {a.run.name} and {b.run.name}: {len(comparisons)} stage rows, {delta_count} metric deltas."
    )
    return RunComparison(
        left_run_id=left,
        right_run_id=right,
        left_run=a.run,
        right_run=b.run,
        summary=summary,
        stage_comparisons=tuple(comparisons),
        left_deployments=a.deployments,
        right_deployments=b.deployments,
    )
