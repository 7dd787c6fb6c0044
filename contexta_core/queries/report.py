"""The multi-run comparison report as data: every run asked about, every metric they recorded.

Its text (sections, Markdown, CSV, HTML) is written by ``contexta_core.render``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, exists, func, select

from ..direction import lower_is_better
from ..errors import QueryError
from ..results import MetricColumn, MultiRunReport, ReportDeployment, ReportTable
from ..store import schema
from ..store.sql import fetch_in
from .lookup import RunRow, resolve_project, resolve_runs


def build_project_report(
    conn: Connection, project_name: str, *, higher_is_better: Mapping[str, bool] | None = None
) -> MultiRunReport:
    """The report over every run of a project, oldest first (refused when it has no runs yet).

    Reads by project rather than by run id: four queries however many runs (a 100,000-run report
    would otherwise look its runs up in hundreds of chunks)."""
    project = resolve_project(conn, project_name)
    r = schema.runs
    rows = [
        RunRow(*row)
        for row in conn.execute(
            select(r.c.id, r.c.ref, r.c.name, r.c.project_id, r.c.started_at, r.c.status)
            .where(r.c.project_id == project.id)
            .order_by(r.c.started_at, r.c.id)
        )
    ]
    if not rows:
        raise QueryError(
            f"project `{project.name}` has no runs yet, so there is nothing to report",
            code="nothing_to_report",
            details={"project": project.name},
        )
    return _report(conn, rows, higher_is_better, project_id=project.id)


def build_multi_run_report(
    conn: Connection, run_ids: Sequence[str], *, higher_is_better: Mapping[str, bool] | None = None
) -> MultiRunReport:
    """``higher_is_better`` says which way a metric is better where its name alone would not (a
    project's stored default, a `--lower-is-better` flag); other metrics go by their names."""
    rows = resolve_runs(conn, run_ids)
    return _report(conn, list({row.ref: row for row in rows}.values()), higher_is_better)


def _report(
    conn: Connection,
    unique: list[RunRow],
    higher_is_better: Mapping[str, bool] | None,
    *,
    project_id: int | None = None,
) -> MultiRunReport:
    """The report over ``unique`` runs: every run of project ``project_id`` when given, which lets
    each read select by project instead of by run id."""
    directions = higher_is_better or {}

    def lower(metric: str) -> bool:
        return not directions[metric] if metric in directions else lower_is_better(metric)

    def rows_of(stmt, run_column, project_column) -> list[Any]:
        if project_id is not None:
            return conn.execute(stmt.where(project_column == project_id)).all()
        return fetch_in(conn, stmt, run_column, ids)

    ids = [row.id for row in unique]
    index_of = {row.id: i for i, row in enumerate(unique)}

    s = schema.metric_summaries
    values: dict[tuple[str, str], list[float | None]] = {}
    for row in rows_of(
        select(s.c.run_id, s.c.stage_name, s.c.metric_key, s.c.latest_value), s.c.run_id, s.c.project_id
    ):
        key = (row.stage_name, row.metric_key)
        column = values.get(key)
        if column is None:  # not setdefault: its default, a list as long as the report, is built per row
            column = values[key] = [None] * len(unique)
        column[index_of[row.run_id]] = row.latest_value
    columns = []
    for (stage, metric), column_values in sorted(values.items()):
        present = [(v, i) for i, v in enumerate(column_values) if v is not None]
        higher = not lower(metric)
        sign = -1 if higher else 1
        best = min(present, key=lambda p: (sign * p[0], p[1]))[1] if present else None
        columns.append(MetricColumn(stage or None, metric, tuple(column_values), best, higher))

    d = schema.deployments
    deployed: dict[int, list[str]] = defaultdict(list)
    deployments = []
    for row in rows_of(
        select(d.c.run_id, d.c.name, d.c.started_at, d.c.status)
        .where(d.c.run_id.is_not(None))
        .order_by(d.c.started_at),
        d.c.run_id,
        d.c.project_id,
    ):
        deployed[row.run_id].append(row.name)
        deployments.append(ReportDeployment(row.name, index_of[row.run_id], row.started_at, row.status))

    table = ReportTable(
        run_ids=tuple(row.ref for row in unique),
        run_names=tuple(row.name for row in unique),
        run_statuses=tuple(row.status for row in unique),
        run_started=tuple(row.started_at for row in unique),
        columns=tuple(columns),
        deployed=tuple(tuple(deployed.get(row.id, ())) for row in unique),
    )
    empty_stages = _stages_without_records(conn, ids, project_id)
    return MultiRunReport(table, tuple(deployments), tuple(sorted(empty_stages.items())))


def _stages_without_records(conn: Connection, run_ids: list[int], project_id: int | None) -> dict[str, int]:
    st, rec = schema.stages, schema.records
    stmt = (
        select(st.c.stage_name, func.count())
        .where(~exists().where(rec.c.stage_id == st.c.id))
        .group_by(st.c.stage_name)
    )
    if project_id is not None:
        r = schema.runs
        joined = stmt.join(r, r.c.id == st.c.run_id).where(r.c.project_id == project_id)
        return dict(conn.execute(joined).all())
    counts: dict[str, int] = defaultdict(int)
    for part_start in range(0, len(run_ids), 500):
        part = run_ids[part_start : part_start + 500]
        for name, count in conn.execute(stmt.where(st.c.run_id.in_(part))):
            counts[name] += count
    return dict(counts)
