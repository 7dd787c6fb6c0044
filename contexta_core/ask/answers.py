"""One function per answer kind: an `Ask` in, a plain result object out.

Commands, questions and button clicks all become an `Ask`, so `/contexta best`, "what's our best
run?", a "Choose" click and `contexta ask "which run is best?"` get the same answer; the surfaces
only render the result (Block Kit in `bot.rendering`, text and JSON in `contexta_cli`). Errors
(`ContextaError`) propagate; each surface turns them into a reply in one place.

`answer_files` is the other half of some answers: the files that go with them (the trend chart,
the report as Markdown and HTML), asked of `contexta_core.render.files` like any other query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from contexta_core import Contexta
from contexta_core.contract import LIFECYCLE_STATUSES
from contexta_core.errors import UnknownMetricError, UnknownRunError, UnknownStageError
from contexta_core.importers.detect import pending_import
from contexta_core.news import Viewer, WhatsNew
from contexta_core.render.document import ReportDocument
from contexta_core.render.files import ExportedFile, export_project_report, trend_chart
from contexta_core.render.report_files import shareable_report_files
from contexta_core.results import (
    BestRun,
    DeploymentAnswer,
    MetricScope,
    MetricTrend,
    OnboardingSummary,
    ProjectRecord,
    ReportPreview,
    RunComparison,
    RunRecord,
)

from .paging import PAGE_SIZES, REPORT_TOP_N, Page, page_of
from .scope import qualified

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
    higher_is_better: bool | None = None  # None: the project's / metric's usual direction
    page: int = 1
    runs: tuple[str, ...] = ()
    topic: str | None = None  # `help <subcommand>`
    default_project: str | None = None  # the channel's (or terminal's) default, for marking it
    read_as: tuple[tuple[str, str], ...] = ()  # (typed, stored) names taken as near misses
    follow_up: bool = False  # took what it left out from the conversation's previous question
    viewer: Viewer | None = None  # who asks (team + person): whose "last seen" marks news reads and moves
    since: datetime | None = None  # news: from this moment instead of the viewer's marks (a next page)
    until: datetime | None = None  # news: as of this moment (a next page shows the same period)
    timezone: str | None = None  # the asker's IANA zone, for the times an answer shows (None: UTC)


# -- the answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunsAnswer:
    project: str
    page: Page
    runs: tuple[RunRecord, ...]  # the runs of `page`, oldest first
    status_counts: dict[str, int]
    deployed: dict[str, tuple[str, ...]]  # run id -> names of its deployments


@dataclass(frozen=True)
class TrendAnswer:
    scope: MetricScope
    trend: MetricTrend
    page: Page


@dataclass(frozen=True)
class DeploymentsAnswer:
    project: str
    scope: MetricScope | None  # None when the metric is not recorded: deployments without values
    deployments: tuple[DeploymentAnswer, ...]
    page: Page


@dataclass(frozen=True)
class BestAnswer:
    scope: MetricScope
    best: BestRun | None  # None: no run has the metric yet
    deployments: tuple[DeploymentAnswer, ...]


@dataclass(frozen=True)
class ReportAnswer:
    """The compact report: the top runs by the scope's metric, or the latest runs when the project
    does not record it (`ranked` False)."""

    scope: MetricScope
    ranked: bool
    preview: ReportPreview | None


@dataclass(frozen=True)
class FullReportAnswer:
    project: str
    document: ReportDocument | None  # None: the project has no runs yet
    page: Page


@dataclass(frozen=True)
class OnboardAnswer:
    summary: OnboardingSummary

    @property
    def scope(self) -> MetricScope:
        return self.summary.scope

    @property
    def trend(self) -> MetricTrend | None:
        return self.summary.trend


@dataclass(frozen=True)
class CompareAnswer:
    comparison: RunComparison


@dataclass(frozen=True)
class ProjectsAnswer:
    projects: tuple[ProjectRecord, ...]  # all of them, alphabetical; `page` picks the rows shown
    page: Page
    default_project: str | None
    pending_import: str | None = None  # the command importing history found here, when there is none yet


@dataclass(frozen=True)
class NewsAnswer:
    """What changed since the viewer last got an answer about each project (``contexta_core.news``)."""

    news: WhatsNew
    timezone: str | None
    page: int


@dataclass(frozen=True)
class HelpAnswer:
    topic: str | None  # a subcommand, for `help <subcommand>`
    default_project: str | None


Result = (
    RunsAnswer
    | TrendAnswer
    | DeploymentsAnswer
    | BestAnswer
    | ReportAnswer
    | FullReportAnswer
    | OnboardAnswer
    | CompareAnswer
    | ProjectsAnswer
    | NewsAnswer
    | HelpAnswer
)


def _scope(ctx: Contexta, ask: Ask) -> tuple[MetricScope, MetricTrend]:
    return ctx.resolve_scope(ask.project, ask.metric, ask.stage, ask.higher_is_better)


def answer_runs(ctx: Contexta, ask: Ask) -> RunsAnswer:
    total = ctx.count_runs(ask.project)
    page = page_of(total, ask.page, PAGE_SIZES["runs"])
    shown = ctx.list_runs(ask.project, limit=page.size, offset=page.start) if total else ()
    counts = {s: ctx.count_runs(ask.project, status=s) for s in LIFECYCLE_STATUSES} if total else {}
    deployed: dict[str, tuple[str, ...]] = {}
    for d in ctx.list_deployments(ask.project):
        deployed[d.run_id] = (*deployed.get(d.run_id, ()), d.name)
    return RunsAnswer(ask.project, page, tuple(shown), counts, deployed)


def answer_trend(ctx: Contexta, ask: Ask) -> TrendAnswer:
    scope, found = _scope(ctx, ask)
    return TrendAnswer(scope, found, page_of(len(found.points), ask.page, PAGE_SIZES["trend"]))


def _located(ctx: Contexta, ask: Ask) -> MetricScope:
    """The scope alone (no trend read): for answers that show a few runs' values, not the history."""
    return ctx.locate_scope(ask.project, ask.metric, ask.stage, ask.higher_is_better)


