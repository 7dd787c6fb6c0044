"""``/contexta digest …``: subscribe, list, unsubscribe, preview (and run-due) as plain functions.

``handle_digest_command`` takes the words after ``digest`` and returns a ``DigestReply`` the
listener sends as it is (``ephemeral`` says how). Nothing here talks to Slack except ``run-due``,
which posts the due digests through the client it is given. Mistakes get a reply in the asker's
language that says what was wrong and what would work ("unknown time zone `Asia/Seol`; did you
mean `Asia/Seoul`?"); the replies are rendered by ``bot.rendering.subscriptions``.

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

from bot.error_messages import describe_command_error, describe_error
from bot.rendering import format as fmt
from bot.rendering.digest import render_digest
from bot.rendering.i18n import t
from bot.rendering.subscriptions import (
    render_run_due,
    render_subscribed,
    render_subscription_list,
    render_unsubscribed,
)
from contexta_core import digests as core
from contexta_core.ask.commands import ALL_WORDS, CommandError, parse_digest_action, parse_subscribe_args
from contexta_core.errors import ContextaError, QueryError

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
        return DigestReply(t(lang, "digest_command.usage"))
    except CommandError as exc:  # worded from its code, in the asker's language
        return DigestReply(":warning: " + describe_command_error(exc, lang))
    except ContextaError as exc:
        return _error(exc, lang, args)


def _error(error: ContextaError, lang: str, typed: Sequence[str]) -> DigestReply:
    """A refusal in the asker's language, with the closest names when the sentence has none."""
    message, suggestions = describe_error(error, lang, typed)
    text = f":warning: {message}"
    if suggestions:
        text += " " + t(lang, "error.try", names=", ".join(fmt.code(s) for s in suggestions[:5]))
    return DigestReply(text)


# -- subscribe ---------------------------------------------------------------------------------------


def _subscribe(ctx: Any, words: Sequence[str], channel: str, user: str | None, lang: str, now: datetime):
    parsed = parse_subscribe_args(words, ctx.list_projects())
    project = _pick_project(ctx, parsed.project, channel, for_action="subscribe")
    digests = ctx.digests
    zone, zone_note = parsed.timezone, None
    if zone is None:
        zone, from_workspace = digests.workspace_timezone()
        zone_note = "workspace" if from_workspace else "default"
    existing = next((s for s in digests.subscriptions(target=channel) if s.project_name == project), None)
    sub, created = digests.subscribe(
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
        zone_note = None  # kept the zone it already had
    resumed_from = (existing.paused_reason or "") if existing is not None and not existing.is_active else None
    text = render_subscribed(
        sub, created=created, zone_note=zone_note, resumed_from=resumed_from, now=now, lang=lang
    )
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
        raise QueryError("there are no projects yet; record a run first", code="no_projects")
    example = f"/contexta digest {for_action} {names[0]}"
    shown = ", ".join(f"`{n}`" for n in names[:10]) + (" …" if len(names) > 10 else "")
    raise QueryError(
        f"name a project, e.g. `{example}`; projects: {shown}",
        code="digest_project_needed",
        details={"example": example, "projects": list(names)},
    )


# -- list ------------------------------------------------------------------------------------------


def _list(ctx: Any, words: Sequence[str], channel: str, lang: str, now: datetime) -> DigestReply:
    show_all = bool(words) and words[0].casefold() in ALL_WORDS
    statuses = ctx.digests.statuses(target=None if show_all else channel, now=now)
    elsewhere = 0 if show_all else len(ctx.digests.subscriptions()) - len(statuses)
    rendered = render_subscription_list(statuses, elsewhere=elsewhere, show_all=show_all, now=now, lang=lang)
    return DigestReply(rendered.text, rendered.blocks)


# -- unsubscribe -----------------------------------------------------------------------------------


def _unsubscribe(ctx: Any, words: Sequence[str], channel: str, lang: str) -> DigestReply:
    if len(words) > 1:
        raise _usage("/contexta digest unsubscribe [project|all]")
    digests = ctx.digests
    if words and words[0].casefold() in ALL_WORDS:
        current = digests.subscriptions(target=channel)
        if not current:
            raise core.UnknownSubscriptionError(
                "there is no digest subscription here", code="no_subscription"
            )
        removed: tuple[core.Subscription, ...] = ()
        for sub in current:
            removed += digests.unsubscribe(target=channel, project=sub.project_ref)
    else:
        removed = digests.unsubscribe(target=channel, project=words[0] if words else None)
    return DigestReply(render_unsubscribed(removed, lang=lang), ephemeral=False)


# -- preview ---------------------------------------------------------------------------------------


def _preview(ctx: Any, words: Sequence[str], channel: str, lang: str, now: datetime) -> DigestReply:
    if len(words) > 1:
        raise _usage("/contexta digest preview [project]")
    digests = ctx.digests
    here = digests.subscriptions(target=channel)
    if words:
        project = ctx.resolve_project_name(words[0])
    elif len(here) == 1:
        project = here[0].project_name
    else:
        project = _pick_project(ctx, None, channel, for_action="preview")
    sub = next((s for s in here if s.project_name == project), None)
    since = (digests.last_posted_until(sub.id) if sub else None) or now - core.DEFAULT_PERIOD
    zone = sub.timezone if sub else digests.workspace_timezone()[0]
    summary = digests.summary(project, min(since, now), now + timedelta(microseconds=1))
    rendered = render_digest(
        summary,
        language=sub.language if sub else lang,
        timezone=zone,
        subscription=sub,
        preview=True,
    )
    return DigestReply(rendered.text, rendered.blocks, ephemeral=True)


def _usage(usage: str) -> QueryError:
    return QueryError(f"usage: `{usage}`", code="digest_usage", details={"usage": usage})


# -- run-due -----------------------------------------------------------------------------------------


def _run_due(ctx: Any, client: Any, lang: str, now: datetime) -> DigestReply:
    if client is None:
        return DigestReply(t(lang, "digest_command.run_due_unavailable"))
    from bot.digests.delivery import deliver_due

    report = deliver_due(ctx, client, now)
    return DigestReply(
        render_run_due(
            report.delivered,
            report.count("retry_scheduled"),
            report.count("paused"),
            report.count("failed"),
            lang=lang,
        )
    )
