"""One function per answer kind: ask the core, hand the result to its renderer.

Commands, questions and button clicks all arrive here as an `Ask`, so `/contexta best`, "what's
our best run?" and a "Choose" click on the best-run question give the same answer. Errors are
left to propagate; `bot.answers` turns them into friendly replies in one place.

`answer_files` is the other half of some answers: the files that go with them (the trend chart,
the report as Markdown and HTML), asked of `contexta_core.exports` like any other query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.rendering import deployments, projects, report, runs, trend
from bot.rendering.best import render_best
from bot.rendering.blocks import Rendered
from bot.rendering.compare import render_compare
from bot.rendering.help import render_help
from bot.rendering.onboarding import render_onboarding
from bot.rendering.paging import page_of
from bot.scope import qualified, resolve_scope
from contexta_core import Contexta
from contexta_core.contract import LIFECYCLE_STATUSES
from contexta_core.errors import UnknownMetricError, UnknownRunError, UnknownStageError
from contexta_core.exports import ExportedFile, export_project_report, trend_chart
from contexta_core.importers.detect import pending_import
from contexta_core.queries import onboarding as core_answers

CHART_INTENTS = frozenset({"trend", "onboard", "trend_chart"})
REPORT_INTENTS = frozenset({"report", "full_report"})
REPORT_FORMATS = ("md", "html")
REUSE_REPORTS_UP_TO = 1000  # runs; the HTML report of 1,000 runs is about 0.5 MB


@dataclass(frozen=True)
class Ask:
    """A request for one answer, however it was asked."""

    intent: str
    language: str = "en"
    project: str | None = None
    metric: str | None = None
    stage: str | None = None
    lower_is_better: bool | None = None  # None: the project's / metric's usual direction
    page: int = 1
    runs: tuple[str, ...] = ()
    topic: str | None = None  # `help <subcommand>`
    default_project: str | None = None  # the channel's default, for marking it


def answer_runs(ctx: Contexta, ask: Ask) -> Rendered:
    total = ctx.count_runs(ask.project)
    page = page_of(total, ask.page, runs.PAGE_SIZE)
    shown = ctx.list_runs(ask.project, limit=page.size, offset=page.start) if total else ()
    counts = {s: ctx.count_runs(ask.project, status=s) for s in LIFECYCLE_STATUSES} if total else {}
    deployed: dict[str, list[str]] = {}
    for d in ctx.list_deployments(ask.project):
        deployed.setdefault(d.run_id, []).append(d.name)
    return runs.render_runs(
        ask.project, shown, page=page, status_counts=counts, deployed=deployed, lang=ask.language
    )


def answer_trend(ctx: Contexta, ask: Ask) -> Rendered:
    scope, found = resolve_scope(
        ctx, ask.project, metric=ask.metric, stage=ask.stage, lower=ask.lower_is_better
    )
    page = page_of(len(found.points), ask.page, trend.PAGE_SIZE)
    return trend.render_trend(found, page=page, higher_is_better=scope.higher_is_better, lang=ask.language)


def answer_trend_chart(ctx: Contexta, ask: Ask) -> Rendered:
    """The "Trend chart" button: a caption only; the chart itself is the answer's file."""
    _, found = resolve_scope(ctx, ask.project, metric=ask.metric, stage=ask.stage, lower=ask.lower_is_better)
    return trend.render_chart_caption(found, lang=ask.language)


def answer_files(ctx: Contexta, ask: Ask) -> tuple[ExportedFile, ...]:
    """The files that go with a first answer: none when there is nothing to draw or report.

    The chart uses the scope the text answer used, so picture and words never disagree; a
    run-level metric (no stage), which the core's chart cannot place, comes without one.
    """
    if ask.intent in CHART_INTENTS:
        scope, found = resolve_scope(
            ctx, ask.project, metric=ask.metric, stage=ask.stage, lower=ask.lower_is_better
        )
        if not found.points:
            return ()
        key = ("chart", ask.project, scope.metric, scope.stage, scope.higher_is_better)
        return (_reused(ctx, key, trend_chart),)
    runs = ctx.count_runs(ask.project) if ask.intent in REPORT_INTENTS else 0
    if runs > REUSE_REPORTS_UP_TO:
        return tuple(export_project_report(ctx, ask.project, fmt) for fmt in REPORT_FORMATS)
    if runs:
        return tuple(
            _reused(ctx, ("report", ask.project, fmt), export_project_report) for fmt in REPORT_FORMATS
        )
    return ()


