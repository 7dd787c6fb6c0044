"""Listing projects, runs and deployments (oldest first: the order a project's history happened)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from ..contract import LIFECYCLE_STATUSES
from ..errors import QueryError
from ..results import DeploymentRecord, ProjectRecord, RunRecord
from ..store import schema
from .lookup import resolve_project


def list_project_records(conn: Connection) -> tuple[ProjectRecord, ...]:
    p, r = schema.projects, schema.runs
    counts = (
        select(r.c.project_id, func.count().label("n"), func.max(r.c.started_at).label("last"))
        .group_by(r.c.project_id)
        .subquery()
    )
    stmt = (
        select(p.c.ref, p.c.name, p.c.description, p.c.created_at, counts.c.n, counts.c.last)
        .outerjoin(counts, counts.c.project_id == p.c.id)
        .order_by(p.c.name)
    )
    return tuple(
        ProjectRecord(row.ref, row.name, row.description, row.created_at, row.n or 0, row.last)
        for row in conn.execute(stmt)
    )


def list_runs(
    conn: Connection,
    project_name: str | None = None,
    *,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[RunRecord, ...]:
    if status is not None and status not in LIFECYCLE_STATUSES:
        raise QueryError(
            f"status {status!r} is not one of {', '.join(LIFECYCLE_STATUSES)}",
            code="unknown_status",
            details={"status": str(status), "allowed": list(LIFECYCLE_STATUSES)},
        )
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise QueryError(
            f"limit must be a positive whole number, got {limit!r}",
            code="invalid_limit",
            details={"value": repr(limit)},
        )
    if not isinstance(offset, int) or offset < 0:
        raise QueryError(
            f"offset must be zero or a positive whole number, got {offset!r}",
            code="invalid_offset",
            details={"value": repr(offset)},
        )
    r, p = schema.runs, schema.projects
    stmt = select(
        r.c.ref,
        p.c.name.label("project_name"),
        r.c.name,
        r.c.status,
        r.c.started_at,
        r.c.ended_at,
        r.c.description,
    )
    stmt = stmt.join(p, p.c.id == r.c.project_id)
    filters = []
    if project_name is not None:
        filters.append(r.c.project_id == resolve_project(conn, project_name).id)
    if status is not None:
        filters.append(r.c.status == status)
    stmt = stmt.where(*filters)
    if project_name is not None and (limit is not None or offset):
        return _page(conn, stmt, r, filters, limit, offset)
    # as the original: runs started at the same moment in ref order; every project in ref order
    stmt = (
        stmt.order_by(p.c.ref, r.c.started_at, r.c.ref)
        if project_name is None
        else stmt.order_by(r.c.started_at, r.c.ref)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return tuple(RunRecord(*row) for row in conn.execute(stmt))


def _page(conn: Connection, stmt, r, filters: list, limit: int | None, offset: int) -> tuple[RunRecord, ...]:
    """One page of a project's runs in (started_at, ref) order, read through the start-time index.

    The index orders runs started at the same moment by id, not ref, and sorting a deep page by
    ref would read every run before it (8x slower at offset 50,000). So: the page's first and last
    start times come from the index (as a plain OFFSET would), every run started between them is
    read and ordered by ref, and the page is cut from those; runs tied with the page's first start
    time but before it in id order are counted (an index seek) to know where the page begins.
    ``r`` is the runs table ``stmt`` reads."""
    times = select(r.c.started_at, r.c.id).where(*filters).order_by(r.c.started_at, r.c.id).offset(offset)
    bounds = conn.execute(times.limit(limit) if limit is not None else times.limit(1)).all()
    if not bounds:
        return ()
    (first, first_id), last = bounds[0], bounds[-1].started_at
    tied_before = conn.execute(
        select(func.count()).where(*filters, r.c.started_at == first, r.c.id < first_id)
    ).scalar_one()
    window = stmt.where(r.c.started_at >= first)
    if limit is not None:
        window = window.where(r.c.started_at <= last)
    rows = conn.execute(window.order_by(r.c.started_at, r.c.ref)).all()
    rows = rows[tied_before : tied_before + limit if limit is not None else None]
    return tuple(RunRecord(*row) for row in rows)


def count_runs(conn: Connection, project_name: str, *, status: str | None = None) -> int:
    project = resolve_project(conn, project_name)
    stmt = select(func.count()).select_from(schema.runs).where(schema.runs.c.project_id == project.id)
    if status is not None:
        stmt = stmt.where(schema.runs.c.status == status)
    return conn.execute(stmt).scalar_one()


def list_deployments(
    conn: Connection,
    project_name: str | None = None,
    run_id: str | None = None,
    *,
    deployment_id: str | None = None,
) -> tuple[DeploymentRecord, ...]:
    d, p, r = schema.deployments, schema.projects, schema.runs
    stmt = (
        select(
            d.c.ref,
            p.c.name.label("project_name"),
            d.c.name,
            d.c.status,
            r.c.ref.label("run_ref"),
            r.c.name.label("run_name"),
            d.c.started_at,
            d.c.ended_at,
            d.c.order_index,
            d.c.environment,
        )
        .join(p, p.c.id == d.c.project_id)
        .outerjoin(r, r.c.id == d.c.run_id)
    )
    if project_name is not None:
        stmt = stmt.where(d.c.project_id == resolve_project(conn, project_name).id)
    if run_id is not None:
        from .lookup import resolve_runs

        stmt = stmt.where(d.c.run_id == resolve_runs(conn, [run_id])[0].id)
    if deployment_id is not None:
        stmt = stmt.where(d.c.ref == deployment_id)
    stmt = stmt.order_by(d.c.project_id, d.c.started_at, d.c.order_index, d.c.id)
    return tuple(DeploymentRecord(*row) for row in conn.execute(stmt))
