"""Best-run selection from the per-(run, stage, metric) summaries.

Semantics (kept from the original library where it was sound): per run the metric's value in the
stage is its latest observation (a later append wins on equal times) or max/min/mean when asked;
runs without the metric are skipped; ties go to the first run in the order given (for the
project-scoped form: the earliest run). ``stage_name=None`` means run-level metrics. Unlike the
original, an unknown metric or stage raises an error listing what exists, and cost is linear in
the runs asked about (logarithmic for the project-scoped form) instead of quadratic.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, func, select

from ..errors import QueryError, UnknownMetricError, UnknownStageError, hint_tail, name_hints
from ..results import BestRun
from ..store import schema
from ..store.sql import fetch_in, raw_rows
from .lookup import LARGE_SELECTION, ProjectRow, resolve_project, resolve_run_ids

AGGREGATIONS = ("latest", "max", "min", "mean")


def value_column(aggregation: str):
    """The metric_summaries column (or expression) holding each run's value under ``aggregation``."""
    s = schema.metric_summaries
    if aggregation not in AGGREGATIONS:
        raise QueryError(
            f"aggregation {aggregation!r} is not one of {', '.join(AGGREGATIONS)}",
            code="unknown_aggregation",
            details={"aggregation": str(aggregation), "allowed": list(AGGREGATIONS)},
        )
    return {
        "latest": s.c.latest_value,
        "max": s.c.max_value,
        "min": s.c.min_value,
        "mean": (s.c.value_sum / s.c.value_count),
    }[aggregation]


def stage_key(stage_name: str | None) -> str:
    """How a stage is stored in metric_summaries: run-level metrics under a sentinel, not NULL."""
    return schema.RUN_LEVEL if stage_name is None else stage_name


def metric_values(
    conn: Connection,
    run_ids: Sequence[int],
    metric_key: str,
    stage_name: str | None,
    aggregation: str,
    *,
    project_ids: Sequence[int] = (),
) -> dict[int, float]:
    """run id → the metric's value in the stage, for the runs that have it."""
    s = schema.metric_summaries
    column = value_column(aggregation)
    base = select(s.c.run_id, column.label("value")).where(
        s.c.metric_key == metric_key, s.c.stage_name == stage_key(stage_name)
    )
    if len(run_ids) > LARGE_SELECTION and len(project_ids) == 1:
        wanted = set(run_ids)
        rows = raw_rows(conn, base.where(s.c.project_id == project_ids[0]))
        return {run_id: value for run_id, value in rows if run_id in wanted}
    return dict(fetch_in(conn, base, s.c.run_id, list(dict.fromkeys(run_ids))))


def check_metric_exists(
    conn: Connection, project_ids: Sequence[int], metric_key: str, stage_name: str | None
) -> None:
    """Raise UnknownStageError/UnknownMetricError when the names are not used in these projects."""
    s = schema.metric_summaries
    if stage_name is not None:
        stage_rows = (
            conn.execute(
                select(schema.stages.c.stage_name)
                .join(schema.runs, schema.runs.c.id == schema.stages.c.run_id)
                .where(schema.runs.c.project_id.in_(project_ids))
                .distinct()
            )
            .scalars()
            .all()
        )
        summary_stages = (
            conn.execute(
                select(s.c.stage_name)
                .where(s.c.project_id.in_(project_ids), s.c.stage_name != schema.RUN_LEVEL)
                .distinct()
            )
            .scalars()
            .all()
        )
        known = sorted(set(stage_rows) | set(summary_stages))
        if stage_name not in known:
            hints = name_hints(stage_name, known, kind="stage")
            tail = hint_tail(hints)
            raise UnknownStageError(f"no stage `{stage_name}`{tail}", details={"stage": stage_name, **hints})
    pairs = conn.execute(
        select(s.c.stage_name, s.c.metric_key).where(s.c.project_id.in_(project_ids)).distinct()
    ).all()
    here = sorted({m for st, m in pairs if st == stage_key(stage_name)})
    if metric_key in here:
        return
    where = "at run level" if stage_name is None else f"in stage `{stage_name}`"
    elsewhere = sorted({st or "run level" for st, m in pairs if m == metric_key})
    if elsewhere:
        hint = f"; it is recorded in: {', '.join(f'`{e}`' for e in elsewhere)}"
        if stage_name is None:
            hint += " (pass stage_name=…)"
        raise UnknownMetricError(
            f"metric `{metric_key}` is not recorded {where}{hint}",
            code="metric_elsewhere" if stage_name else "metric_not_at_run_level",
            details={"metric": metric_key, "stage": stage_name, "elsewhere": elsewhere},
            suggestions=elsewhere,
        )
    hints = name_hints(metric_key, here or sorted({m for _, m in pairs}), kind="metric")
    tail = hint_tail(hints)
    raise UnknownMetricError(
        f"no metric `{metric_key}` {where}{tail}",
        code="unknown_metric" if stage_name else "unknown_run_level_metric",
        details={"metric": metric_key, "stage": stage_name, **hints},
    )