def _reused(ctx: Contexta, key: tuple, make: Callable[..., ExportedFile]) -> ExportedFile:
    """`make(ctx, *key[1:])`, kept while the workspace data is unchanged: the same chart and report are
    asked for again and again (every onboarding, every "Full report" click), and drawing one takes a
    noticeable fraction of a second. A PNG stays small (~100–200 KB) however many runs it shows;
    reports grow with the runs, so only those of projects up to `REUSE_REPORTS_UP_TO` runs are kept."""
    with ctx.database.reading() as conn:
        version = ctx.database.data_version(conn)
    return ctx.cache.get_or_compute(("bot.files", *key), version, lambda: make(ctx, *key[1:]))


def answer_deployments(ctx: Contexta, ask: Ask) -> Rendered:
    try:
        scope, found = resolve_scope(ctx, ask.project, metric=ask.metric, stage=ask.stage)
        metric = scope.metric
    except (UnknownMetricError, UnknownStageError):  # deployments are worth showing without values
        found, metric = None, None
    answers = core_answers.answer_deployments(ctx.list_deployments(ask.project), found)
    page = page_of(len(answers), ask.page, deployments.PAGE_SIZE)
    return deployments.render_deployments(ask.project, answers, metric=metric, page=page, lang=ask.language)


def answer_best(ctx: Contexta, ask: Ask) -> Rendered:
    scope, found = resolve_scope(
        ctx, ask.project, metric=ask.metric, stage=ask.stage, lower=ask.lower_is_better
    )
    best = (
        ctx.best_run(
            ask.project, scope.metric, stage_name=scope.stage, higher_is_better=scope.higher_is_better
        )
        if found.points
        else None  # no run has the metric yet (e.g. a project without runs)
    )
    return render_best(
        best,
        project=ask.project,
        metric=scope.metric,
        stage=scope.stage,
        higher_is_better=scope.higher_is_better,
        deployments=core_answers.answer_deployments(ctx.list_deployments(ask.project), found),
        lang=ask.language,
    )


def answer_report(ctx: Contexta, ask: Ask) -> Rendered:
    summary = ctx.onboarding_summary(ask.project, limit=report.TOP_N)
    d = summary.defaults
    ranked_by = d.metric_key if summary.trend is not None else None  # else the latest runs are shown
    return report.render_report(
        summary.report, project=ask.project, metric=ranked_by, stage=d.stage_name, lang=ask.language
    )


def answer_full_report(ctx: Contexta, ask: Ask) -> Rendered:
    if not ctx.count_runs(ask.project):
        return report.render_report(None, project=ask.project, metric="", stage=None, lang=ask.language)
    document = ctx.project_report(ask.project)  # the same document the report files are made from
    page = page_of(len(document.table.run_ids), ask.page, report.FULL_PAGE_SIZE)
    return report.render_full_report(document, project=ask.project, page=page, lang=ask.language)


def answer_onboard(ctx: Contexta, ask: Ask) -> Rendered:
    summary = ctx.onboarding_summary(
        ask.project,
        metric=ask.metric,
        stage_name=ask.stage,
        higher_is_better=None if ask.lower_is_better is None else not ask.lower_is_better,
    )
    return render_onboarding(summary, lang=ask.language)


def answer_compare(ctx: Contexta, ask: Ask) -> Rendered:
    left, right = ask.runs[0], ask.runs[1]
    try:
        comparison = ctx.compare_runs(left, right)
    except UnknownRunError as typed:
        if not ask.project:
            raise
        try:  # bare names may be ambiguous across projects; inside the known project they are not
            comparison = ctx.compare_runs(qualified(left, ask.project), qualified(right, ask.project))
        except UnknownRunError:
            raise typed from None
    return render_compare(comparison, lang=ask.language)


def answer_projects(ctx: Contexta, ask: Ask) -> Rendered:
    records = ctx.list_project_records()
    page = page_of(len(records), ask.page, projects.PAGE_SIZE)
    pending = None if records else pending_import(ctx)
    return projects.render_projects(
        records,
        page=page,
        channel_default=ask.default_project,
        lang=ask.language,
        pending_import=pending.command if pending else None,
    )


def answer_help(ctx: Contexta, ask: Ask) -> Rendered:
    return render_help(ask.language, topic=ask.topic, default_project=ask.default_project)


HANDLERS: dict[str, Callable[[Contexta, Ask], Rendered]] = {
    "runs": answer_runs,
    "trend": answer_trend,
    "trend_chart": answer_trend_chart,
    "deployments": answer_deployments,
    "best": answer_best,
    "report": answer_report,
    "full_report": answer_full_report,
    "onboard": answer_onboard,
    "compare": answer_compare,
    "projects": answer_projects,
    "help": answer_help,
}
NEEDS_PROJECT = frozenset(
    {"runs", "trend", "trend_chart", "deployments", "best", "report", "full_report", "onboard"}
)
