"""Files a person keeps: a project's full report (Markdown, JSON, CSV, HTML) and its trend chart.

Both the CLI and the bot hand these to people, so they are built here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ..client import Contexta
from ..errors import QueryError
from ..results import MetricScope, MetricTrend

REPORT_FORMATS = {"md": "text/markdown", "json": "application/json", "csv": "text/csv", "html": "text/html"}


@dataclass(frozen=True, slots=True)
class ExportedFile:
    filename: str
    content: bytes
    mime: str
    title: str


def safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "contexta"


def _draw(trend, deployments, best_run_id: str | None, higher_is_better: bool) -> bytes:
    from .charts import render_trend_chart  # matplotlib takes ~0.4 s to import: only when drawing

    return render_trend_chart(
        trend, deployments=deployments, best_run_id=best_run_id, higher_is_better=higher_is_better
    )


def trend_chart(ctx: Contexta, scope: MetricScope, trend: MetricTrend | None = None) -> ExportedFile:
    """The metric-over-time chart (PNG) in ``scope``, resolved once by the caller
    (``Contexta.resolve_scope``), with deployments and the best run marked. ``trend`` is the one
    read in that scope when the caller has it; nothing about the metric is decided again here."""
    name = scope.project
    if trend is None:
        trend = ctx.get_metric_trend(scope.metric_key, name, scope.stage_name, scope.aggregation)
    best = (
        ctx.best_run(
            name,
            scope.metric_key,
            stage_name=scope.stage_name,
            higher_is_better=scope.higher_is_better,
            aggregation=scope.aggregation,
        )
        if trend.points
        else None
    )
    # the core's records (datetimes), also when handed the original-API facade (times as text)
    deployments = Contexta.list_deployments(ctx, name)
    png = _draw(trend, deployments, best.run_id if best else None, scope.higher_is_better)
    label = f"{trend.stage_name}/{trend.metric_key}" if trend.stage_name else trend.metric_key
    return ExportedFile(
        f"{safe_filename(name)}-{safe_filename(label)}-trend.png",
        png,
        "image/png",
        f"{name} · {label} over time",
    )


def export_project_report(
    ctx: Contexta,
    project: str,
    fmt: str = "md",
    *,
    metric: str | None = None,
    stage: str | None = None,
    higher_is_better: bool | None = None,
) -> ExportedFile:
    """The multi-run report over every run of ``project`` in ``fmt`` (md, json, csv or html).

    The report covers every metric; ``metric``/``stage`` pick the one its chart (HTML) follows and
    ``higher_is_better`` which way that metric's best is marked (default: the project's)."""
    if fmt not in REPORT_FORMATS:
        raise QueryError(
            f"report format `{fmt}` is not one of {', '.join(REPORT_FORMATS)}",
            code="unknown_report_format",
            details={"format": str(fmt), "allowed": list(REPORT_FORMATS)},
        )
    name = ctx.resolve_project_name(project)
    document = ctx.project_report(name, metric, stage, higher_is_better)
    if fmt == "md":
        text = document.to_markdown()
    elif fmt == "json":
        text = document.to_json() + "\n"
    elif fmt == "csv":
        text = document.to_csv()
    else:
        from .html import render_report_html

        # its trend, best and live run: no second query
        summary = ctx.onboarding_summary(name, metric, stage, higher_is_better, limit=1)
        chart = None
        if summary.trend:
            deployments = [answer.deployment for answer in summary.deployments]
            best_id = summary.best.run_id if summary.best else None
            chart = _draw(summary.trend, deployments, best_id, summary.scope.higher_is_better)
        text = render_report_html(
            document,
            project_name=name,
            source=ctx.workspace_label,  # a shared file never shows a connection string
            generated_at=datetime.now(UTC),
            chart_png=chart,
            best_run_id=summary.best.run_id if summary.best else None,
            live_run_id=summary.live.deployment.run_id if summary.live else None,
        )
    return ExportedFile(
        f"{safe_filename(name)}-report.{fmt}", text.encode("utf-8"), REPORT_FORMATS[fmt], document.title
    )
