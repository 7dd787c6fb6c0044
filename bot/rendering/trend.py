"""Trend answer: a metric per run in time order, with a sparkline, the change first→last and deployments.

The picture of the same trend (a PNG from `contexta_core.render.files.trend_chart`) travels as a file
beside the answer; the "Trend chart" button asks for it on answers that do not bring it.
"""

from __future__ import annotations

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, button, context, finish, header, line_sections, section
from bot.rendering.i18n import aggregation_label, t
from bot.rendering.paging import Page, position, show_more
from contexta_core.results import MetricTrend

TREND_CHART = "trend_chart"


def metric_label(metric: str, stage: str | None) -> str:
    """`evaluate/accuracy`, or just `accuracy` for run-level metrics."""
    return f"{stage}/{metric}" if stage else metric


def direction_word(change: float | None, higher_is_better: bool, lang: str) -> str:
    if not change:
        return t(lang, "trend.flat")
    return t(lang, "trend.better" if (change > 0) == higher_is_better else "trend.worse")


def trend_chart_button(
    project: str, lang: str, *, metric: str | None = None, stage: str | None = None
) -> object:
    """ "Trend chart": the click uploads the metric-over-time chart in the answer's thread."""
    value = {"project": project, "lang": lang, "metric": metric, "stage": stage}
    return button(t(lang, "button.trend_chart"), TREND_CHART, {k: v for k, v in value.items() if v})


def render_chart_caption(trend: MetricTrend, *, lang: str) -> Rendered:
    """The chart button's answer: one caption line (the chart is its file), or why there is no chart."""
    label = metric_label(trend.metric_key, trend.stage_name)
    if not trend.points:
        message = t(lang, "trend.none", metric=fmt.code(label), project=fmt.code(trend.project_name))
        return finish([section(message)], message)
    return Rendered(t(lang, "files.caption", metric=fmt.code(label), project=fmt.code(trend.project_name)))


def missing_note(trend: MetricTrend, lang: str) -> str:
    """ "2 runs have no `evaluate/acc`: b, c" in ``lang``: the first few names, the rest counted."""
    names = [fmt.escape(fmt.clip_name(name, 40)) for name in trend.missing_run_names]
    more = trend.missing_run_count - len(names)
    shown = ", ".join(names) + (t(lang, "error.known_more", count=more) if more > 0 else "")
    label = metric_label(trend.metric_key, trend.stage_name)
    return fmt.clip(
        t(lang, "trend.missing", count=trend.missing_run_count, metric=fmt.code(label), names=shown), 300
    )


def render_trend(trend: MetricTrend, *, page: Page, higher_is_better: bool, lang: str) -> Rendered:
    label = metric_label(trend.metric_key, trend.stage_name)
    project = trend.project_name
    top = header(t(lang, "trend.header", metric=label, project=project))
    if not trend.points:
        message = t(lang, "trend.none", metric=fmt.code(label), project=fmt.code(project))
        return finish([top, section(message)], message)
    first, last, change = trend.first, trend.last, trend.change
    values = trend.values
    best = trend.points[(max if higher_is_better else min)(range(len(values)), key=values.__getitem__)]
    summary = t(
        lang,
        "trend.summary" if len(trend.points) > 1 else "trend.summary_only_run",
        count=len(trend.points),
        metric=fmt.code(label),
        first=fmt.number(first.value),
        last=fmt.number(last.value),
        change=fmt.delta(change),
        direction=direction_word(change, higher_is_better, lang),
    )
    peak = t(lang, "trend.peak", value=fmt.number(best.value), run=fmt.escape(best.run_name))
    spark = fmt.sparkline(values)
    blocks = [top, section(f"{summary}\n`{spark}`  {peak}")]
    shown = trend.points[page.start : page.end]
    previous = trend.points[page.start - 1].value if page.start else None
    lines = []
    for point in shown:
        step = f" ({fmt.delta(point.value - previous)})" if previous is not None else ""
        line = f"• `{fmt.day(point.started_at)}` {fmt.escape(fmt.clip_name(point.run_name, fmt.NAME_WIDTH))}  *{fmt.number(point.value)}*{step}"
        if point.deployments:
            line += "  :rocket: " + ", ".join(fmt.escape(fmt.clip_name(d, 40)) for d in point.deployments[:3])
        lines.append(line)
        previous = point.value
    blocks += line_sections(lines)
    notes = [missing_note(trend, lang)] if trend.missing_run_count else []
    notes.append(t(lang, "trend.legend", aggregation=aggregation_label(trend.aggregation, lang)))
    if position(page, lang):
        notes.append(position(page, lang))
    blocks.append(context(" · ".join(notes)))
    if page.has_more:
        blocks.append(
            show_more(
                "trend",
                project,
                page,
                lang,
                metric=trend.metric_key,
                stage=trend.stage_name,
                lower=None if higher_is_better else True,
            )
        )
    text = t(
        lang,
        "trend.fallback",
        metric=fmt.escape(label),
        project=fmt.escape(project),
        first=fmt.number(first.value),
        last=fmt.number(last.value),
        change=fmt.delta(change),
    )
    return finish(blocks, text)
