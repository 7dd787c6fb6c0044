"""``/contexta digest …``: subscribe, list, unsubscribe, preview (and run-due) as plain functions.

``handle_digest_command`` takes the words after ``digest`` and returns a ``DigestReply`` the
listener sends as it is (``ephemeral`` says how). Nothing here talks to Slack except ``run-due``,
which posts the due digests through the client it is given. Mistakes get a reply that says
what was wrong and what would work ("unknown time zone `Asia/Seol`; did you mean `Asia/Seoul`?").

The words are read by the one command grammar (``contexta_core.ask.commands``: keywords in any
order, the one remaining word is the project)::

    subscribe [project] [weekly <day> <HH:MM>] [tz <IANA zone>] [lang en|ko]
    list [all] | unsubscribe [project|all] | preview [project] | run-due
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.digests.composer import compose_digest
from bot.digests.strings import day_name, language_name, local_time, tr
from bot.rendering import format as fmt
from bot.rendering.blocks import context, finish, header, line_sections
from contexta_core import digests as core
from contexta_core.ask.commands import ALL_WORDS, CommandError, parse_digest_action, parse_subscribe_args
from contexta_core.errors import ContextaError, QueryError

LIST_LIMIT = 40
CHANNEL_SCOPE = "slack-channel:{channel}"  # where `/contexta use <project>` keeps a channel's project


@dataclass(frozen=True)
class DigestReply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = True


def handle_digest_command(
    ctx: Any,
    args: Sequence[str],
    *,
    channel_id: str,
    user_id: str | None,
    language: str = "en",
    client: Any = None,
    now: datetime | None = None,
) -> DigestReply:
    """Run ``/contexta digest <args…>`` for ``user_id`` in ``channel_id``; never raises ContextaError."""
    lang = language if language in core.LANGUAGES else "en"
    now = now or datetime.now(UTC)
    try:
        action, rest = parse_digest_action(args)
        if action == "subscribe":
            return _subscribe(ctx, rest, channel_id, user_id, lang, now)
        if action == "list":
            return _list(ctx, rest, channel_id, lang, now)
        if action == "unsubscribe":
            return _unsubscribe(ctx, rest, channel_id, lang)
        if action == "preview":
            return _preview(ctx, rest, channel_id, lang, now)
        if action == "run-due":
            return _run_due(ctx, client, lang, now)
        return DigestReply(tr(lang, "cmd.usage"))
    except CommandError as exc:  # plain text from the grammar: escaped for mrkdwn here
        return _error(fmt.escape(exc.message), lang)
    except ContextaError as exc:
        return _error(exc.message, lang)


def _error(message: str, lang: str) -> DigestReply:
    return DigestReply(tr(lang, "cmd.error", message=message))


# -- subscribe ---------------------------------------------------------------------------------------


def _subscribe(ctx: Any, words: Sequence[str], channel: str, user: str | None, lang: str, now: datetime):
    parsed = parse_subscribe_args(words, ctx.list_projects())
    project = _pick_project(ctx, parsed.project, channel, for_action="subscribe")
    zone, zone_note = parsed.timezone, ""
    if zone is None:
        zone, from_workspace = core.workspace_timezone(ctx)
        zone_note = tr(lang, "cmd.zone_workspace" if from_workspace else "cmd.zone_default")
    existing = next(
        (s for s in core.get_subscriptions(ctx, target=channel) if s.project_name == project), None
    )
    sub, created = core.subscribe(
        ctx,
        target=channel,
        project=project,
        weekday=parsed.weekday or (existing.weekday if existing else core.DEFAULT_WEEKDAY),
        time_of_day=parsed.time_of_day or (existing.time_of_day if existing else core.DEFAULT_TIME),
        timezone=parsed.timezone or (existing.timezone if existing else zone),
        language=parsed.language or (existing.language if existing else lang),
        created_by=user,
        now=now,
    )
    if existing is not None and parsed.timezone is None:
        zone_note = ""  # kept the zone it already had
    text = tr(
        lang,
        "cmd.subscribed" if created else "cmd.updated",
        project=fmt.code(sub.project_name),
        day=day_name(sub.weekday, lang),
        time=sub.time_of_day,
        zone=sub.timezone,
        zone_note=zone_note,
        language=language_name(sub.language, lang),
        next=local_time(sub.next_fire_time(now), sub.timezone, lang),
    )
    if existing is not None and not existing.is_active:
        text += tr(lang, "cmd.resumed", reason=fmt.escape(existing.paused_reason or "—"))
    return DigestReply(text, ephemeral=False)


def _pick_project(ctx: Any, given: str | None, channel: str, *, for_action: str) -> str:
    """The named project; else the channel's project (``/contexta use``); else the only one."""
    if given:
        return ctx.resolve_project_name(given)
    chosen = ctx.get_preference(CHANNEL_SCOPE.format(channel=channel), "default_project")
    if isinstance(chosen, str) and chosen:
        return ctx.resolve_project_name(chosen)
    names = ctx.list_projects()
    if len(names) == 1:
        return names[0]
    if not names:
        raise QueryError("there are no projects yet; record a run first")
    shown = ", ".join(f"`{fmt.escape(n)}`" for n in names[:10]) + (" …" if len(names) > 10 else "")
    raise QueryError(
        f"name a project, e.g. `/contexta digest {for_action} {fmt.escape(names[0])}`; projects: {shown}"
    )


