"""The report as files people open from chat: complete while small, a summary page plus the CSV when large.

The complete HTML page grows by about 50 bytes per table cell (100,000 runs × 3 metrics: 27 MB,
which a browser takes seconds to lay out and Slack will not preview). Up to `FULL_PAGE_CELLS`
cells (5,000 runs of 3 metrics, a page of ~1.5 MB that opens at once) people get the complete
report as Markdown and HTML. Above it they get a summary page — the counts, the chart, the top
runs by the project's metric and every deployed run — plus the complete table as CSV, gzipped
when it would be over `COMPRESS_CSV_ABOVE` (gzip shrinks it about 5×: 100,000 runs ≈ 2 MB),
far inside Slack's 1 GB file limit. `contexta report` still writes whatever it is asked for.
"""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .document import MetricColumn, ReportDocument, ReportSection, ReportTable
from .files import REPORT_FORMATS, ExportedFile, export_project_report, safe_filename

if TYPE_CHECKING:
    from ..client import Contexta

FULL_PAGE_CELLS = 35_000  # runs × (metric columns + 4 run columns): 5,000 runs of 3 metrics
COMPRESS_CSV_ABOVE = 2_000_000  # bytes; a CSV this size still opens directly in a spreadsheet
TOP_RUNS = 50
DEPLOYED_RUNS = 50  # the latest deployed runs shown beside the top ones


def is_large(document: ReportDocument) -> bool:
    """True when the complete page would be too big to open comfortably (see the module docstring)."""
    table = document.table
    return table is not None and len(table.run_ids) * (len(table.columns) + 4) > FULL_PAGE_CELLS


def shareable_report_files(ctx: Contexta, project: str) -> tuple[ExportedFile, ...]:
    """Markdown + HTML of the complete report, or (when `is_large`) the summary page + the CSV."""
    name = ctx.resolve_project_name(project)
    document = ctx.project_report(name)
    if not is_large(document):
        return tuple(export_project_report(ctx, name, fmt) for fmt in ("md", "html"))
    return (summary_page(ctx, name, document), table_csv(name, document))


def table_csv(project: str, document: ReportDocument) -> ExportedFile:
    """Every run and metric as CSV; gzipped above `COMPRESS_CSV_ABOVE` bytes."""
    data = document.to_csv().encode("utf-8")
    filename = f"{safe_filename(project)}-report.csv"
    title = f"{document.title} (every run, CSV)"
    if len(data) <= COMPRESS_CSV_ABOVE:
        return ExportedFile(filename, data, REPORT_FORMATS["csv"], title)
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    return ExportedFile(f"{filename}.gz", packed, "application/gzip", f"{title}, gzipped")


def summary_page(ctx: Contexta, project: str, document: ReportDocument) -> ExportedFile:
    """One small HTML page: counts, the trend chart, the top runs and the deployed ones."""
    from .charts import render_trend_chart  # matplotlib: only when drawing
    from .html import render_report_html

    summary = ctx.onboarding_summary(project, limit=1)
    scope = summary.scope
    best_id = summary.best.run_id if summary.best else None
    chart = None
    if summary.trend:
        deployments = [answer.deployment for answer in summary.deployments]
        chart = render_trend_chart(
            summary.trend,
            deployments=deployments,
            best_run_id=best_id,
            higher_is_better=scope.higher_is_better,
        )
    table = document.table
    assert table is not None  # is_large() said so
    primary = _column(table, scope.metric_key, scope.stage_name)
    rows = top_rows(table, primary, higher_is_better=scope.higher_is_better)
    label = primary.label if primary else None
    shown = _take(table, rows)
    total = len(table.run_ids)
    ranked = (
        f"the top {min(TOP_RUNS, len(rows))} runs by {label}" if primary else f"the latest {len(rows)} runs"
    )
    note = (
        f"This page shows {ranked} and the latest deployed runs, {len(rows):,} of {total:,}. "
        f"Every run and metric is in the CSV file that came with it."
    )
    sections = (
        ReportSection("Summary", f"{_section(document, 'Summary')}\n{note}"),
        ReportSection("Deployments", _latest_lines(_section(document, "Deployments"), DEPLOYED_RUNS)),
        ReportSection("Completeness Notes", _section(document, "Completeness Notes")),
    )
    page = replace(
        document, title=f"Summary of {document.title} ({len(rows):,} shown)", sections=sections, table=shown
    )
    html = render_report_html(
        page,
        project_name=project,
        source=ctx.source,
        generated_at=datetime.now(UTC),
        chart_png=chart,
        best_run_id=best_id,
        live_run_id=summary.live.deployment.run_id if summary.live else None,
    )
    return ExportedFile(
        f"{safe_filename(project)}-report-summary.html",
        html.encode("utf-8"),
        REPORT_FORMATS["html"],
        document.title,
    )


def top_rows(table: ReportTable, primary: MetricColumn | None, *, higher_is_better: bool) -> list[int]:
    """Row indexes: the best `TOP_RUNS` by `primary` (ties to the earlier run; the latest runs when
    there is no such column), then the latest `DEPLOYED_RUNS` deployed runs not among them."""
    if primary is not None:
        present = [(v, i) for i, v in enumerate(primary.values) if v is not None]
        present.sort(key=lambda p: (-p[0] if higher_is_better else p[0], p[1]))
        chosen = [i for _, i in present[:TOP_RUNS]]
    else:
        chosen = list(range(max(0, len(table.run_ids) - TOP_RUNS), len(table.run_ids)))
    taken = set(chosen)
    deployed = [i for i, names in enumerate(table.deployed) if names and i not in taken]
    return chosen + deployed[-DEPLOYED_RUNS:]


def _column(table: ReportTable, metric: str, stage: str | None) -> MetricColumn | None:
    exact = [c for c in table.columns if c.metric_key == metric and c.stage_name == (stage or None)]
    return exact[0] if exact else next((c for c in table.columns if c.metric_key == metric), None)


def _take(table: ReportTable, rows: list[int]) -> ReportTable:
    """The given rows, each column's best marker kept when its run is among them."""

    def best(column: MetricColumn) -> int | None:
        return rows.index(column.best_index) if column.best_index in rows else None

    return ReportTable(
        run_ids=tuple(table.run_ids[i] for i in rows),
        run_names=tuple(table.run_names[i] for i in rows),
        run_statuses=tuple(table.run_statuses[i] for i in rows),
        run_started=tuple(table.run_started[i] for i in rows),
        columns=tuple(
            MetricColumn(c.stage_name, c.metric_key, tuple(c.values[i] for i in rows), best(c))
            for c in table.columns
        ),
        deployed=tuple(table.deployed[i] for i in rows) if table.deployed else (),
    )


def _section(document: ReportDocument, title: str) -> str:
    return next((s.body for s in document.sections if s.title == title), "")


def _latest_lines(body: str, keep: int) -> str:
    lines = body.splitlines()
    if len(lines) <= keep:
        return body
    return "\n".join(
        [
            f"The latest {keep} of {len(lines):,} deployments (all are in the CSV's deployments column):",
            *lines[-keep:],
        ]
    )
