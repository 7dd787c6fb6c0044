"""Onboarding answer: the five things a newcomer asks (runs, trend, deployments, best, report) in one message.

Each part is a few lines with a button to the long version, so the whole message stays far
inside Slack's limits even for a project with thousands of runs.
"""

from __future__ import annotations

from bot.error_messages import describe_error
from bot.rendering import format as fmt
from bot.rendering.best import production_line
from bot.rendering.blocks import Rendered, actions, button, context, divider, finish, header, section
from bot.rendering.deployments import live_line
from bot.rendering.i18n import status_counts, t
from bot.rendering.paging import SHOW_MORE
from bot.rendering.report import compact_table, full_report_button, take_rows
from bot.rendering.trend import direction_word, metric_label
from contexta_core.render.document import report_title
from contexta_core.results import OnboardingSummary

PREVIEW_ROWS = 5
RECENT_RUNS = 3


def render_onboarding(summary: OnboardingSummary, *, lang: str) -> Rendered:
    project = summary.project.name
    d = summary.scope
    label = metric_label(d.metric_key, d.stage_name)
    about = [fmt.escape(fmt.clip(summary.project.description, 200))] if summary.project.description else []
    about.append(
        t(
            lang,
            "onboard.defaults",
            metric=fmt.code(label),
            direction=t(lang, "best.higher" if d.higher_is_better else "best.lower"),
        )
    )
    blocks = [header(t(lang, "onboard.header", project=project)), context(" · ".join(about))]
    parts = [
        _runs(summary, lang),
        _trend(summary, label, lang),
        _deployments(summary, lang),
        _best(summary, label, lang),
    ]
    for part in parts:
        blocks.append(section(part))
    blocks.append(divider())
    blocks += _report(summary, lang)
    notes = [fmt.clip(describe_error(n, lang)[0], 300) for n in summary.notes[:3]]
    if notes:
        blocks.append(context(" · ".join(notes)))
    runs_button = button(
        t(lang, "onboard.all_runs"), SHOW_MORE, {"kind": "runs", "project": project, "page": 1, "lang": lang}
    )
    blocks.append(actions(runs_button, full_report_button(project, lang)))
    text = t(lang, "onboard.fallback", project=fmt.escape(project), count=summary.run_count)
    if summary.best is not None:
        text += " " + t(
            lang,
            "onboard.fallback_best",
            run=fmt.escape(summary.best.run_name),
            value=fmt.number(summary.best.value),
        )
    if summary.live is not None:
        text += " " + t(lang, "onboard.fallback_live", deployment=fmt.escape(summary.live.deployment.name))
    return finish(blocks, text)


def _runs(summary: OnboardingSummary, lang: str) -> str:
    statuses = status_counts(summary.status_counts, lang)
    text = t(lang, "onboard.runs", count=fmt.count(summary.run_count), statuses=statuses)
    recent = summary.runs[-RECENT_RUNS:]
    if recent:
        names = ", ".join(f"{fmt.code(r.name, 40)} ({fmt.day(r.started_at)})" for r in reversed(recent))
        text += "\n" + t(lang, "onboard.latest", runs=names)
    return text


def _trend(summary: OnboardingSummary, label: str, lang: str) -> str:
    trend = summary.trend
    if trend is None or not trend.points:
        return t(lang, "onboard.no_trend", metric=fmt.code(label))
    return t(
        lang,
        "onboard.trend",
        metric=fmt.code(label),
        first=fmt.number(trend.first.value),
        last=fmt.number(trend.last.value),
        change=fmt.delta(trend.change),
        direction=direction_word(trend.change, summary.scope.higher_is_better, lang),
        spark=fmt.sparkline(trend.values),
    )


def _deployments(summary: OnboardingSummary, lang: str) -> str:
    metric = summary.scope.metric_key
    text = t(lang, "onboard.deployments", count=len(summary.deployments))
    text += "\n" + live_line(summary.live, metric, lang)
    earlier = [a for a in summary.deployments if not a.is_live][-2:]
    for a in reversed(earlier):
        text += (
            f"\n• {fmt.code(a.deployment.name, 40)} → {fmt.code(a.deployment.run_name or '?')}"
            f" ({fmt.day(a.deployment.started_at)}, {fmt.escape(metric)} {fmt.number(a.metric_value)})"
        )
    return text


def _best(summary: OnboardingSummary, label: str, lang: str) -> str:
    best = summary.best
    if best is None:
        return t(lang, "onboard.no_best", metric=fmt.code(label))
    text = t(
        lang,
        "onboard.best",
        run=fmt.code(best.run_name),
        metric=fmt.code(label),
        value=fmt.number(best.value),
    )
    if best.runner_up_run_name is not None:
        text += " " + t(
            lang,
            "best.margin",
            margin=fmt.delta(best.margin),
            run=fmt.code(best.runner_up_run_name),
            value=fmt.number(best.runner_up_value),
        )
    return text + "\n" + production_line(best.run_id, summary.deployments, summary.scope.metric_key, lang)


def _report(summary: OnboardingSummary, lang: str) -> list:
    report = summary.report
    if report is None or report.table is None or not report.shown_runs:
        return [section(t(lang, "onboard.no_report"))]
    d = summary.scope
    table = report.table
    rows = min(PREVIEW_ROWS, len(table.run_ids))
    if rows < len(table.run_ids):
        table = take_rows(table, range(rows))
    intro = t(
        lang,
        "onboard.report",
        title=fmt.escape(report_title(report.total_runs)),
        shown=rows,
        total=fmt.count(report.total_runs),
    )
    return [section(intro), section(compact_table(table, metric=d.metric_key, stage=d.stage_name, lang=lang))]
