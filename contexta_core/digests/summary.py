"""The digest's content: what happened in a project between two times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from ..errors import NotFoundError, QueryError
from ..queries.best import stage_key
from ..queries.lookup import resolve_project
from ..queries.onboarding import get_project_defaults
from ..queries.trend import locate_metric
from ..results import DeploymentRecord
from ..store import schema
from .schedule import require_aware


@dataclass(frozen=True, slots=True)
class DigestRun:
    run_id: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    value: float | None = None  # the primary metric, when the run recorded it


@dataclass(frozen=True, slots=True)
class DigestSummary:
    """What happened in one project between ``since`` (inclusive) and ``until`` (exclusive).

    Run lists are bounded (``runs``: the latest ``max_runs`` of the period, oldest first;
    ``failed_runs``: the latest failed ones); counts and metric values cover every run. "Best" is
    each run's latest value of the project's primary metric, ties going to the earlier run, and
    "so far" means among runs started before the moment named.
    """

    project_name: str
    since: datetime
    until: datetime
    run_count: int
    status_counts: dict[str, int]
    runs: tuple[DigestRun, ...]
    failed_count: int
    failed_runs: tuple[DigestRun, ...]
    metric_key: str | None
    stage_name: str | None
    higher_is_better: bool
    values: tuple[float, ...]  # the period's runs that have the metric, in start order
    period_best: DigestRun | None  # best run started in the period
    best_at_start: float | None  # best so far when the period began
    best_at_start_run: DigestRun | None
    best_now: float | None  # best so far at ``until``
    best_now_run: DigestRun | None
    new_deployment_count: int
    new_deployments: tuple[DeploymentRecord, ...]
    live: DeploymentRecord | None  # the latest completed deployment started before ``until``
    live_value: float | None
    live_is_best: bool | None  # None when there is no live run or no metric to judge by
    missing_metric: str | None = None  # the project's metric, when runs came but none recorded it

    @property
    def nothing_new(self) -> bool:
        return self.run_count == 0 and self.new_deployment_count == 0

    @property
    def new_best(self) -> bool:
        """A run of this period beat everything before it."""
        if self.best_now is None or self.period_best is None:
            return False
        if self.best_at_start is None:
            return True
        return (
            self.best_now > self.best_at_start
            if self.higher_is_better
            else self.best_now < self.best_at_start
        )

    @property
    def best_change(self) -> float | None:
        """best_now − best_at_start (None unless both exist)."""
        if self.best_now is None or self.best_at_start is None:
            return None
        return self.best_now - self.best_at_start


def digest_summary(
    conn: Connection,
    project: str,
    since: datetime,
    until: datetime,
    *,
    max_runs: int = 20,
    max_deployments: int = 10,
) -> DigestSummary:
    """The digest of ``project`` for [since, until): new runs, metric movement, deployments, live run."""
    require_aware(since)
    require_aware(until)
    if since > until:
        raise QueryError("a digest period must not end before it starts", code="digest_period_reversed")
    return _summary(conn, project, since, until, max_runs, max_deployments)


def _summary(
    conn: Connection, project_name: str, since: datetime, until: datetime, max_runs: int, max_deps: int
) -> DigestSummary:
    project = resolve_project(conn, project_name)
    defaults = get_project_defaults(conn, project.name)
    r, s, d = schema.runs, schema.metric_summaries, schema.deployments
    in_period = and_(r.c.project_id == project.id, r.c.started_at >= since, r.c.started_at < until)
    status_counts = dict(
        conn.execute(select(r.c.status, func.count()).where(in_period).group_by(r.c.status)).all()
    )
    run_count = sum(status_counts.values())
    columns = (r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at)
    latest = conn.execute(
        select(*columns).where(in_period).order_by(r.c.started_at.desc(), r.c.id.desc()).limit(max_runs)
    ).all()
    failed = conn.execute(
        select(*columns)
        .where(in_period, r.c.status == "failed")
        .order_by(r.c.started_at.desc(), r.c.id.desc())
        .limit(max_runs)
    ).all()

    higher = defaults.higher_is_better
    metric_key, stage = defaults.metric_key, _metric_stage(conn, project.id, defaults)
    missing_metric = None
    if stage is _MISSING:
        missing_metric = metric_key if run_count else None
        metric_key, stage = None, None
    values_by_run: dict[int, float] = {}
    values: tuple[float, ...] = ()
    period_best = best_at_start = best_now = best_at_start_run = best_now_run = None
    if metric_key is not None:
        scope = and_(
            s.c.project_id == project.id, s.c.metric_key == metric_key, s.c.stage_name == stage_key(stage)
        )
        period_rows = conn.execute(
            select(s.c.run_id, s.c.latest_value)
            .join(r, r.c.id == s.c.run_id)
            .where(scope, in_period)
            .order_by(r.c.started_at, r.c.id)
        ).all()
        values = tuple(row.latest_value for row in period_rows)
        values_by_run = {row.run_id: row.latest_value for row in period_rows}
        best_at_start, best_at_start_run = _best_before(conn, scope, since, higher)
        best_now, best_now_run = _best_before(conn, scope, until, higher)
        if period_rows:
            pick = max if higher else min
            top = pick(values)
            winner_id = next(row.run_id for row in period_rows if row.latest_value == top)
            period_best = _run(conn, winner_id, top)

    runs = tuple(_digest_run(row, values_by_run.get(row.id)) for row in reversed(latest))
    failed_runs = tuple(_digest_run(row, values_by_run.get(row.id)) for row in reversed(failed))

    deployment_columns = (
        d.c.ref,
        d.c.name,
        d.c.status,
        r.c.ref.label("run_ref"),
        r.c.name.label("run_name"),
        d.c.started_at,
        d.c.ended_at,
        d.c.order_index,
        d.c.environment,
        d.c.run_id,
    )
    new_deps_scope = and_(d.c.project_id == project.id, d.c.started_at >= since, d.c.started_at < until)
    new_count = conn.execute(select(func.count()).select_from(d).where(new_deps_scope)).scalar_one()
    new_rows = conn.execute(
        select(*deployment_columns)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(new_deps_scope)
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(max_deps)
    ).all()
    live_row = conn.execute(
        select(*deployment_columns)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(d.c.project_id == project.id, d.c.started_at < until, d.c.status == "completed")
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(1)
    ).first()
    live = _deployment(live_row, project.name) if live_row else None
    live_value = live_is_best = None
    if live_row is not None and live_row.run_id is not None and metric_key is not None:
        live_value = conn.execute(
            select(s.c.latest_value).where(
                s.c.run_id == live_row.run_id,
                s.c.metric_key == metric_key,
                s.c.stage_name == stage_key(stage),
            )
        ).scalar()
        if best_now_run is not None:
            live_is_best = live_row.run_ref == best_now_run.run_id or (
                live_value is not None and live_value == best_now
            )
    return DigestSummary(
        project_name=project.name,
        since=since,
        until=until,
        run_count=run_count,
        status_counts=status_counts,
        runs=runs,
        failed_count=status_counts.get("failed", 0),
        failed_runs=failed_runs,
        metric_key=metric_key,
        stage_name=stage,
        higher_is_better=higher,
        values=values,
        period_best=period_best,
        best_at_start=best_at_start,
        best_at_start_run=best_at_start_run,
        best_now=best_now,
        best_now_run=best_now_run,
        new_deployment_count=new_count,
        new_deployments=tuple(_deployment(row, project.name) for row in reversed(new_rows)),
        live=live,
        live_value=live_value,
        live_is_best=live_is_best,
        missing_metric=missing_metric,
    )


_MISSING = object()


def _metric_stage(conn: Connection, project_id: int, defaults) -> Any:
    """Where the primary metric is recorded: the project's stage, else wherever it is; or _MISSING."""
    s = schema.metric_summaries
    recorded = set(
        conn.execute(
            select(s.c.stage_name)
            .where(s.c.project_id == project_id, s.c.metric_key == defaults.metric_key)
            .distinct()
        ).scalars()
    )
    if not recorded:
        return _MISSING
    if stage_key(defaults.stage_name) in recorded:
        return defaults.stage_name
    try:
        return locate_metric(conn, project_id, defaults.metric_key, None)
    except NotFoundError:  # several stages and none is the project's: take the first by name
        return sorted(recorded)[0] or None


