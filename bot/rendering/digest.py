"""The weekly digest as a Slack message: Block Kit (via slack_sdk models) plus a plain-text fallback.

Pure: a ``DigestSummary`` in, a ``Rendered`` out. Every list is cut to a few lines whatever the
week held (500 new runs read as "500 new runs", the latest few and the failed ones), and the
message passes the same guard as the bot's answers (``bot.rendering.blocks.finish``: at most 50
blocks, ~10k characters of block text; slack_sdk itself checks the 3000-character sections and
the 150-character header).
"""

from __future__ import annotations

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, divider, finish, header, section
from bot.rendering.i18n import day_name, local_time, status_label, t
from contexta_core.digests import DigestRun, DigestSummary, Subscription

RUN_LINES = 8  # latest runs listed by name
FAILED_NAMES = 10  # failed runs named in the call-out
DEPLOY_ITEMS = 5
SECTION_LIMIT = 2900
STATUS_ORDER = ("completed", "failed", "open", "cancelled")


def render_digest(
    summary: DigestSummary,
    *,
    language: str = "en",
    timezone: str = "UTC",
    subscription: Subscription | None = None,
    preview: bool = False,
) -> Rendered:
    """The digest message; ``timezone`` is the zone its dates are shown in (the subscription's)."""
    lang = language if language in ("en", "ko") else "en"
    project = fmt.code(summary.project_name)
    period = t(
        lang,
        "digest.period",
        since=local_time(summary.since, timezone, lang),
        until=local_time(summary.until, timezone, lang),
        zone=timezone,
    )
    blocks = [header(t(lang, "digest.header", project=summary.project_name)), context(period)]
    if preview:
        blocks.append(context(t(lang, "digest.preview")))
    if summary.nothing_new:
        blocks.append(section(t(lang, "digest.nothing", project=project)))
    else:
        if summary.run_count:
            blocks.append(section(_clip(_runs(summary, lang))))
            if summary.failed_count:
                blocks.append(section(_clip(_failed(summary, lang))))
        metric = _metric(summary, lang)
        if metric:
            blocks.append(section(_clip(metric)))
        if summary.new_deployment_count:
            blocks.append(section(_clip(_deployments(summary, lang))))
    blocks.append(divider())
    blocks.append(section(_clip(_live(summary, lang))))
    if summary.missing_metric:
        blocks.append(context(t(lang, "digest.metric_missing", metric=fmt.code(summary.missing_metric))))
    if subscription is not None:
        blocks.append(
            context(
                t(
                    lang,
                    "digest.footer",
                    day=day_name(subscription.weekday, lang),
                    time=subscription.time_of_day,
                    zone=subscription.timezone,
                    project=fmt.escape(fmt.clip(subscription.project_name, 80).replace("`", "")),
                )
            )
        )
    return finish(blocks, _fallback(summary, lang))


def _clip(text: str) -> str:
    return fmt.clip(text, SECTION_LIMIT)


def _statuses(summary: DigestSummary, lang: str) -> str:
    order = [s for s in STATUS_ORDER if s in summary.status_counts]
    order += sorted(s for s in summary.status_counts if s not in STATUS_ORDER)
    return ", ".join(f"{fmt.count(summary.status_counts[s], lang)} {status_label(s, lang)}" for s in order)


def _run_line(run: DigestRun, lang: str) -> str:
    mark = ":x: " if run.status == "failed" else ""
    value = f" · {fmt.number(run.value)}" if run.value is not None else ""
    return f"• {mark}{fmt.code(run.name)} · {status_label(run.status, lang)}{value}"


def _runs(summary: DigestSummary, lang: str) -> str:
    lines = [t(lang, "digest.runs", count=summary.run_count, statuses=_statuses(summary, lang))]
    shown = summary.runs[-RUN_LINES:]
    hidden = summary.run_count - len(shown)
    if hidden > 0:
        lines.append(t(lang, "digest.runs_more", count=hidden))
    lines += [_run_line(run, lang) for run in shown]
    return "\n".join(lines)


def _failed(summary: DigestSummary, lang: str) -> str:
    named = summary.failed_runs[-FAILED_NAMES:]
    names = ", ".join(fmt.code(run.name, 40) for run in named)
    rest = summary.failed_count - len(named)
    if rest > 0:
        names += " " + t(lang, "digest.failed_more", count=rest)
    return t(lang, "digest.failed", count=summary.failed_count, names=names)


