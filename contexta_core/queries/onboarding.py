"""The five onboarding answers for one project, gathered in one read.

Anything meant for chat is bounded (latest ``limit`` runs, top-``limit`` report rows) so the cost
of rendering does not grow with the project; counts, the trend and the best run cover every run.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import accumulate

from sqlalchemy import Connection, func, select

from ..direction import resolve_higher_is_better
from ..errors import AmbiguousMetricError, ContextaError, UnknownMetricError, UnknownStageError
from ..results import (
    DeploymentAnswer,
    DeploymentRecord,
    MetricScope,
    MetricTrend,
    OnboardingSummary,
    ProjectDefaults,
    ProjectRecord,
    ReportPreview,
    RunRecord,
)
from ..store import schema
from .best import best_run, stage_key, value_column
from .listing import list_deployments
from .lookup import ProjectRow, resolve_project
from .primary_metric import infer_primary_metric
from .report import build_multi_run_report
from .trend import get_metric_trend, recorded_stages, stage_among

DEFAULTS = ProjectDefaults()


def get_project_defaults(conn: Connection, project_name: str) -> ProjectDefaults:
    """The project's primary metric: its stored defaults, else the one inferred from what its runs
    record (``primary_metric``), else ``accuracy`` on ``evaluate`` (nothing recorded yet)."""
    project = resolve_project(conn, project_name)
    settings = (
        conn.execute(select(schema.projects.c.settings).where(schema.projects.c.id == project.id)).scalar()
        or {}
    )
    if "metric_key" not in settings:
        return infer_primary_metric(conn, project.id) or DEFAULTS
    metric = settings["metric_key"]
    higher = settings.get("higher_is_better")
    return ProjectDefaults(
        metric_key=metric,
        stage_name=settings.get("stage_name", DEFAULTS.stage_name),
        higher_is_better=resolve_higher_is_better(
            metric, project_metric=metric, project_higher_is_better=None if higher is None else bool(higher)
        ),
        chosen_by="stored",
    )


def answer_deployments(
    deployments: Sequence[DeploymentRecord], trend: MetricTrend | None
) -> tuple[DeploymentAnswer, ...]:
    """Each deployment with its run's metric value. The live one is the latest completed deployment:
    the one rule every answer (chat, terminal, digest) uses to say what is in production now."""
    deployed = {d.run_id for d in deployments}
    values = (
        {run: value for run, value in zip(trend.points.run_ids, trend.values, strict=True) if run in deployed}
        if trend and deployed
        else {}
    )
    return _answers(deployments, values)


def _answers(
    deployments: Sequence[DeploymentRecord], values: dict[str, float]
) -> tuple[DeploymentAnswer, ...]:
    completed = [d for d in deployments if d.status == "completed"]
    live = completed[-1].deployment_id if completed else None
    return tuple(DeploymentAnswer(d, values.get(d.run_id), d.deployment_id == live) for d in deployments)


def resolve_defaults(
    conn: Connection,
    project_name: str,
    metric: str | None = None,
    stage_name: str | None = None,
    higher_is_better: bool | None = None,
    aggregation: str = "latest",
) -> MetricScope:
    """What a question means before its metric is looked up: what it says, else the project's
    defaults; the direction by `contexta_core.direction`'s rule."""
    stored = get_project_defaults(conn, project_name)
    metric_key = metric or stored.metric_key
    direction = resolve_higher_is_better(
        metric_key,
        higher_is_better,
        project_metric=stored.metric_key,
        project_higher_is_better=stored.higher_is_better,
    )
    chosen_by = "asked" if metric and metric != stored.metric_key else stored.chosen_by
    return MetricScope(
        project_name, metric_key, stage_name or stored.stage_name, direction, aggregation, chosen_by
    )


def resolve_scope(
    conn: Connection,
    project_name: str,
    metric: str | None = None,
    stage_name: str | None = None,
    higher_is_better: bool | None = None,
    aggregation: str = "latest",
    *,
    read_trend: Callable[..., MetricTrend] = get_metric_trend,
) -> tuple[MetricScope, MetricTrend]:
    """The scope of a question (the metric, where it lives, which way is better) and its trend.

    A metric named without a stage is looked for in the project's stage first, then wherever it is
    recorded (run level, or its only stage), so `--metric learning_rate` finds a run-level metric
    without the asker knowing the project's stages. ``read_trend`` lets a caller share trends it
    has already read (the client's cache)."""
    wanted = resolve_defaults(conn, project_name, metric, stage_name, higher_is_better, aggregation)

    def read(stage: str | None) -> MetricTrend:
        return read_trend(
            conn, wanted.metric_key, project_name=project_name, stage_name=stage, aggregation=aggregation
        )

    try:
        trend = read(wanted.stage_name)
    except (UnknownMetricError, UnknownStageError) as first:
        if stage_name is not None:
            raise
        try:
            trend = read(None)
        except AmbiguousMetricError:
            raise  # it exists, in several stages: the stages to choose from are the news
        except (UnknownMetricError, UnknownStageError) as second:
            # A default stage the project lacks is no news to the asker; the metric's absence is.
            raise (second if isinstance(first, UnknownStageError) else first) from None
    return replace(wanted, stage_name=trend.stage_name), trend


