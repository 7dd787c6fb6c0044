"""Each answer kind of `contexta_core.ask` as a Block Kit message: one renderer per result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.rendering import deployments, projects, report, runs, trend
from bot.rendering.best import render_best
from bot.rendering.blocks import Rendered
from bot.rendering.clarify import render_choose_project, render_choose_reading, render_off_topic
from bot.rendering.compare import render_compare
from bot.rendering.help import render_help, render_question_help
from bot.rendering.news import render_news
from bot.rendering.onboarding import render_onboarding
from contexta_core.ask import answers as a
from contexta_core.ask.answers import Ask
from contexta_core.ask.requests import Clarify, OffTopic, QuestionHelp, Unclear


def _runs(result: a.RunsAnswer, lang: str) -> Rendered:
    return runs.render_runs(
        result.project,
        result.runs,
        page=result.page,
        status_counts=result.status_counts,
        deployed=result.deployed,
        lang=lang,
    )


def _trend(result: a.TrendAnswer, lang: str) -> Rendered:
    return trend.render_trend(
        result.trend, page=result.page, higher_is_better=result.scope.higher_is_better, lang=lang
    )


def _trend_chart(result: a.TrendAnswer, lang: str) -> Rendered:
    """The "Trend chart" button: a caption only; the chart itself is the answer's file."""
    return trend.render_chart_caption(result.trend, lang=lang)


def _deployments(result: a.DeploymentsAnswer, lang: str) -> Rendered:
    metric = result.scope.metric_key if result.scope else None
    return deployments.render_deployments(
        result.project, result.deployments, metric=metric, page=result.page, lang=lang
    )


def _best(result: a.BestAnswer, lang: str) -> Rendered:
    scope = result.scope
    return render_best(
        result.best,
        project=scope.project,
        metric=scope.metric_key,
        stage=scope.stage_name,
        higher_is_better=scope.higher_is_better,
        deployments=result.deployments,
        lang=lang,
    )


def _report(result: a.ReportAnswer, lang: str) -> Rendered:
    scope = result.scope
    return report.render_report(
        result.preview,
        project=scope.project,
        metric=scope.metric_key if result.ranked else None,  # else the latest runs are shown
        stage=scope.stage_name,
        lang=lang,
    )


def _full_report(result: a.FullReportAnswer, lang: str) -> Rendered:
    if result.document is None:
        return report.render_report(None, project=result.project, metric="", stage=None, lang=lang)
    return report.render_full_report(result.document, project=result.project, page=result.page, lang=lang)


def _projects(result: a.ProjectsAnswer, lang: str) -> Rendered:
    return projects.render_projects(
        result.projects,
        page=result.page,
        channel_default=result.default_project,
        lang=lang,
        pending_import=result.pending_import,
    )


RENDERERS: dict[str, Callable[[Any, str], Rendered]] = {
    "runs": _runs,
    "trend": _trend,
    "trend_chart": _trend_chart,
    "deployments": _deployments,
    "best": _best,
    "report": _report,
    "full_report": _full_report,
    "onboard": lambda result, lang: render_onboarding(result.summary, lang=lang),
    "compare": lambda result, lang: render_compare(result.comparison, lang=lang),
    "projects": _projects,
    "news": render_news,
    "help": lambda result, lang: render_help(
        lang, topic=result.topic, default_project=result.default_project
    ),
}


def render_answer(intent: str, result: a.Result, lang: str) -> Rendered:
    """The message for the `intent` answer `result`."""
    return RENDERERS[intent](result, lang)


def slack_payload(
    request: Ask | Clarify | QuestionHelp | OffTopic | Unclear, result: a.Result | None
) -> dict[str, Any]:
    """The Slack message (fallback text and blocks) the bot would post for `request` and its
    `result`: the ``slack`` entry point of ``contexta.answer_payloads``, for ``contexta ask --slack``."""
    if isinstance(request, QuestionHelp):
        rendered = render_question_help(request.language)
    elif isinstance(request, OffTopic):
        rendered = render_off_topic(request.language)
    elif isinstance(request, Unclear):
        rendered = render_choose_reading(request.readings, lang=request.language)
    elif isinstance(request, Clarify):
        ask = request.ask
        rendered = render_choose_project(
            request.choices,
            intent=ask.intent,
            metric=ask.metric,
            lang=ask.language,
            ambiguous=request.ambiguous,
        )
    else:
        rendered = render_answer(request.intent, result, request.language)
    return {"text": rendered.text, "blocks": rendered.blocks}
