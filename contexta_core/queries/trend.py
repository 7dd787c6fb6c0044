"""A metric over time: one point per run that recorded it, in run start order, every run.

``stage_name=None`` picks where the metric lives: run level if recorded there, else its only
stage; a metric recorded in several stages needs the stage named (the error lists them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from ..errors import UnknownMetricError
from ..results import MetricTrend, TrendPoint
from ..store import schema as t
from ..store.sql import raw_rows
from .best import _stage_key, _value_column, check_metric_exists
from .lookup import resolve_project

MISSING_NAMES_SHOWN = 10


def time_parser(conn: Connection) -> Callable[[Any], datetime]:
    """Driver values of a UTCDateTime column (SQLite text, PostgreSQL naive datetimes) → aware UTC."""
    if conn.dialect.name == "sqlite":
        return lambda text: datetime.fromisoformat(text + "+00:00")  # 7x faster than parse + replace()
    return lambda value: value.replace(tzinfo=UTC)


def locate_metric(conn: Connection, project_id: int, metric_key: str, stage_name: str | None) -> str | None:
    """The stage to read ``metric_key`` from when the caller did not name one."""
    if stage_name is not None:
        return stage_name
    s = t.metric_summaries
    stages = sorted(
        conn.execute(
            select(s.c.stage_name)
            .where(s.c.project_id == project_id, s.c.metric_key == metric_key)
            .distinct()
        ).scalars()
    )
    if not stages or t.RUN_LEVEL in stages:
        return None
    if len(stages) == 1:
        return stages[0]
    raise UnknownMetricError(
        f"metric `{metric_key}` is recorded in several stages ({', '.join(f'`{st}`' for st in stages)}); "
        "name the stage",
        suggestions=stages,
    )


def get_metric_trend(
    conn: Connection,
    metric_key: str,
    *,
    project_name: str,
    stage_name: str | None = None,
    aggregation: str = "latest",
) -> MetricTrend:
    project = resolve_project(conn, project_name)
    stage_name = locate_metric(conn, project.id, metric_key, stage_name)
    column = _value_column(aggregation)
    r, s, d = t.runs, t.metric_summaries, t.deployments
    runs = raw_rows(
        conn,
        select(r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at)
        .where(r.c.project_id == project.id)
        .order_by(r.c.started_at, r.c.id),
    )
    values = dict(
        raw_rows(  # (run id, value): read from the covering best-run index alone
            conn,
            select(s.c.run_id, column).where(
                s.c.project_id == project.id,
                s.c.metric_key == metric_key,
                s.c.stage_name == _stage_key(stage_name),
            ),
        )
    )
    deployed: dict[int, list[str]] = defaultdict(list)
    for run_id, name in conn.execute(
        select(d.c.run_id, d.c.name)
        .where(d.c.project_id == project.id, d.c.run_id.is_not(None))
        .order_by(d.c.started_at)
    ):
        deployed[run_id].append(name)
    deployed_names = {run_id: tuple(names) for run_id, names in deployed.items()}
    as_time = time_parser(conn)
    points = []
    missing: list[str] = []
    missing_count = 0
    for run_id, ref, name, status, started in runs:  # the hot loop of a 100,000-run trend
        value = values.get(run_id)
        if value is None:
            missing_count += 1
            if len(missing) < MISSING_NAMES_SHOWN:
                missing.append(name)
            continue
        points.append(
            TrendPoint(ref, name, value, as_time(started), status, stage_name, deployed_names.get(run_id, ()))
        )
    if not points and runs:
        check_metric_exists(conn, [project.id], metric_key, stage_name)
    notes = ()
    if missing_count:
        shown = ", ".join(missing) + (
            f" and {missing_count - len(missing)} more" if missing_count > len(missing) else ""
        )
        where = f"{stage_name}/" if stage_name else ""
        notes = (f"{missing_count} run(s) have no {where}{metric_key}: {shown}",)
    return MetricTrend(
        metric_key=metric_key,
        project_name=project.name,
        stage_name=stage_name,
        aggregation=aggregation,
        points=tuple(points),
        missing_run_count=missing_count,
        missing_run_names=tuple(missing),
        completeness_notes=notes,
    )