def answer_deployments(ctx: Contexta, ask: Ask) -> DeploymentsAnswer:
    try:
        scope = _located(ctx, ask)
    except (UnknownMetricError, UnknownStageError):  # deployments are worth showing without values
        scope = None
    answers = ctx.deployment_answers(ask.project, scope)
    page = page_of(len(answers), ask.page, PAGE_SIZES["deployments"])
    return DeploymentsAnswer(ask.project, scope, answers, page)


def answer_best(ctx: Contexta, ask: Ask) -> BestAnswer:
    scope = _located(ctx, ask)
    best = (
        ctx.best_run(
            scope.project,
            scope.metric_key,
            stage_name=scope.stage_name,
            higher_is_better=scope.higher_is_better,
        )
        if ctx.count_runs(scope.project)
        else None  # a project without runs (with runs, a scope found means a run has the metric)
    )
    return BestAnswer(scope, best, ctx.deployment_answers(ask.project, scope))


def answer_report(ctx: Contexta, ask: Ask) -> ReportAnswer:
    summary = ctx.onboarding_summary(ask.project, limit=REPORT_TOP_N)
    return ReportAnswer(summary.scope, summary.trend is not None, summary.report)


def answer_full_report(ctx: Contexta, ask: Ask) -> FullReportAnswer:
    if not ctx.count_runs(ask.project):
        return FullReportAnswer(ask.project, None, page_of(0, 1, PAGE_SIZES["full_report"]))
    document = ctx.project_report(ask.project)  # the same document the report files are made from
    page = page_of(len(document.table.run_ids), ask.page, PAGE_SIZES["full_report"])
    return FullReportAnswer(ask.project, document, page)


def answer_onboard(ctx: Contexta, ask: Ask) -> OnboardAnswer:
    return OnboardAnswer(
        ctx.onboarding_summary(
            ask.project, metric=ask.metric, stage_name=ask.stage, higher_is_better=ask.higher_is_better
        )
    )


def answer_compare(ctx: Contexta, ask: Ask) -> CompareAnswer:
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
    return CompareAnswer(comparison)


def answer_projects(ctx: Contexta, ask: Ask) -> ProjectsAnswer:
    records = ctx.list_project_records()
    page = page_of(len(records), ask.page, PAGE_SIZES["projects"])
    pending = None if records else pending_import(ctx)
    return ProjectsAnswer(tuple(records), page, ask.default_project, pending.command if pending else None)


