"""Runs answer: how many runs a project has and their names in time order, deployed ones marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, line_sections, section
from bot.rendering.i18n import status_counts as status_counts_text
from bot.rendering.i18n import status_label, t
from bot.rendering.paging import Page, position, show_more
from contexta_core.results import RunRecord


def render_runs(
    project: str,
    runs: Sequence[RunRecord],
    *,
    page: Page,
    status_counts: Mapping[str, int],
    deployed: Mapping[str, Sequence[str]],
    lang: str,
) -> Rendered:
    """`runs` is the page's slice (oldest first); `deployed` maps run id → deployment names."""
    name = fmt.escape(project)
    if page.total == 0:
        message = t(lang, "runs.none", project=fmt.code(project))
        return finish([section(message)], message)
    statuses = status_counts_text(status_counts, lang)
    summary = t(lang, "runs.summary", count=page.total, project=fmt.code(project), statuses=statuses)
    lines = [_line(run, deployed.get(run.run_id, ()), lang) for run in runs]
    blocks = [header(t(lang, "runs.header", project=project)), section(summary), *line_sections(lines)]
    marks = [t(lang, "runs.legend")] if any(deployed.get(r.run_id) for r in runs) else []
    if position(page, lang):
        marks.append(position(page, lang))
    if marks:
        blocks.append(context(" · ".join(marks)))
    if page.has_more:
        blocks.append(show_more("runs", project, page, lang))
    names = ", ".join(fmt.escape(r.name) for r in runs[:10]) + (" …" if len(runs) > 10 else "")
    text = t(lang, "runs.fallback", project=name, count=fmt.count(page.total), names=names)
    return finish(blocks, text)


def _line(run: RunRecord, deployments: Sequence[str], lang: str) -> str:
    line = f"• `{fmt.day(run.started_at)}` *{fmt.escape(fmt.clip_name(run.name, fmt.NAME_WIDTH))}* · {status_label(run.status, lang)}"
    if deployments:
        shown = ", ".join(fmt.escape(fmt.clip_name(d, 40)) for d in deployments[:3])
        more = f" +{len(deployments) - 3}" if len(deployments) > 3 else ""
        line += f"  :rocket: {shown}{more}"
    return line
