"""Deployments answer: each deployment → its run, date and that run's metric value; which one is live."""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, line_sections, section
from bot.rendering.i18n import status_label, t
from bot.rendering.paging import Page, position, show_more
from contexta_core.results import DeploymentAnswer


def live_line(live: DeploymentAnswer | None, metric: str | None, lang: str) -> str:
    """One sentence about what serves now (shared with the best-run and onboarding answers)."""
    if live is None:
        return t(lang, "deploy.no_live")
    d = live.deployment
    return t(
        lang,
        "deploy.live" if metric and live.metric_value is not None else "deploy.live_no_value",
        deployment=fmt.code(d.name, 40),
        run=fmt.code(d.run_name or "?"),
        metric=fmt.escape(metric or ""),
        value=fmt.number(live.metric_value),
        since=fmt.day(d.started_at),
    )


def render_deployments(
    project: str,
    answers: Sequence[DeploymentAnswer],
    *,
    metric: str | None,
    page: Page,
    lang: str,
) -> Rendered:
    """`answers` holds every deployment in the order they happened; `page` picks the rows shown.

    `metric` is None when the project does not record its primary metric: no values are shown.
    """
    top = header(t(lang, "deploy.header", project=project))
    if not answers:
        message = t(lang, "deploy.none", project=fmt.code(project))
        return finish([top, section(message)], message)
    live = next((a for a in answers if a.is_live), None)
    summary = t(lang, "deploy.summary", count=len(answers), project=fmt.code(project))
    blocks = [top, section(f"{summary}\n{live_line(live, metric, lang)}")]
    lines = [_line(a, metric, lang) for a in answers[page.start : page.end]]
    blocks += line_sections(lines)
    notes = [t(lang, "deploy.legend", metric=fmt.escape(metric))] if metric else []
    if position(page, lang):
        notes.append(position(page, lang))
    if notes:
        blocks.append(context(" · ".join(notes)))
    if page.has_more:
        blocks.append(show_more("deployments", project, page, lang))
    if live is not None:
        text = t(
            lang,
            "deploy.fallback",
            count=len(answers),
            project=fmt.escape(project),
            deployment=fmt.escape(live.deployment.name),
            run=fmt.escape(live.deployment.run_name or "?"),
        )
    else:
        text = t(lang, "deploy.fallback_none_live", count=len(answers), project=fmt.escape(project))
    return finish(blocks, text)


def _line(answer: DeploymentAnswer, metric: str | None, lang: str) -> str:
    d = answer.deployment
    line = (
        f"• `{fmt.day(d.started_at)}` *{fmt.escape(fmt.clip_name(d.name, 40))}* → "
        f"{fmt.escape(fmt.clip_name(d.run_name or '?', fmt.NAME_WIDTH))}"
    )
    if metric:
        line += f" · {fmt.escape(metric)} *{fmt.number(answer.metric_value)}*"
    line += f" · {status_label(d.status, lang)}"
    if d.environment != "production":
        line += f" · {fmt.escape(fmt.clip(d.environment, 30))}"
    if answer.is_live:
        line += f"  :large_green_circle: *{t(lang, 'deploy.live_mark')}*"
    return line