def answer_news(ctx: Contexta, ask: Ask) -> NewsAnswer:
    news = ctx.news.whats_new(ask.viewer, ask.project, since=ask.since, until=ask.until, page=ask.page)
    return NewsAnswer(news, ask.timezone, ask.page)


def answer_help(ctx: Contexta, ask: Ask) -> HelpAnswer:
    return HelpAnswer(ask.topic, ask.default_project)


ANSWERS: dict[str, Callable[[Contexta, Ask], Result]] = {
    "runs": answer_runs,
    "trend": answer_trend,
    "trend_chart": answer_trend,
    "deployments": answer_deployments,
    "best": answer_best,
    "report": answer_report,
    "full_report": answer_full_report,
    "onboard": answer_onboard,
    "compare": answer_compare,
    "projects": answer_projects,
    "news": answer_news,
    "help": answer_help,
}
NEEDS_PROJECT = frozenset(
    {"runs", "trend", "trend_chart", "deployments", "best", "report", "full_report", "onboard"}
)


def answer(ctx: Contexta, ask: Ask) -> Result:
    """The result for `ask` (whose project, when its intent needs one, is already known)."""
    return ANSWERS[ask.intent](ctx, ask)


def answered_projects(ask: Ask, result: Result) -> tuple[str, ...]:
    """The projects an answer told its asker about (whose "last seen" marks it moves)."""
    if isinstance(result, NewsAnswer):
        return result.news.shown
    if isinstance(result, CompareAnswer):
        runs = (result.comparison.left_run, result.comparison.right_run)
        return tuple(dict.fromkeys(run.project_name for run in runs))
    if isinstance(result, ProjectsAnswer | HelpAnswer):
        return ()
    return (ask.project,) if ask.project else ()


def mark_answered(ctx: Contexta, ask: Ask, result: Result, asked_at: datetime) -> None:
    """After an answer is rendered: its asker has now seen its projects as of ``asked_at`` (news: as
    of the moment it was computed), so the next "what's new" starts there."""
    if ask.viewer is None:
        return
    at = result.news.until if isinstance(result, NewsAnswer) else asked_at
    ctx.news.mark_seen(ask.viewer, answered_projects(ask, result), at=at)


def scope_of(result: Result) -> MetricScope | None:
    """The metric scope an answer was resolved in (None for answers about no metric)."""
    return getattr(result, "scope", None)


# -- the files that go with an answer ---------------------------------------------------------


def answer_files(ctx: Contexta, ask: Ask, result: Result) -> tuple[ExportedFile, ...]:
    """The files that go with `result`, the first answer to `ask`: none when there is nothing to
    draw or report.

    The chart is drawn in the scope the answer was resolved in, so picture and words never
    disagree; a run-level metric (no stage), which the core's chart cannot place, comes without one.
    """
    if ask.intent in CHART_INTENTS:
        scope, trend = scope_of(result), getattr(result, "trend", None)
        if scope is None or trend is None or not trend.points:
            return ()
        key = ("chart", scope)
        return (_reused(ctx, key, lambda: trend_chart(ctx, scope, trend)),)
    runs = ctx.count_runs(ask.project) if ask.intent in REPORT_INTENTS else 0
    if runs > REUSE_REPORTS_UP_TO:  # complete while small enough to open, else a summary and the CSV
        return shareable_report_files(ctx, ask.project)
    if runs:
        return tuple(
            _reused(ctx, ("report", ask.project, fmt), partial(export_project_report, ctx, ask.project, fmt))
            for fmt in REPORT_FORMATS
        )
    return ()


def _reused(ctx: Contexta, key: tuple, make: Callable[[], ExportedFile]) -> ExportedFile:
    """`make()`, the file `key` names, kept while the workspace data is unchanged: the same chart and report are
    asked for again and again (every onboarding, every "Full report" click), and drawing one takes a
    noticeable fraction of a second. A PNG stays small (~100–200 KB) however many runs it shows;
    reports grow with the runs, so only those of projects up to `REUSE_REPORTS_UP_TO` runs are kept."""
    with ctx.database.reading() as conn:
        version = ctx.database.data_version(conn)
    return ctx.cache.get_or_compute(("ask.files", *key), version, make)