def select_best_run(
    conn: Connection,
    run_ids: Sequence[str],
    metric_key: str,
    *,
    stage_name: str | None = None,
    higher_is_better: bool = True,
    aggregation: str = "latest",
) -> str | None:
    value_column(aggregation)
    keys = resolve_run_ids(conn, run_ids)
    project_ids = sorted({project_id for _, project_id in keys})
    values = metric_values(
        conn, [run_id for run_id, _ in keys], metric_key, stage_name, aggregation, project_ids=project_ids
    )
    if not values:
        check_metric_exists(conn, project_ids, metric_key, stage_name)
        return None
    best_index, best_value = None, None
    for index, (run_id, _) in enumerate(keys):
        value = values.get(run_id)
        if value is None:
            continue
        if best_value is None or (value > best_value if higher_is_better else value < best_value):
            best_index, best_value = index, value
    return list(run_ids)[best_index] if best_index is not None else None


def best_run(
    conn: Connection,
    project_name: str,
    metric_key: str,
    *,
    stage_name: str | None = None,
    higher_is_better: bool = True,
    aggregation: str = "latest",
) -> BestRun | None:
    """The project's best run: an index seek for ``latest`` (the default); max/min/mean scan the
    project's rows for that metric and stage."""
    project = resolve_project(conn, project_name)
    column = value_column(aggregation)
    s, r = schema.metric_summaries, schema.runs
    scope = and_(
        s.c.project_id == project.id, s.c.metric_key == metric_key, s.c.stage_name == stage_key(stage_name)
    )
    extreme = func.max if higher_is_better else func.min
    top = conn.execute(select(extreme(column)).where(scope)).scalar()
    if top is None:
        check_metric_exists(conn, [project.id], metric_key, stage_name)
        return None
    # Ties go to the earliest run. Ordered by the run's own start, not the summaries' copy of it:
    # that would let SQLite walk ix_summaries_trend for the order instead of seeking the value.
    leaders = conn.execute(
        select(r.c.ref, r.c.name, column.label("value"))
        .join(r, r.c.id == s.c.run_id)
        .where(scope, column == top)
        .order_by(r.c.started_at, r.c.id)
        .limit(2)
    ).all()
    winner = leaders[0]
    runner = (
        leaders[1] if len(leaders) > 1 else _runner_up(conn, project, scope, column, top, higher_is_better)
    )
    return BestRun(
        run_id=winner.ref,
        run_name=winner.name,
        value=winner.value,
        metric_key=metric_key,
        stage_name=stage_name,
        aggregation=aggregation,
        higher_is_better=higher_is_better,
        runner_up_run_id=runner.ref if runner else None,
        runner_up_run_name=runner.name if runner else None,
        runner_up_value=runner.value if runner else None,
    )


def _runner_up(conn: Connection, project: ProjectRow, scope, column, top: float, higher_is_better: bool):
    s, r = schema.metric_summaries, schema.runs
    extreme = func.max if higher_is_better else func.min
    beyond = column < top if higher_is_better else column > top
    second = conn.execute(select(extreme(column)).where(scope, beyond)).scalar()
    if second is None:
        return None
    return conn.execute(
        select(r.c.ref, r.c.name, column.label("value"))
        .join(r, r.c.id == s.c.run_id)
        .where(scope, column == second)
        .order_by(r.c.started_at, r.c.id)
        .limit(1)
    ).first()