# -- list ------------------------------------------------------------------------------------------


def _list(ctx: Any, words: Sequence[str], channel: str, lang: str, now: datetime) -> DigestReply:
    show_all = bool(words) and words[0].casefold() in ALL_WORDS
    statuses = core.subscription_statuses(ctx, target=None if show_all else channel, now=now)
    elsewhere = 0
    if not show_all:
        elsewhere = len(core.get_subscriptions(ctx)) - len(statuses)
    if not statuses:
        text = tr(lang, "cmd.list_none_all" if show_all else "cmd.list_none")
        if elsewhere:
            text += "\n" + tr(lang, "cmd.list_elsewhere", count=elsewhere)
        return DigestReply(text)
    entries = [_list_entry(status, lang, now, show_all) for status in statuses[:LIST_LIMIT]]
    if len(statuses) > LIST_LIMIT:
        entries.append(tr(lang, "cmd.list_more", count=len(statuses) - LIST_LIMIT))
    blocks = [header(tr(lang, "cmd.list_header")), *line_sections(entries)]
    if elsewhere:
        blocks.append(context(tr(lang, "cmd.list_elsewhere", count=elsewhere)))
    fallback = tr(lang, "cmd.list_fallback", count=len(statuses)) + "\n" + "\n".join(entries[:10])
    rendered = finish(blocks, fallback)
    return DigestReply(rendered.text, rendered.blocks)


