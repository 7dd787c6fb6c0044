"""What one alert message tells: the changes of its events, judged by the project's primary metric.

* **new best**: of the completed runs in the message, the best by the watch's metric (``--metric``,
  else the project's primary metric with its direction, as every answer resolves it), if it beats
  every other run of the project but those that completed after the message's own (their events
  come later; they are judged in their turn): its value, the margin, the previous best, and whether
  it is live;
* **deployments** that went live: which run, its value, and the deployment it replaces (the
  previous live one in the same environment) with that one's value;
* **regressions**: such a deployment whose run is worse than the one it replaces;
* **failures**: each failed run with its last error event.

``new_runs`` counts every completed run the message rolls up ("50 new runs; new best: …").
Runs and deployments are read as they are now, so a message never tells of a deleted run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, or_, select

from ..errors import ContextaError
from ..queries.best import metric_values, stage_key, value_column
from ..queries.changes import ERROR_LEVELS  # the one rule of which events are errors (news uses it too)
from ..results import MetricScope
from ..store import schema
from ..store.outbox import DEPLOYMENT, LIVE, RUN_COMPLETED, RUN_FAILED
from .dispatch import event_ids
from .watches import DEPLOYMENTS, FAILURES, NEW_BEST, REGRESSIONS, Watch

MAX_LISTED = 5  # failures and deployments named in one message; the rest are counted

ScopeOf = Callable[[str, str | None], MetricScope]


@dataclass(frozen=True, slots=True)
class AlertRun:
    run_id: str
    name: str
    value: float | None = None
    started_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewBest:
    run: AlertRun
    value: float
    previous: AlertRun | None  # the best before it (None: the first run with the metric)
    live: AlertRun | None  # the live deployment's run (with its value), if any

    @property
    def margin(self) -> float | None:
        if self.previous is None or self.previous.value is None:
            return None
        return abs(self.value - self.previous.value)

    @property
    def is_live(self) -> bool:
        return self.live is not None and self.live.run_id == self.run.run_id


@dataclass(frozen=True, slots=True)
class AlertDeployment:
    deployment_id: str
    name: str
    environment: str
    started_at: datetime
    run: AlertRun | None
    replaces: AlertDeployment | None = None

    @property
    def regression(self) -> bool | None:
        """Worse than the deployment it replaces (None when either value is unknown)."""
        return None if self.replaces is None else self._worse

    _worse: bool | None = None


@dataclass(frozen=True, slots=True)
class AlertFailure:
    run: AlertRun
    error: str | None  # the message of its last error event (or last event)
    error_key: str | None


@dataclass(frozen=True, slots=True)
class AlertSummary:
    project_name: str
    kinds: tuple[str, ...]
    metric_key: str | None
    stage_name: str | None
    higher_is_better: bool
    new_runs: int
    new_best: NewBest | None
    deployments: tuple[AlertDeployment, ...]
    deployment_count: int
    failures: tuple[AlertFailure, ...]
    failure_count: int

    @property
    def regressions(self) -> tuple[AlertDeployment, ...]:
        return tuple(dep for dep in self.deployments if dep.regression)

    @property
    def worth_telling(self) -> bool:
        return bool(self.new_best or self.deployments or self.failures)


def alert_summary(conn: Connection, watch: Watch, delivery_id: int, scope_of: ScopeOf) -> AlertSummary | None:
    """The message of ``delivery_id`` for ``watch``; None when its project is gone."""
    e, p = schema.alert_events, schema.projects
    project = conn.execute(select(p.c.id, p.c.name).where(p.c.ref == watch.project_ref)).first()
    if project is None:
        return None
    ids = event_ids(conn, delivery_id)
    events = (
        conn.execute(select(e.c.kind, e.c.run_id, e.c.deployment_id).where(e.c.id.in_(ids))).all()
        if ids
        else []
    )
    completed = list(dict.fromkeys(ev.run_id for ev in events if ev.kind == RUN_COMPLETED and ev.run_id))
    failed = list(dict.fromkeys(ev.run_id for ev in events if ev.kind == RUN_FAILED and ev.run_id))
    deployed = list(
        dict.fromkeys(ev.deployment_id for ev in events if ev.kind == DEPLOYMENT and ev.deployment_id)
    )
    completed = _still_with_status(conn, completed, "completed")
    failed = _still_with_status(conn, failed, "failed")
    scope = _scope(scope_of, project.name, watch.metric_key)
    new_best = None
    if watch.wants(NEW_BEST) and completed and scope is not None:
        later = set(
            conn.execute(
                select(e.c.run_id).where(
                    e.c.project_id == project.id, e.c.id > max(ids), e.c.run_id.is_not(None)
                )
            ).scalars()
        )
        new_best = _new_best(conn, project.id, completed, scope, later)
    deployments: list[AlertDeployment] = []
    if deployed and (watch.wants(DEPLOYMENTS) or watch.wants(REGRESSIONS)):
        for dep_id in deployed:
            found = _deployment(conn, project.id, dep_id, scope)
            if found is None:
                continue
            if watch.wants(DEPLOYMENTS) or found.regression:
                deployments.append(found)
    failures = [_failure(conn, run_id) for run_id in failed[-MAX_LISTED:]] if watch.wants(FAILURES) else []
    return AlertSummary(
        project_name=project.name,
        kinds=watch.kinds,
        metric_key=scope.metric_key if scope else watch.metric_key,
        stage_name=scope.stage_name if scope else None,
        higher_is_better=scope.higher_is_better if scope else True,
        new_runs=len(completed) if watch.wants(NEW_BEST) else 0,
        new_best=new_best,
        deployments=tuple(deployments[-MAX_LISTED:]),
        deployment_count=len(deployments),
        failures=tuple(failures),
        failure_count=len(failed) if watch.wants(FAILURES) else 0,
    )


def _scope(scope_of: ScopeOf, project: str, metric: str | None) -> MetricScope | None:
    try:
        return scope_of(project, metric)
    except ContextaError:  # nothing records the metric yet: no best to judge by
        return None


def _still_with_status(conn: Connection, run_ids: list[int], status: str) -> list[int]:
    """The runs that still exist with ``status``, in start order (a run may have been deleted)."""
    if not run_ids:
        return []
    r = schema.runs
    return list(
        conn.execute(
            select(r.c.id).where(r.c.id.in_(run_ids), r.c.status == status).order_by(r.c.started_at, r.c.id)
        ).scalars()
    )


def _run(conn: Connection, run_id: int, value: float | None = None) -> AlertRun:
    r = schema.runs
    row = conn.execute(select(r.c.ref, r.c.name, r.c.started_at).where(r.c.id == run_id)).one()
    return AlertRun(row.ref, row.name, value, row.started_at)


def _value(conn: Connection, run_id: int | None, scope: MetricScope | None) -> float | None:
    if run_id is None or scope is None:
        return None
    return metric_values(conn, [run_id], scope.metric_key, scope.stage_name, scope.aggregation).get(run_id)


def _better(a: float, b: float, higher: bool) -> bool:
    return a > b if higher else a < b


def _new_best(
    conn: Connection, project_id: int, run_ids: list[int], scope: MetricScope, later: set[int]
) -> NewBest | None:
    """The best of ``run_ids`` if it beats every other run of the project but ``later`` ones."""
    values = metric_values(conn, run_ids, scope.metric_key, scope.stage_name, scope.aggregation)
    if not values:
        return None
    higher = scope.higher_is_better
    candidate = None
    for run_id in run_ids:  # start order: a tie goes to the earlier run
        if run_id in values and (candidate is None or _better(values[run_id], values[candidate], higher)):
            candidate = run_id
    top = values[candidate]
    previous = _best_other(conn, project_id, set(run_ids) | later, scope)
    if previous is not None and not _better(top, previous[1], higher):
        return None
    live_run = _live_run_id(conn, project_id)
    live = _run(conn, live_run, _value(conn, live_run, scope)) if live_run is not None else None
    return NewBest(
        run=_run(conn, candidate, top),
        value=top,
        previous=_run(conn, previous[0], previous[1]) if previous else None,
        live=live,
    )


def _best_other(
    conn: Connection, project_id: int, excluded: set[int], scope: MetricScope
) -> tuple[int, float] | None:
    """The best run of the project outside ``excluded``: an ordered index read of at most
    ``len(excluded) + 1`` rows."""
    s = schema.metric_summaries
    column = value_column(scope.aggregation)
    order = column.desc() if scope.higher_is_better else column.asc()
    stmt = (
        select(s.c.run_id, column.label("value"))
        .where(
            s.c.project_id == project_id,
            s.c.metric_key == scope.metric_key,
            s.c.stage_name == stage_key(scope.stage_name),
        )
        .order_by(order, s.c.run_started_at, s.c.run_id)
        .limit(len(excluded) + 1)
    )
    for row in conn.execute(stmt):
        if row.run_id not in excluded:
            return row.run_id, row.value
    return None


def _live_run_id(conn: Connection, project_id: int) -> int | None:
    d = schema.deployments
    return conn.execute(
        select(d.c.run_id)
        .where(d.c.project_id == project_id, d.c.status == LIVE)
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(1)
    ).scalar()


def _deployment(
    conn: Connection, project_id: int, deployment_id: int, scope: MetricScope | None
) -> AlertDeployment | None:
    d = schema.deployments
    row = conn.execute(select(d).where(d.c.id == deployment_id, d.c.status == LIVE)).first()
    if row is None:
        return None
    before = conn.execute(
        select(d)
        .where(
            d.c.project_id == project_id,
            d.c.environment == row.environment,
            d.c.status == LIVE,
            d.c.id != row.id,
            or_(d.c.started_at < row.started_at, and_(d.c.started_at == row.started_at, d.c.id < row.id)),
        )
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(1)
    ).first()
    replaces = _plain_deployment(conn, before, scope) if before is not None else None
    made = _plain_deployment(conn, row, scope)
    worse = None
    new_value = made.run.value if made.run else None
    old_value = replaces.run.value if replaces and replaces.run else None
    if new_value is not None and old_value is not None and scope is not None:
        worse = _better(old_value, new_value, scope.higher_is_better)
    return AlertDeployment(
        made.deployment_id, made.name, made.environment, made.started_at, made.run, replaces, worse
    )


def _plain_deployment(conn: Connection, row, scope: MetricScope | None) -> AlertDeployment:
    run = _run(conn, row.run_id, _value(conn, row.run_id, scope)) if row.run_id is not None else None
    return AlertDeployment(row.ref, row.name, row.environment, row.started_at, run)


def _failure(conn: Connection, run_id: int) -> AlertFailure:
    rec = schema.records
    base = select(rec.c.key, rec.c.message).where(rec.c.run_id == run_id, rec.c.record_type == "event")
    # Only an error-level event is "the last error": an info line ("epoch 3 done") would mislead,
    # so without one the message says no error event was recorded (as news does).
    row = conn.execute(base.where(rec.c.level.in_(ERROR_LEVELS)).order_by(rec.c.id.desc()).limit(1)).first()
    return AlertFailure(_run(conn, run_id), row.message if row else None, row.key if row else None)
