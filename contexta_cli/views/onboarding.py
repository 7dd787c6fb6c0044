"""The five onboarding answers as one terminal page, numbered the way a newcomer asks them.

1 runs · 2 metric over time · 3 deployments · 4 best run · 5 report. Every section says something
even when the history is thin (no deployments, no metric yet), because an empty section reads as
a bug.
"""

from __future__ import annotations

import shlex

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from contexta_core.render.document import report_title
from contexta_core.results import OnboardingSummary

from ..formatting import format_value
from .answers import best_text, direction, metric_label, notes_text, trend_text
from .report import report_table
from .tables import deployed_by_run, deployments_table, runs_table


def heading(number: int, title: str, detail: str = "") -> Rule:
    text = Text.assemble(
        (f"{number}. ", "bold cyan"), (title, "bold"), (f"  {detail}" if detail else "", "dim")
    )
    return Rule(text, align="left", style="dim")


def hint(command: str) -> Text:
    return Text.assemble(("→ ", "dim"), (command, "cyan"))


def _runs(summary: OnboardingSummary, project: str) -> list[RenderableType]:
    counts = summary.status_counts
    detail = (
        "all completed"
        if set(counts) == {"completed"}
        else ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    )
    parts: list[RenderableType] = [heading(1, f"Training runs: {summary.run_count}", detail)]
    if not summary.runs:
        return [*parts, Text("no runs recorded yet", style="yellow")]
    live = summary.live.deployment.run_id if summary.live else None
    deployed = deployed_by_run(a.deployment for a in summary.deployments)
    parts.append(
        runs_table(summary.runs, deployed, live_run_id=live, first_number=summary.runs_truncated + 1)
    )
    if summary.runs_truncated:
        parts.append(hint(f"{summary.runs_truncated} earlier runs: contexta runs {project}"))
    return parts


def _trend(summary: OnboardingSummary, label: str) -> list[RenderableType]:
    body = (
        trend_text(summary.trend, summary.scope.higher_is_better)
        if summary.trend
        else Text(f"no run recorded {label}", style="yellow")
    )
    return [heading(2, f"{label} over time"), body]


def _deployments(summary: OnboardingSummary) -> list[RenderableType]:
    title = f"Deployments: {len(summary.deployments)}"
    if not summary.deployments:
        return [heading(3, title), Text("nothing has been deployed yet", style="yellow")]
    live = summary.live.deployment if summary.live else None
    detail = f"live: {live.name} → {live.run_name or '?'}" if live else "none live"
    return [heading(3, title, detail), deployments_table(summary.deployments, summary.scope.metric_key)]


def _best(summary: OnboardingSummary, label: str) -> list[RenderableType]:
    parts: list[RenderableType] = [
        heading(4, f"Best run by {label}", direction(summary.scope.higher_is_better))
    ]
    best, live = summary.best, summary.live
    if best is None:
        return [*parts, Text(f"no run recorded {label}", style="yellow")]
    parts.append(best_text(best, criteria=False))
    if summary.best_is_live and live is not None:
        parts.append(Text.assemble(("● live", "bold green"), f" in production as {live.deployment.name}"))
    elif live is not None:
        serving = live.deployment
        parts.append(
            Text.assemble(
                ("○ not live", "bold yellow"),
                f": production serves {serving.run_name or '?'} ({serving.name}, {format_value(live.metric_value)})",
            )
        )
    else:
        parts.append(Text.assemble(("○ not live", "bold yellow"), ": nothing is in production"))
    return parts


def _report(summary: OnboardingSummary, project: str, label: str) -> list[RenderableType]:
    preview = summary.report
    if preview is None:
        return [heading(5, "Report"), Text("no runs to report on yet", style="yellow")]
    ranked = summary.trend is not None and bool(summary.trend.points)
    shown = (
        f"top {preview.shown_runs} by {summary.scope.metric_key}"
        if ranked
        else f"latest {preview.shown_runs}"
    )
    parts: list[RenderableType] = [heading(5, f"Report: {report_title(preview.total_runs)}", shown)]
    if preview.table is not None:
        parts.append(report_table(preview.table, label))
    parts.append(hint(f"full report: contexta report {project} --format md|json|csv|html"))
    return parts


def onboarding_view(summary: OnboardingSummary) -> Group:
    project = summary.project
    label = metric_label(summary.scope.metric_key, summary.scope.stage_name)
    quoted = shlex.quote(project.name)
    title = Text(project.name, style="bold")
    if project.description:
        title.append(f" · {project.description}", style="dim")
    parts: list[RenderableType] = [Rule(title, style="cyan"), Text()]
    for section in (
        _runs(summary, quoted),
        _trend(summary, label),
        _deployments(summary),
        _best(summary, label),
        _report(summary, quoted, label),
    ):
        parts.extend([*section, Text()])
    if summary.notes:
        parts.append(notes_text([note.message for note in summary.notes]))
    return Group(*parts)
