"""Alert messages (a watched project's new best, deployments, regressions, failures) and the
replies of `/contexta watch`, `watch list` and `unwatch`, as Block Kit in the watch's language.

An alert carries "Compare with production" (the new best against the live run) and "Trend chart"
buttons; their clicks are the answers' own buttons (``bot.listeners.actions``), so they answer in
the alert's thread like any other answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.best import COMPARE_PRODUCTION
from bot.rendering.blocks import Rendered, actions, button, context, finish, header, section
from bot.rendering.i18n import t
from bot.rendering.subscriptions import pause_reason
from bot.rendering.trend import metric_label, trend_chart_button
from contexta_core.access import ACCESS_PAUSE_CODE, OWNER_PAUSE_CODE
from contexta_core.alerts import AlertDeployment, AlertSummary, NewBest, Watch

ERROR_CHARS = 300


def _in_code_span(name: str) -> str:
    """A name written inside a command's code span (no backticks of its own)."""
    return fmt.escape(fmt.clip(name, 80).replace("`", ""))


def kinds_label(kinds: Sequence[str], lang: str) -> str:
    return ", ".join(t(lang, f"alert.kind.{kind}") for kind in kinds)


def render_alert(summary: AlertSummary, *, lang: str) -> Rendered:
    """One alert message: what changed, the buttons to look closer, and how to stop it."""
    project = summary.project_name
    label = metric_label(summary.metric_key, summary.stage_name) if summary.metric_key else None
    blocks = [header(t(lang, "alert.header", project=project))]
    parts: list[str] = []
    if summary.new_runs and (summary.new_runs > 1 or summary.new_best is None):
        blocks.append(section(t(lang, "alert.runs", count=summary.new_runs)))
    if summary.new_runs:
        parts.append(t(lang, "alert.fb_runs", count=summary.new_runs))
    if summary.new_best is not None and label:
        blocks.append(section(_new_best(summary.new_best, label, summary.higher_is_better, lang)))
        best = summary.new_best
        parts.append(
            t(
                lang,
                "alert.fb_best",
                metric=fmt.escape(label),
                value=fmt.number(best.value),
                run=fmt.escape(best.run.name),
            )
        )
    for deployment in summary.deployments:
        blocks.append(section(_deployment(deployment, label, lang)))
        run = deployment.run.name if deployment.run else "—"
        parts.append(t(lang, "alert.fb_deployment", name=fmt.escape(deployment.name), run=fmt.escape(run)))
        if deployment.regression:
            parts.append(t(lang, "alert.fb_regression", name=fmt.escape(deployment.name)))
    if summary.deployment_count > len(summary.deployments):
        blocks.append(
            context(
                t(lang, "alert.deployments_more", count=summary.deployment_count - len(summary.deployments))
            )
        )
    for failure in summary.failures:
        error = (
            t(lang, "alert.failure_error", error=fmt.code(fmt.clip(failure.error, ERROR_CHARS), ERROR_CHARS))
            if failure.error
            else t(lang, "alert.failure_no_error")
        )
        blocks.append(section(t(lang, "alert.failure", run=fmt.code(failure.run.name), error=error)))
    if summary.failure_count:
        parts.append(t(lang, "alert.fb_failed", count=summary.failure_count))
    if summary.failure_count > len(summary.failures):
        blocks.append(
            context(t(lang, "alert.failures_more", count=summary.failure_count - len(summary.failures)))
        )
    buttons = _buttons(summary, lang)
    if buttons:
        blocks.append(actions(*buttons))
    footer = t(lang, "alert.footer", project=_in_code_span(project), kinds=kinds_label(summary.kinds, lang))
    blocks.append(context(footer))
    text = t(lang, "alert.fallback", project=fmt.escape(project), parts="; ".join(parts))
    return finish(blocks, text)


def _new_best(best: NewBest, label: str, higher: bool, lang: str) -> str:
    if best.previous is not None and best.previous.value is not None:
        line = t(
            lang,
            "alert.new_best",
            metric=fmt.code(label),
            run=fmt.code(best.run.name),
            value=fmt.number(best.value),
            change=fmt.delta(best.value - best.previous.value),
            previous=fmt.code(best.previous.name),
            previous_value=fmt.number(best.previous.value),
        )
    else:
        line = t(
            lang,
            "alert.new_best_first",
            metric=fmt.code(label),
            run=fmt.code(best.run.name),
            value=fmt.number(best.value),
        )
    if best.is_live:
        live = t(lang, "alert.best_is_live")
    elif best.live is not None:
        live = t(lang, "alert.best_not_live", run=fmt.code(best.live.name), value=fmt.number(best.live.value))
    else:
        live = t(lang, "alert.best_no_live")
    return f"{line}\n{live}"


