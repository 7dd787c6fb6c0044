"""The "what's new" answer: for one project (each list paged) or for every project its asker has
asked about (a page of projects, the quiet ones in one line), and its short form for App Home.

Times are on the asker's clock (their Slack time zone) in their language, by Babel; counts cover
the whole period, lists show one page and say how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, section
from bot.rendering.i18n import local_time, status_label, t
from bot.rendering.paging import show_more
from bot.rendering.trend import metric_label
from contexta_core.ask.answers import NewsAnswer
from contexta_core.ask.paging import Page
from contexta_core.news import FIRST_VISIT, ProjectNews, WhatsNew
from contexta_core.queries.changes import ChangedRun, NewBest, ProjectChanges
from contexta_core.results import DeploymentRecord

UTC_ZONE = "UTC"
_MESSAGE = 200  # characters of a failed run's error event shown


def render_news(answer: NewsAnswer, lang: str) -> Rendered:
    news, zone = answer.news, answer.timezone or UTC_ZONE
    if news.single:
        return _single(news, zone, lang)
    return _several(news, zone, lang, answer.page)


def _single(news: WhatsNew, zone: str, lang: str) -> Rendered:
    item = (news.projects or news.quiet)[0]
    changes = item.changes
    name = fmt.code(item.project)
    if changes.nothing_new:
        line = t(lang, "news.nothing", project=name, since=_since(item, zone, lang))
        return finish([section(line)], line)
    summary = _summary(item, zone, lang)
    blocks: list = [
        header(t(lang, "news.header", project=fmt.clip_name(item.project))),
        section(summary[:1].upper() + summary[1:]),  # it opens the message
    ]
    blocks += [section(text) for text in _lists(changes, zone, lang)]
    if changes.has_more:
        blocks.append(
            show_more(
                "news",
                item.project,
                _page(changes),
                lang,
                since=changes.since.isoformat(),
                until=changes.until.isoformat(),
            )
        )
    return finish(blocks, t(lang, "news.fallback", project=item.project, summary=_counts(changes, lang)))


def _several(news: WhatsNew, zone: str, lang: str, page: int) -> Rendered:
    if not news.projects:
        line = t(lang, "news.nothing_anywhere") if not news.quiet else _quiet_line(news.quiet, lang)
        return finish([section(line)], line)
    blocks: list = [header(t(lang, "news.header_all"))]
    for item in news.projects:
        blocks += [section(f"*{fmt.code(item.project)}* — {_summary(item, zone, lang)}")]
        blocks += [section(text) for text in _lists(item.changes, zone, lang)]
    notes = [_quiet_line(news.quiet, lang)] if news.quiet else []
    if news.more_projects:
        notes.insert(0, t(lang, "news.more_projects", count=news.more_projects))
    if notes:
        blocks.append(context(*notes))
    if news.more_projects:
        blocks.append(show_more("news", None, Page(page, 1, page + 1), lang, until=news.until.isoformat()))
    names = ", ".join(p.project for p in news.projects)
    return finish(blocks, t(lang, "news.fallback_all", projects=names))


def home_lines(news: WhatsNew, zone: str, lang: str) -> list[str]:
    """App Home's "Since your last visit": one short paragraph per project with news."""
    lines = []
    for item in news.projects:
        changes = item.changes
        parts = [f"*{fmt.code(item.project)}* — {_summary(item, zone, lang)}"]
        if changes.new_best is not None:
            parts.append(_best_line(changes.new_best, changes, lang))
        if changes.failed_runs:
            parts.append(_failure_line(changes.failed_runs[0], zone, lang))
        lines.append("\n".join(parts))
    return lines


def quiet_line(news: WhatsNew, lang: str) -> str | None:
    return _quiet_line(news.quiet, lang) if news.quiet else None


# -- pieces -----------------------------------------------------------------------------------


def _since(item: ProjectNews, zone: str, lang: str) -> str:
    if item.first_visit:
        return t(lang, "news.in_days", count=FIRST_VISIT.days)
    return t(lang, "news.since", when=local_time(item.changes.since, zone, lang))


def _counts(changes: ProjectChanges, lang: str) -> str:
    parts = []
    if changes.changed_count:
        statuses = [
            t(lang, "news.started", count=changes.started_count) if changes.started_count else "",
            t(lang, "news.completed", count=changes.completed_count) if changes.completed_count else "",
            t(lang, "news.failed", count=changes.failed_count) if changes.failed_count else "",
        ]
        detail = ", ".join(s for s in statuses if s)
        parts.append(t(lang, "news.runs", count=changes.changed_count, detail=detail))
    if changes.deployment_count:
        parts.append(t(lang, "news.deployments", count=changes.deployment_count))
    return " · ".join(parts)