def locate_scope(
    conn: Connection,
    project_name: str,
    metric: str | None = None,
    stage_name: str | None = None,
    higher_is_better: bool | None = None,
    aggregation: str = "latest",
) -> MetricScope:
    """`resolve_scope`'s scope without reading the trend, for answers that need no trend (best,
    deployments): where the metric is recorded is a few index seeks (``recorded_stages``), where
    the trend of a 100,000-run project is half a second of CPU. When the metric is not where the
    question puts it, ``resolve_scope`` itself raises the error it would have (the rare path)."""
    value_column(aggregation)
    wanted = resolve_defaults(conn, project_name, metric, stage_name, higher_is_better, aggregation)
    project = resolve_project(conn, project_name)
    recorded = recorded_stages(conn, project.id, wanted.metric_key)
    if stage_key(wanted.stage_name) in recorded:
        return wanted
    if stage_name is None and recorded:  # the project's stage lacks it: wherever it is (or ambiguous)
        return replace(wanted, stage_name=stage_among(wanted.metric_key, recorded))
    return resolve_scope(conn, project_name, metric, stage_name, higher_is_better, aggregation)[0]


def deployment_answers(
    conn: Connection, project_name: str, scope: MetricScope | None
) -> tuple[DeploymentAnswer, ...]:
    """`answer_deployments` with the deployed runs' values in ``scope`` read for those runs alone
    (a primary-key seek each), not from the project's whole trend."""
    deployments = list_deployments(conn, project_name)
    if scope is None or not deployments:
        return answer_deployments(deployments, None)
    r, s = schema.runs, schema.metric_summaries
    refs = list({d.run_id for d in deployments})
    values = dict(
        conn.execute(
            select(r.c.ref, value_column(scope.aggregation))
            .join(s, s.c.run_id == r.c.id)
            .where(
                r.c.ref.in_(refs),
                s.c.metric_key == scope.metric_key,
                s.c.stage_name == stage_key(scope.stage_name),
            )
        ).all()
    )
    return _answers(deployments, values)


def onboarding_summary(
    conn: Connection,
    project_name: str,
    *,
    metric: str | None = None,
    stage_name: str | None = None,
    higher_is_better: bool | None = None,
    limit: int = 20,
    read_trend: Callable[..., MetricTrend] = get_metric_trend,
) -> OnboardingSummary:
    project = resolve_project(conn, project_name)
    scope = resolve_defaults(conn, project.name, metric, stage_name, higher_is_better)
    metric_key, higher_is_better = scope.metric_key, scope.higher_is_better

    r = schema.runs
    status_counts = dict(
        conn.execute(
            select(r.c.status, func.count()).where(r.c.project_id == project.id).group_by(r.c.status)
        ).all()
    )
    run_count = sum(status_counts.values())
    latest = conn.execute(
        select(r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at, r.c.description)
        .where(r.c.project_id == project.id)
        .order_by(r.c.started_at.desc(), r.c.id.desc())
        .limit(limit)
    ).all()
    runs = tuple(
        RunRecord(ref, project.name, name, st, s, e, d) for ref, name, st, s, e, d in reversed(latest)
    )

    notes: list[ContextaError] = []
    trend = best = None
    try:
        scope, trend = resolve_scope(
            conn, project.name, metric, stage_name, higher_is_better, read_trend=read_trend
        )
        trend = trend if trend.points else None
        best = (
            None
            if trend is None
            else best_run(
                conn, project.name, metric_key, stage_name=trend.stage_name, higher_is_better=higher_is_better
            )
        )
    except (UnknownMetricError, UnknownStageError) as exc:
        if metric is not None or stage_name is not None:
            raise
        if run_count:
            notes.append(exc)
    pick = max if higher_is_better else min
    values = trend.values if trend else ()
    best_so_far = tuple(accumulate(values, pick))

    deployments = list_deployments(conn, project.name)
    answers = answer_deployments(deployments, trend)
    live = next((a for a in answers if a.is_live), None)
    best_is_live = bool(best and live and live.deployment.run_id == best.run_id)

    report = (
        _report_preview(conn, project, run_count, trend, values, higher_is_better, limit)
        if run_count
        else None
    )
    return OnboardingSummary(
        project=_project_record(conn, project, run_count, runs),
        scope=scope,
        run_count=run_count,
        status_counts=status_counts,
        runs=runs,
        runs_truncated=max(0, run_count - len(runs)),
        trend=trend,
        best_so_far=best_so_far,
        deployments=answers,
        live=live,
        best=best,
        best_is_live=best_is_live,
        report=report,
        notes=tuple(notes),
    )


def _project_record(conn: Connection, project: ProjectRow, run_count: int, runs) -> ProjectRecord:
    p = schema.projects
    description, created = conn.execute(
        select(p.c.description, p.c.created_at).where(p.c.id == project.id)
    ).one()
    return ProjectRecord(
        project.ref, project.name, description, created, run_count, runs[-1].started_at if runs else None
    )


def _report_preview(
    conn,
    project: ProjectRow,
    run_count: int,
    trend,
    values: tuple[float, ...],
    higher_is_better: bool,
    limit: int,
):
    """The report's totals over every run, with a table of the top ``limit`` runs by the metric."""
    if trend is not None and trend.points:
        # nlargest/nsmallest keep equal values in input order, so ties go to the earlier run
        pick = heapq.nlargest if higher_is_better else heapq.nsmallest
        ranked = pick(limit, range(len(values)), key=values.__getitem__)
        ids = [trend.points.run_ids[i] for i in ranked]
    else:
        r = schema.runs
        ids = list(
            conn.execute(
                select(r.c.ref)
                .where(r.c.project_id == project.id)
                .order_by(r.c.started_at.desc())
                .limit(limit)
            ).scalars()
        )
    table = build_multi_run_report(
        conn, ids, higher_is_better={trend.metric_key: higher_is_better} if trend else None
    ).table
    return ReportPreview(run_count, table, len(ids))
