"""`contexta news`: what changed in each project since a moment, as Rich renderables."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from contexta_core.news import ProjectNews, WhatsNew
from contexta_core.text_safety import printable

from ..formatting import format_value
from .tables import new_table


def _when(moment: datetime, zone: str) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")


def news_view(news: WhatsNew, zone: str) -> RenderableType:
    parts: list[RenderableType] = [_project(item, zone) for item in news.projects]
    if news.more_projects:
        parts.append(Text(f"{news.more_projects} more project(s) have news (--page 2).", style="dim"))
    for item in news.quiet:
        parts.append(Text(f"Nothing new on {printable(item.project)} {_period(item, zone)}.", style="dim"))
    if not parts:
        parts.append(Text("Nothing new.", style="dim"))
    return Group(*parts)


def _period(item: ProjectNews, zone: str) -> str:
    changes = item.changes
    return f"since {_when(changes.since, zone)} ({zone})"


def _project(item: ProjectNews, zone: str) -> RenderableType:
    c = item.changes
    title = Text.assemble((printable(c.project), "bold"), f" — {_period(item, zone)}")
    counts = Text(
        f"{c.changed_count} run(s): {c.started_count} new, {c.completed_count} completed, "
        f"{c.failed_count} failed · {c.deployment_count} deployment(s)"
    )
    parts: list[RenderableType] = [title, counts]
    if c.new_best is not None:
        best = c.new_best
        metric = (
            f"{c.scope.stage_name}/{c.scope.metric_key}"
            if c.scope and c.scope.stage_name
            else c.scope.metric_key
        )
        previous = (
            f" (previous best {printable(best.previous_run_name or '?')} {format_value(best.previous_value)})"
            if best.previous_value is not None
            else ""
        )
        live = "live" if best.is_live else "not deployed"
        parts.append(
            Text(
                f"★ new best: {printable(best.run_name)} {metric} {format_value(best.value)}{previous}, {live}",
                style="yellow",
            )
        )
    if c.runs:
        table = new_table("run", "status", "value", "when", "last error")
        failed = {r.run_id: r for r in c.failed_runs}
        for run in c.runs:
            error = (failed.get(run.run_id) or run).last_error
            table.add_row(
                printable(run.name),
                run.status,
                format_value(run.value),
                _when(run.changed_at, zone),
                printable(" ".join(error.split()))[:120] if error else "",
            )
        parts.append(table)
    for run in c.failed_runs:
        if run.run_id not in {r.run_id for r in c.runs}:
            parts.append(
                Text(
                    f"✗ {printable(run.name)} failed {_when(run.changed_at, zone)}: {printable(run.last_error or '—')}",
                    style="red",
                )
            )
    if c.deployments:
        table = new_table("deployment", "run", "status", "when")
        for d in c.deployments:
            table.add_row(
                printable(d.name), printable(d.run_name or "?"), d.status, _when(d.started_at, zone)
            )
        parts.append(table)
    shown = c.page * c.limit
    rest = max(c.changed_count, c.failed_count, c.deployment_count) - shown
    if rest > 0:
        parts.append(Text(f"… and more (--page {c.page + 1})", style="dim"))
    parts.append(Text(""))
    return Group(*parts)