def _summary(item: ProjectNews, zone: str, lang: str) -> str:
    return t(lang, "news.summary", since=_since(item, zone, lang), counts=_counts(item.changes, lang))


def _lists(changes: ProjectChanges, zone: str, lang: str) -> list[str]:
    texts = []
    if changes.new_best is not None and changes.page == 1:
        texts.append(_best_line(changes.new_best, changes, lang))
    failures = changes.failed_count + changes.failed_deployment_count
    if changes.failed_runs:
        lines = [_failure_line(run, zone, lang) for run in changes.failed_runs]
        texts.append(_list("news.failures", failures, lines, _rest(changes, changes.failed_count), lang))
    if changes.deployments:
        lines = [_deployment_line(d, zone, lang) for d in changes.deployments]
        texts.append(
            _list(
                "news.deploys",
                changes.deployment_count,
                lines,
                _rest(changes, changes.deployment_count),
                lang,
            )
        )
    if changes.runs:
        lines = [_run_line(run, changes, zone, lang) for run in changes.runs]
        texts.append(
            _list("news.run_list", changes.changed_count, lines, _rest(changes, changes.changed_count), lang)
        )
    return texts


def _list(key: str, total: int, lines: Sequence[str], rest: int, lang: str) -> str:
    body = "\n".join(lines)
    more = f"\n_{t(lang, 'news.and_more', count=rest)}_" if rest > 0 else ""
    return f"{t(lang, key, count=total)}\n{body}{more}"


def _rest(changes: ProjectChanges, total: int) -> int:
    return total - min(total, changes.page * changes.limit)


def _page(changes: ProjectChanges):
    return Page(
        changes.page,
        changes.limit,
        max(changes.changed_count, changes.failed_count, changes.deployment_count),
    )


def _best_line(best: NewBest, changes: ProjectChanges, lang: str) -> str:
    scope = changes.scope
    metric = fmt.escape(metric_label(scope.metric_key, scope.stage_name)) if scope else ""
    if best.previous_value is None:
        line = t(
            lang, "news.best_first", run=fmt.code(best.run_name), metric=metric, value=fmt.number(best.value)
        )
    else:
        line = t(
            lang,
            "news.best",
            run=fmt.code(best.run_name),
            metric=metric,
            value=fmt.number(best.value),
            margin=fmt.delta(best.value - best.previous_value),
            previous=fmt.code(best.previous_run_name or "?"),
            previous_value=fmt.number(best.previous_value),
        )
    live = t(lang, "news.best_live" if best.is_live else "news.best_not_live")
    return f":trophy: {line} · {live}"


def _failure_line(run: ChangedRun, zone: str, lang: str) -> str:
    when = local_time(run.changed_at, zone, lang)
    line = t(lang, "news.failure", run=fmt.code(run.name), when=when)
    if run.last_error:
        line += f" — _{fmt.escape(fmt.clip(' '.join(run.last_error.split()), _MESSAGE))}_"
    else:
        line += f" — {t(lang, 'news.no_error_event')}"
    return f"• :x: {line}"


def _deployment_line(deployment: DeploymentRecord, zone: str, lang: str) -> str:
    line = t(
        lang,
        "news.deployment",
        deployment=fmt.code(deployment.name, 40),
        run=fmt.code(deployment.run_name or "?"),
        status=status_label(deployment.status, lang),
        when=local_time(deployment.started_at, zone, lang),
    )
    return f"• :rocket: {line}"


def _run_line(run: ChangedRun, changes: ProjectChanges, zone: str, lang: str) -> str:
    parts = [fmt.code(run.name), status_label(run.status, lang), local_time(run.changed_at, zone, lang)]
    if run.value is not None and changes.scope is not None:
        parts.insert(2, f"{fmt.escape(changes.scope.metric_key)} {fmt.number(run.value)}")
    return "• " + " · ".join(parts)


def _quiet_line(quiet: Sequence[ProjectNews], lang: str) -> str:
    names = ", ".join(fmt.code(p.project) for p in quiet[:10])
    more = t(lang, "error.known_more", count=len(quiet) - 10) if len(quiet) > 10 else ""
    return t(lang, "news.quiet", projects=names + more)
