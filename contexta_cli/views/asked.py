"""The answers of `contexta ask` in the terminal: one view per answer kind of `contexta_core.ask`.

They reuse the views of the commands that answer the same thing (`runs`, `best`, `trend`…), so a
question reads like the command it stands for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from contexta_core.ask import answers as a
from contexta_core.ask.requests import Clarify
from contexta_core.render.document import report_title

from ..formatting import plural
from .answers import best_text, metric_label, trend_table, trend_text
from .comparison import comparison_view
from .news import news_view
from .onboarding import onboarding_view
from .report import report_table
from .tables import deployments_table, runs_table

EXAMPLE_QUESTIONS = (
    "how many training runs are there?",
    "how did accuracy change over time?",
    "which runs were deployed to production?",
    "which run is the best on f1?",
    "is there a report comparing all runs?",
    "가장 좋은 실행은 뭐야?",
)


def _runs(result: a.RunsAnswer) -> RenderableType:
    header = Text.assemble((result.project, "bold"), f" · {plural(result.page.total, 'run')}")
    if not result.runs:
        return header
    page = result.page
    parts: list[RenderableType] = [
        header,
        runs_table(result.runs, result.deployed, first_number=page.start + 1),
    ]
    if page.has_more:
        parts.append(Text(f"the first {page.end:,} of {page.total:,} runs (`contexta runs` for all)", "dim"))
    return Group(*parts)


def _trend(result: a.TrendAnswer) -> RenderableType:
    parts: list[RenderableType] = [trend_text(result.trend, result.scope.higher_is_better)]
    if result.trend.points:
        parts.append(trend_table(result.trend))
    return Group(*parts)


def _deployments(result: a.DeploymentsAnswer) -> RenderableType:
    header = Text.assemble((result.project, "bold"), f" · {plural(len(result.deployments), 'deployment')}")
    live = next((d for d in result.deployments if d.is_live), None)
    if live is not None:
        header.append(f" · live: {live.deployment.name} → {live.deployment.run_name or '?'}")
    if not result.deployments:
        return header
    metric = result.scope.metric_key if result.scope else ""
    return Group(header, deployments_table(result.deployments, metric))


def _best(result: a.BestAnswer) -> RenderableType:
    scope = result.scope
    if result.best is None:
        return Text(f"no run recorded {metric_label(scope.metric_key, scope.stage_name)}", style="yellow")
    mine = [d.deployment.name for d in result.deployments if d.deployment.run_id == result.best.run_id]
    deployed = (
        Text.assemble(("deployed as ", "dim"), (", ".join(mine), "green"))
        if mine
        else Text("never deployed", "dim")
    )
    return Group(best_text(result.best), deployed)


def _report(result: a.ReportAnswer) -> RenderableType:
    preview, scope = result.preview, result.scope
    if preview is None or preview.table is None:
        return Text(f"{scope.project} has no runs to report on yet", style="yellow")
    label = metric_label(scope.metric_key, scope.stage_name)
    shown = f"top {preview.shown_runs} by {label}" if result.ranked else f"latest {preview.shown_runs}"
    title = Text.assemble((report_title(preview.total_runs), "bold"), f"  {shown}")
    return Group(title, report_table(preview.table, label if result.ranked else None))


# The intents a question can have (the router's); button-only answers have no terminal view.
VIEWS: dict[str, Callable[[Any], RenderableType]] = {
    "runs": _runs,
    "trend": _trend,
    "deployments": _deployments,
    "best": _best,
    "report": _report,
    "onboard": lambda result: onboarding_view(result.summary),
    "compare": lambda result: comparison_view(result.comparison),
    "help": lambda result: question_help(),
    "news": lambda result: news_view(result.news, result.timezone or "UTC"),
}


def answer_view(intent: str, result: a.Result) -> RenderableType:
    scope = a.scope_of(result)
    if scope is None or intent in ("runs", "compare", "projects", "help", "full_report"):
        return VIEWS[intent](result)
    return Group(VIEWS[intent](result), reading_line(scope))


WHY = {
    "stored": "the project's stored default",
    "inferred": "the metric most of its runs record",
    "asked": "as asked",
    "fallback": "the default; nothing recorded yet",
}


def reading_line(scope) -> Text:
    """How the question was read, and how to read it otherwise."""
    where = f" on {scope.stage_name}" if scope.stage_name else " (run level)"
    direction = "higher is better" if scope.higher_is_better else "lower is better"
    return Text(
        f"Read as {scope.project} · {scope.metric_key}{where} · {direction} ({WHY.get(scope.chosen_by, '')}). "
        "Change it: name a metric, say “lowest”/“highest”, or --project.",
        style="dim",
    )


def unclear_view(unclear) -> RenderableType:
    """The two likeliest readings of a question that could not be placed."""
    lines = [Text("I'm not sure what you're asking. Did you mean:", style="bold")]
    for ask in unclear.readings:
        of = f" of {ask.project}" if ask.project else ""
        by = f" by {ask.metric}" if ask.metric else ""
        lines.append(Text.assemble("  ", (f"{ask.intent}{by}{of}", "cyan")))
    lines.append(Text("Ask again with the words of the one you mean.", style="dim"))
    return Group(*lines)


def off_topic_view() -> RenderableType:
    lines = [Text("I only know about your model projects' runs. For example:", style="bold")]
    lines += [Text.assemble("  ", (q, "cyan")) for q in EXAMPLE_QUESTIONS]
    return Group(*lines)


def clarify_view(clarify: Clarify) -> RenderableType:
    """The question back: which projects would answer it, and how to name one."""
    if not clarify.choices:
        return Text("No projects yet. Try `contexta demo` for an example.", style="yellow")
    which = "The question matches several projects" if clarify.ambiguous else "Which project do you mean?"
    lines = [Text(which, style="bold")]
    lines += [Text.assemble("  ", (name, "cyan")) for name in clarify.choices]
    lines.append(Text("Name one in the question, or pass --project.", style="dim"))
    return Group(*lines)


def question_help() -> RenderableType:
    lines = [Text("I can answer questions about a project's runs, for example:", style="bold")]
    lines += [Text.assemble("  ", (q, "cyan")) for q in EXAMPLE_QUESTIONS]
    return Group(*lines)