def _best_before(
    conn: Connection, scope, moment: datetime, higher: bool
) -> tuple[float | None, DigestRun | None]:
    s = schema.metric_summaries
    extreme = func.max if higher else func.min
    top = conn.execute(select(extreme(s.c.latest_value)).where(scope, s.c.run_started_at < moment)).scalar()
    if top is None:
        return None, None
    run_id = conn.execute(
        select(s.c.run_id)
        .where(scope, s.c.run_started_at < moment, s.c.latest_value == top)
        .order_by(s.c.run_started_at, s.c.run_id)
        .limit(1)
    ).scalar_one()
    return top, _run(conn, run_id, top)


def _run(conn: Connection, run_id: int, value: float | None) -> DigestRun:
    r = schema.runs
    row = conn.execute(
        select(r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at).where(r.c.id == run_id)
    ).one()
    return _digest_run(row, value)


def _digest_run(row: Any, value: float | None) -> DigestRun:
    return DigestRun(row.ref, row.name, row.status, row.started_at, row.ended_at, value)


def _deployment(row: Any, project_name: str) -> DeploymentRecord:
    return DeploymentRecord(
        row.ref,
        project_name,
        row.name,
        row.status,
        row.run_ref,
        row.run_name,
        row.started_at,
        row.ended_at,
        row.order_index,
        row.environment,
    )
