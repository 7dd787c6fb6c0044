"""Report answers: the multi-run report's title with a compact top-N table, and the full report by pages.

Slack has no tables, so the compact one is a fixed-width code block: rank, run, status, the
primary metric first and up to three more columns, and the deployment if any.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import (
    Rendered,
    actions,
    button,
    context,
    finish,
    header,
    line_sections,
    section,
)
from bot.rendering.i18n import status_label, t
from bot.rendering.paging import Page, position, show_more
from bot.rendering.trend import trend_chart_button
from contexta_core.render.document import ReportDocument, report_title
from contexta_core.results import MetricColumn, ReportPreview, ReportTable

EXTRA_COLUMNS = 3
FULL_REPORT = "full_report"
_NAME = 32
_COLUMN = 18
_METRIC_LINE = 400
_NOTE, _NOTES = 160, 8


def take_rows(table: ReportTable, rows: Sequence[int]) -> ReportTable:
    """The given rows of a report table, in the given order (best markers dropped)."""
    return ReportTable(
        run_ids=tuple(table.run_ids[i] for i in rows),
        run_names=tuple(table.run_names[i] for i in rows),
        run_statuses=tuple(table.run_statuses[i] for i in rows),
        run_started=tuple(table.run_started[i] for i in rows),
        columns=tuple(
            MetricColumn(c.stage_name, c.metric_key, tuple(c.values[i] for i in rows), None)
            for c in table.columns
        ),
        deployed=tuple(table.deployed[i] for i in rows) if table.deployed else (),
    )


def _primary(table: ReportTable, metric: str, stage: str | None) -> MetricColumn | None:
    exact = [c for c in table.columns if c.metric_key == metric and c.stage_name == stage]
    loose = [c for c in table.columns if c.metric_key == metric]
    return (exact or loose or [None])[0]


def compact_table(table: ReportTable, *, metric: str, stage: str | None, lang: str) -> str:
    """A ``` block: rank, run, status, primary metric then a few others, deployment."""
    primary = _primary(table, metric, stage)
    others = [c for c in table.columns if c is not primary][: EXTRA_COLUMNS if primary else EXTRA_COLUMNS + 1]
    columns = [primary, *others] if primary else others
    unique_metrics = len({c.metric_key for c in table.columns}) == len(table.columns)
    heads = ["#", t(lang, "report.col_run"), t(lang, "report.col_status")]
    heads += [fmt.clip_name(c.metric_key if unique_metrics else c.label, _COLUMN) for c in columns]
    heads.append(t(lang, "report.col_deployed"))
    rows = []
    for i, name in enumerate(table.run_names):
        deployed = table.deployed[i] if table.deployed else ()
        row = [str(i + 1), fmt.clip_name(name, _NAME), status_label(table.run_statuses[i], lang)]
        row += [fmt.number(c.values[i]) for c in columns]
        row.append(fmt.clip(", ".join(deployed), 20) if deployed else "")
        rows.append(row)
    widths = [max(fmt.width(r[k]) for r in [heads, *rows]) for k in range(len(heads))]
    lines = ["  ".join(fmt.pad(cell, widths[k]) for k, cell in enumerate(r)).rstrip() for r in [heads, *rows]]
    return "```\n" + fmt.escape("\n".join(lines)) + "\n```"


def full_report_button(project: str, lang: str) -> object:
    return button(t(lang, "report.full"), FULL_REPORT, {"project": project, "lang": lang, "page": 1})


def render_report(
    preview: ReportPreview | None, *, project: str, metric: str | None, stage: str | None, lang: str
) -> Rendered:
    """`preview` holds the top rows best-first by `metric`, or the latest runs when `metric` is None."""
    if preview is None or preview.table is None or not preview.shown_runs:
        message = t(lang, "report.empty", project=fmt.code(project))
        return finish([section(message)], message)
    title = report_title(preview.total_runs)
    top = header(title)
    label = f"{stage}/{metric}" if stage else metric
    intro = t(
        lang,
        "report.intro" if metric else "report.intro_latest",
        project=fmt.code(project),
        shown=preview.shown_runs,
        total=fmt.count(preview.total_runs),
        metric=fmt.code(label or ""),
        columns=len(preview.table.columns),
    )
    blocks = [
        top,
        section(intro),
        section(compact_table(preview.table, metric=metric or "", stage=stage, lang=lang)),
        context(t(lang, "report.hint")),
        actions(full_report_button(project, lang), trend_chart_button(project, lang)),
    ]
    text = t(lang, "report.fallback", title=fmt.escape(title), project=fmt.escape(project))
    return finish(blocks, text)


def render_full_report(document: ReportDocument, *, project: str, page: Page, lang: str) -> Rendered:
    """Every run in time order with every metric column, a page at a time; summary on page 1."""
    blocks: list = [header(document.title)]
    if page.number == 1:
        for title in ("Summary", "Completeness Notes"):
            body = next((s.body for s in document.sections if s.title == title), "")
            if body and body != "No completeness notes.":
                shown = [fmt.escape(fmt.clip(line, _NOTE)) for line in body.splitlines()[:_NOTES]]
                blocks += line_sections([f"*{fmt.escape(title)}*", *shown])
    table = document.table
    lines = []
    if table is not None:
        for i in range(page.start, page.end):
            deployed = table.deployed[i] if table.deployed else ()
            head = (
                f"*{fmt.escape(fmt.clip_name(table.run_names[i], fmt.NAME_WIDTH))}* · `{fmt.day(table.run_started[i])}`"
                f" · {status_label(table.run_statuses[i], lang)}"
            )
            if deployed:
                head += "  :rocket: " + fmt.escape(fmt.clip(", ".join(deployed), 80))
            values = " · ".join(f"{c.label} {fmt.number(c.values[i])}" for c in table.columns)
            lines.append(f"{head}\n      {fmt.escape(fmt.clip(values, _METRIC_LINE))}")
    blocks += line_sections(lines)
    if position(page, lang):
        blocks.append(context(position(page, lang)))
    if page.has_more:
        blocks.append(show_more(FULL_REPORT, project, page, lang))
    return finish(
        blocks, t(lang, "report.fallback", title=fmt.escape(document.title), project=fmt.escape(project))
    )