def _list_entry(status: core.SubscriptionStatus, lang: str, now: datetime, show_all: bool) -> str:
    sub = status.subscription
    zone = sub.timezone
    lines = [
        "• "
        + tr(
            lang,
            "cmd.list_item",
            where=f"<#{sub.target}> " if show_all else "",
            project=fmt.code(sub.project_name),
            day=day_name(sub.weekday, lang),
            time=sub.time_of_day,
            zone=zone,
            language=language_name(sub.language, lang),
        )
    ]
    if not sub.is_active:
        lines.append(
            "    "
            + tr(
                lang,
                "cmd.list_paused",
                when=local_time(sub.paused_at or sub.updated_at, zone, lang),
                reason=fmt.escape(sub.paused_reason or "—"),
                project=fmt.escape(sub.project_name),
            )
        )
    facts = []
    if status.next_fire_at is not None:
        due = status.next_fire_at <= now
        when = tr(lang, "cmd.list_overdue") if due else local_time(status.next_fire_at, zone, lang)
        facts.append(tr(lang, "cmd.list_next", when=when))
    if status.last_delivered_at is not None:
        facts.append(
            tr(
                lang,
                "cmd.list_last",
                when=f"{local_time(status.last_delivered_at, zone, lang)} ({status.last_delivered_period})",
            )
        )
    else:
        facts.append(tr(lang, "cmd.list_never"))
    lines.append("    " + " · ".join(facts))
    if status.problem_state and sub.is_active:
        error = fmt.escape(fmt.clip(status.last_error or "—", 200))
        period = status.problem_period
        if status.problem_state == core.PENDING and status.retry_at is not None:
            problem = tr(
                lang,
                "cmd.list_retry",
                period=period,
                error=error,
                when=local_time(status.retry_at, zone, lang),
            )
        elif status.problem_state == core.UNCERTAIN:
            problem = tr(lang, "cmd.list_uncertain", period=period)
        else:
            problem = tr(lang, "cmd.list_failed", period=period, error=error)
        lines.append("    " + problem)
    return "\n".join(lines)


# -- unsubscribe -----------------------------------------------------------------------------------


def _unsubscribe(ctx: Any, words: Sequence[str], channel: str, lang: str) -> DigestReply:
    if len(words) > 1:
        raise QueryError("usage: `/contexta digest unsubscribe [project|all]`")
    if words and words[0].casefold() in ALL_WORDS:
        current = core.get_subscriptions(ctx, target=channel)
        if not current:
            raise core.UnknownSubscriptionError("there is no digest subscription here")
        removed: tuple[core.Subscription, ...] = ()
        for sub in current:
            removed += core.unsubscribe(ctx, target=channel, project=sub.project_ref)
    else:
        removed = core.unsubscribe(ctx, target=channel, project=words[0] if words else None)
    names = ", ".join(fmt.code(sub.project_name) for sub in removed)
    return DigestReply(tr(lang, "cmd.unsubscribed", projects=names), ephemeral=False)


# -- preview ---------------------------------------------------------------------------------------


def _preview(ctx: Any, words: Sequence[str], channel: str, lang: str, now: datetime) -> DigestReply:
    if len(words) > 1:
        raise QueryError("usage: `/contexta digest preview [project]`")
    here = core.get_subscriptions(ctx, target=channel)
    if words:
        project = ctx.resolve_project_name(words[0])
    elif len(here) == 1:
        project = here[0].project_name
    else:
        project = _pick_project(ctx, None, channel, for_action="preview")
    sub = next((s for s in here if s.project_name == project), None)
    since = now - core.DEFAULT_PERIOD
    if sub is not None:
        ends = [
            row["period_end"]
            for row in core.delivery_rows(ctx, sub.id)
            if row["status"] in (core.DELIVERED, core.UNCERTAIN)
        ]
        since = max(ends) if ends else since
    zone = sub.timezone if sub else core.workspace_timezone(ctx)[0]
    summary = core.digest_summary(ctx, project, min(since, now), now + timedelta(microseconds=1))
    rendered = compose_digest(
        summary,
        language=sub.language if sub else lang,
        timezone=zone,
        subscription=sub,
        preview=True,
    )
    return DigestReply(rendered.text, rendered.blocks, ephemeral=True)


# -- run-due -----------------------------------------------------------------------------------------


def _run_due(ctx: Any, client: Any, lang: str, now: datetime) -> DigestReply:
    if client is None:
        return DigestReply(tr(lang, "cmd.run_due_unavailable"))
    from bot.digests.delivery import deliver_due

    report = deliver_due(ctx, client, now)
    text = tr(
        lang,
        "cmd.run_due",
        delivered=report.delivered,
        retrying=report.count("retry_scheduled"),
        paused=report.count("paused"),
        failed=report.count("failed"),
    )
    return DigestReply(text)