def _value(deployment: AlertDeployment, label: str | None, lang: str) -> str:
    run = deployment.run
    if run is None or run.value is None or not label:
        return ""
    return t(lang, "alert.value", metric=fmt.code(label), value=fmt.number(run.value))


def _deployment(deployment: AlertDeployment, label: str | None, lang: str) -> str:
    name, environment = fmt.code(deployment.name), fmt.code(deployment.environment)
    if deployment.run is None:
        lines = [t(lang, "alert.deployment_no_run", name=name, environment=environment)]
    else:
        lines = [
            t(
                lang,
                "alert.deployment",
                name=name,
                environment=environment,
                run=fmt.code(deployment.run.name),
                value=_value(deployment, label, lang),
            )
        ]
    replaced = deployment.replaces
    if replaced is None:
        lines.append(t(lang, "alert.replaces_first", environment=environment))
    else:
        lines.append(
            t(
                lang,
                "alert.replaces",
                name=fmt.code(replaced.name),
                run=fmt.code(replaced.run.name) if replaced.run else "—",
                value=_value(replaced, label, lang),
            )
        )
    if deployment.regression and label:
        new, old = deployment.run.value, replaced.run.value
        lines.append(
            t(
                lang,
                "alert.regression",
                metric=fmt.code(label),
                value=fmt.number(new),
                previous_value=fmt.number(old),
                change=fmt.delta(new - old),
            )
        )
    return "\n".join(lines)


def _buttons(summary: AlertSummary, lang: str) -> list:
    """Compare with production (the new best, or the new deployment, against what it replaces)
    and the metric's trend chart."""
    project = summary.project_name
    found = []
    pair = None
    best = summary.new_best
    if best is not None and best.live is not None and not best.is_live:
        pair = (best.run.run_id, best.live.run_id)
    elif summary.deployments:
        latest = summary.deployments[-1]
        if (
            latest.run
            and latest.replaces
            and latest.replaces.run
            and latest.run.run_id != latest.replaces.run.run_id
        ):
            pair = (latest.run.run_id, latest.replaces.run.run_id)
    if pair is not None:
        value = {"project": project, "best": pair[0], "live": pair[1], "lang": lang}
        found.append(button(t(lang, "button.compare_live"), COMPARE_PRODUCTION, value))
    if summary.metric_key:
        found.append(trend_chart_button(project, lang, metric=summary.metric_key, stage=summary.stage_name))
    return found


# -- `/contexta watch …` replies ----------------------------------------------------------------------


def _metric_note(watch: Watch, lang: str) -> str:
    return t(lang, "watch_command.metric", metric=fmt.code(watch.metric_key)) if watch.metric_key else ""


def render_watched(watch: Watch, *, created: bool, lang: str) -> Rendered:
    key = "watch_command.created" if created else "watch_command.updated"
    message = t(
        lang,
        key,
        project=fmt.code(watch.project_name),
        kinds=kinds_label(watch.kinds, lang),
        metric=_metric_note(watch, lang),
    )
    return finish([section(message)], message)


def render_watch_list(watches: Sequence[Watch], *, lang: str) -> Rendered:
    if not watches:
        message = t(lang, "watch_command.list_none")
        return finish([section(message)], message)
    lines = []
    for watch in watches:
        line = t(
            lang,
            "watch_command.list_item",
            project=fmt.code(watch.project_name),
            kinds=kinds_label(watch.kinds, lang),
            metric=_metric_note(watch, lang),
        )
        if watch.status == "paused":
            line += t(
                lang,
                _paused_line(watch.paused_reason),
                reason=fmt.escape(pause_reason(watch.paused_reason, lang, kind="watch")),
                project=_in_code_span(watch.project_name),
            )
        lines.append(line)
    body = "\n".join(lines)
    title = t(lang, "watch_command.list_header")
    return finish([header(title), section(body)], f"{title}: {body}")


def _paused_line(reason: str | None) -> str:
    """How a paused watch's line goes on. Paused for access resumes by itself, so watching again
    (which would be refused) is not suggested: a channel's admin can give it access; a DM's person
    is told the reason alone (it resumes once they are in the project's channels again)."""
    if OWNER_PAUSE_CODE in (reason or ""):
        return "watch_command.list_paused_owner"
    if ACCESS_PAUSE_CODE in (reason or ""):
        return "watch_command.list_paused_access"
    return "watch_command.list_paused"


def render_unwatched(project: str, *, lang: str) -> Rendered:
    message = t(lang, "watch_command.unwatched", project=fmt.code(project))
    return finish([section(message)], message)


def render_not_watching(project: str, watched: Sequence[str], *, lang: str) -> Rendered:
    if watched:
        names = ", ".join(fmt.code(name) for name in watched)
        message = t(lang, "watch_command.not_watching", project=fmt.code(project), watched=names)
    else:
        message = t(lang, "watch_command.not_watching_any", project=fmt.code(project))
    return finish([section(message)], message)
