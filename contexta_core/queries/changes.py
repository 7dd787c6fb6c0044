"""What changed in one project between two moments: runs started and finished, failures (with
their last error event), deployments, and whether the project got a new best run.

Every read is an indexed range: runs by start time (``ix_runs_project_started``) and by end time
(``ix_runs_project_ended``), deployments by start time, a failed run's events by
``ix_records_run_type``, the best run by ``ix_summaries_latest``. Lists are bounded (one page of
``limit`` items, newest first); counts cover the whole period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from ..errors import QueryError
from ..results import BestRun, DeploymentRecord, MetricScope
from ..store import schema
from .best import stage_key, value_column
from .lookup import resolve_project

ERROR_LEVELS = ("error", "critical")


@dataclass(frozen=True, slots=True)
class ChangedRun:
    """A run that started or finished in the period (its state now)."""

    run_id: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    value: float | None = None  # the project's primary metric, when the run recorded it
    last_error: str | None = None  # a failed run: the message of its last error event
    last_error_at: datetime | None = None

    @property
    def changed_at(self) -> datetime:
        return self.ended_at or self.started_at


@dataclass(frozen=True, slots=True)
class NewBest:
    """The project's best run now is one of the period's runs, and it beats every run before."""

    run_id: str
    run_name: str
    value: float
    previous_run_id: str | None  # None: no earlier run had the metric
    previous_run_name: str | None
    previous_value: float | None
    is_live: bool  # it is what the latest completed deployment serves

    @property
    def margin(self) -> float | None:
        return None if self.previous_value is None else abs(self.value - self.previous_value)


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    """What happened in ``project`` in [since, until). ``page`` is 1-based: each list holds its
    ``page``-th slice of ``limit`` items, newest first."""

    project: str
    since: datetime
    until: datetime
    scope: MetricScope | None  # None: the project records no primary metric yet
    started_count: int
    completed_count: int
    failed_count: int
    changed_count: int  # runs started or finished in the period
    runs: tuple[ChangedRun, ...]
    failed_runs: tuple[ChangedRun, ...]
    deployment_count: int
    failed_deployment_count: int
    deployments: tuple[DeploymentRecord, ...]
    new_best: NewBest | None
    page: int = 1
    limit: int = 5

    @property
    def nothing_new(self) -> bool:
        return self.changed_count == 0 and self.deployment_count == 0

    @property
    def has_more(self) -> bool:
        shown = self.page * self.limit
        return shown < max(self.changed_count, self.failed_count, self.deployment_count)


def project_changes(
    conn: Connection,
    project_name: str,
    since: datetime,
    until: datetime,
    *,
    scope: MetricScope | None = None,
    best: BestRun | None = None,
    page: int = 1,
    limit: int = 5,
) -> ProjectChanges:
    """What changed in ``project_name`` in [since, until). ``scope`` is the project's primary metric
    (``Contexta.resolve_scope``) and ``best`` its best run now, when it has one."""
    for moment in (since, until):
        if moment.tzinfo is None:
            raise QueryError(
                "times must be timezone-aware", code="naive_time", details={"value": str(moment)}
            )
    if since > until:
        raise QueryError(
            "the period must not end before it starts",
            code="news_period_reversed",
            details={"since": since.isoformat(), "until": until.isoformat()},
        )
    project = resolve_project(conn, project_name)
    r, d = schema.runs, schema.deployments
    offset = (max(1, page) - 1) * limit
    started = and_(r.c.project_id == project.id, r.c.started_at >= since, r.c.started_at < until)
    ended = and_(r.c.project_id == project.id, r.c.ended_at >= since, r.c.ended_at < until)

    started_count = _count(conn, select(func.count()).select_from(r).where(started))
    ended_by_status = dict(
        conn.execute(select(r.c.status, func.count()).where(ended).group_by(r.c.status)).all()
    )
    ended_only = _count(conn, select(func.count()).select_from(r).where(ended, r.c.started_at < since))

    columns = (r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at)
    window = offset + limit  # the page's rows are among the newest `window` of either range
    by_start = conn.execute(
        select(*columns).where(started).order_by(r.c.started_at.desc(), r.c.id.desc()).limit(window)
    ).all()
    by_end = conn.execute(
        select(*columns).where(ended).order_by(r.c.ended_at.desc(), r.c.id.desc()).limit(window)
    ).all()
    touched = {row.id: row for row in [*by_start, *by_end]}
    newest = sorted(touched.values(), key=lambda row: (row.ended_at or row.started_at, row.id), reverse=True)
    run_rows = newest[offset:window]
    failed_rows = conn.execute(
        select(*columns)
        .where(ended, r.c.status == "failed")
        .order_by(r.c.ended_at.desc(), r.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()

    in_period = and_(d.c.project_id == project.id, d.c.started_at >= since, d.c.started_at < until)
    deployment_counts = dict(
        conn.execute(select(d.c.status, func.count()).where(in_period).group_by(d.c.status)).all()
    )
    deployment_rows = conn.execute(
        select(d.c.ref, d.c.name, d.c.status, r.c.ref.label("run_ref"), r.c.name.label("run_name"))
        .add_columns(d.c.started_at, d.c.ended_at, d.c.order_index, d.c.environment)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(in_period)
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()

    values = _values(conn, scope, project.id, [row.id for row in [*run_rows, *failed_rows]])
    errors = _last_errors(conn, [row.id for row in failed_rows])
    changed = lambda row: _changed(row, values.get(row.id), errors.get(row.id))  # noqa: E731
    return ProjectChanges(
        project=project.name,
        since=since,
        until=until,
        scope=scope,
        started_count=started_count,
        completed_count=ended_by_status.get("completed", 0),
        failed_count=ended_by_status.get("failed", 0),
        changed_count=started_count + ended_only,
        runs=tuple(changed(row) for row in run_rows),
        failed_runs=tuple(changed(row) for row in failed_rows),
        deployment_count=sum(deployment_counts.values()),
        failed_deployment_count=deployment_counts.get("failed", 0),
        deployments=tuple(
            DeploymentRecord(
                deployment_id=row.ref,
                project_name=project.name,
                name=row.name,
                status=row.status,
                run_id=row.run_ref,
                run_name=row.run_name,
                started_at=row.started_at,
                ended_at=row.ended_at,
                order=row.order_index,
                environment=row.environment,
            )
            for row in deployment_rows
        ),
        new_best=_new_best(conn, project.id, scope, best, since, until) if scope and best else None,
        page=max(1, page),
        limit=limit,
    )


def _count(conn: Connection, stmt) -> int:
    return int(conn.execute(stmt).scalar_one())


def _changed(row, value: float | None, error: tuple[str, datetime] | None) -> ChangedRun:
    message, at = error if error else (None, None)
    return ChangedRun(row.ref, row.name, row.status, row.started_at, row.ended_at, value, message, at)


def _values(
    conn: Connection, scope: MetricScope | None, project_id: int, run_ids: list[int]
) -> dict[int, float]:
    if scope is None or not run_ids:
        return {}
    s = schema.metric_summaries
    column = value_column(scope.aggregation)
    rows = conn.execute(
        select(s.c.run_id, column.label("value")).where(
            s.c.run_id.in_(set(run_ids)),
            s.c.metric_key == scope.metric_key,
            s.c.stage_name == stage_key(scope.stage_name),
        )
    )
    return {row.run_id: row.value for row in rows}


def _last_errors(conn: Connection, run_ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """Each run's last error (or critical) event: one backward index seek per failed run shown."""
    rec = schema.records
    found: dict[int, tuple[str, datetime]] = {}
    for run_id in dict.fromkeys(run_ids):
        row = conn.execute(
            select(rec.c.key, rec.c.message, rec.c.observed_at)
            .where(rec.c.run_id == run_id, rec.c.record_type == "event", rec.c.level.in_(ERROR_LEVELS))
            .order_by(rec.c.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            found[run_id] = (row.message or row.key, row.observed_at)
    return found


def _new_best(
    conn: Connection, project_id: int, scope: MetricScope, best: BestRun, since: datetime, until: datetime
) -> NewBest | None:
    """``best`` when it started or finished in the period and beats every run from before it."""
    r, s, d = schema.runs, schema.metric_summaries, schema.deployments
    run = conn.execute(select(r.c.id, r.c.started_at, r.c.ended_at).where(r.c.ref == best.run_id)).first()
    if run is None:
        return None
    moment = run.ended_at if run.ended_at is not None and run.ended_at >= since else run.started_at
    if not since <= moment < until:
        return None
    column = value_column(scope.aggregation)
    order = column.desc() if scope.higher_is_better else column.asc()
    before = and_(r.c.started_at < since, or_(r.c.ended_at.is_(None), r.c.ended_at < since))
    previous = conn.execute(
        select(r.c.ref, r.c.name, column.label("value"))
        .join(r, r.c.id == s.c.run_id)
        .where(
            s.c.project_id == project_id,
            s.c.metric_key == scope.metric_key,
            s.c.stage_name == stage_key(scope.stage_name),
            before,
        )
        .order_by(order, r.c.started_at, r.c.id)
        .limit(1)
    ).first()
    if previous is not None:
        better = best.value > previous.value if scope.higher_is_better else best.value < previous.value
        if not better:
            return None
    live = conn.execute(
        select(r.c.ref)
        .select_from(d)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(d.c.project_id == project_id, d.c.status == "completed", d.c.started_at < until)
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(1)
    ).scalar()
    return NewBest(
        run_id=best.run_id,
        run_name=best.run_name,
        value=best.value,
        previous_run_id=previous.ref if previous else None,
        previous_run_name=previous.name if previous else None,
        previous_value=previous.value if previous else None,
        is_live=live == best.run_id,
    )