def _metric(summary: DigestSummary, lang: str) -> str | None:
    if summary.metric_key is None:
        return None
    metric = fmt.code(summary.metric_key)
    lines = []
    best_run = summary.period_best
    if len(summary.values) > 1 and best_run is not None:
        lines.append(
            t(
                lang,
                "digest.metric",
                metric=metric,
                spark=fmt.sparkline(summary.values),
                first=fmt.number(summary.values[0]),
                last=fmt.number(summary.values[-1]),
                best=fmt.number(best_run.value),
                run=fmt.code(best_run.name, 40),
            )
        )
    elif best_run is not None:
        lines.append(
            t(
                lang,
                "digest.metric_only_value",
                metric=metric,
                value=fmt.number(best_run.value),
                run=fmt.code(best_run.name, 40),
            )
        )
    elif summary.run_count:
        lines.append(t(lang, "digest.metric_none", metric=metric))
    if summary.best_now is not None and summary.best_now_run is not None:
        run = fmt.code(summary.best_now_run.name, 40)
        value = fmt.number(summary.best_now)
        if summary.new_best and summary.best_at_start is not None:
            lines.append(
                t(
                    lang,
                    "digest.best_new",
                    metric=metric,
                    value=value,
                    run=run,
                    change=fmt.delta(summary.best_change),
                    previous=fmt.number(summary.best_at_start),
                )
            )
        elif summary.new_best:
            lines.append(t(lang, "digest.best_first", metric=metric, value=value, run=run))
        else:
            lines.append(t(lang, "digest.best_same", metric=metric, value=value, run=run))
    return "\n".join(lines) or None


def _deployments(summary: DigestSummary, lang: str) -> str:
    shown = summary.new_deployments[-DEPLOY_ITEMS:]
    items = "; ".join(
        t(
            lang,
            "digest.deploy_item",
            name=fmt.code(dep.name, 40),
            run=fmt.code(dep.run_name or "—", 40),
            status=status_label(dep.status, lang),
        )
        for dep in shown
    )
    rest = summary.new_deployment_count - len(shown)
    if rest > 0:
        items += " " + t(lang, "digest.failed_more", count=rest)
    return t(lang, "digest.deploys", count=summary.new_deployment_count, items=items)


def _live(summary: DigestSummary, lang: str) -> str:
    live = summary.live
    if live is None:
        return t(lang, "digest.live_none")
    value = ""
    if summary.live_value is not None and summary.metric_key:
        value = f" ({fmt.escape(summary.metric_key)} {fmt.number(summary.live_value)})"
    lines = [
        t(
            lang,
            "digest.live",
            name=fmt.code(live.name, 40),
            run=fmt.code(live.run_name or "—", 40),
            value=value,
        )
    ]
    if summary.live_is_best is True:
        lines.append(t(lang, "digest.live_best"))
    elif summary.live_is_best is False and summary.best_now_run is not None:
        change = (
            fmt.delta(summary.best_now - summary.live_value)
            if summary.live_value is not None and summary.best_now is not None
            else "—"
        )
        lines.append(
            t(
                lang,
                "digest.live_not_best",
                run=fmt.code(summary.best_now_run.name, 40),
                value=fmt.number(summary.best_now),
                change=change,
            )
        )
    return "\n".join(lines)


def _fallback(summary: DigestSummary, lang: str) -> str:
    project = fmt.escape(summary.project_name)
    if summary.nothing_new:
        text = t(lang, "digest.fallback_nothing", project=project)
    else:
        parts = []
        if summary.run_count:
            part = t(lang, "digest.fallback_runs", count=summary.run_count)
            if summary.failed_count:
                part += t(lang, "digest.fallback_failed", count=summary.failed_count)
            parts.append(part)
        if summary.new_deployment_count:
            parts.append(t(lang, "digest.fallback_deploys", count=summary.new_deployment_count))
        text = t(lang, "digest.fallback", project=project, parts=", ".join(parts))
    if summary.best_now is not None and summary.metric_key:
        text += t(
            lang,
            "digest.fallback_best",
            metric=fmt.escape(summary.metric_key),
            value=fmt.number(summary.best_now),
        )
    if summary.live is not None:
        text += t(lang, "digest.fallback_live", name=fmt.escape(summary.live.name))
    return text
