"""``/contexta digest …``: subscribe, list, unsubscribe, preview (and run-due) as plain functions.

``handle_digest_command`` takes the words after ``digest`` and returns a ``DigestReply`` the
listener sends as it is (``ephemeral`` says how). Everything happens in the asker's team (its
``tenant``): another team's subscriptions are never listed, changed or posted, even in a channel
with the same id. Slack is asked only by ``list`` (which other channels the asker may see,
``bot.access.slack_facts``, the app's one cache of channel facts) and ``run-due`` (which posts the team's due digests), with the client
it is given. Mistakes get a reply in the asker's
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

from bot.access.slack_facts import SlackAccess
from bot.channel_defaults import channel_default_project
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
from contexta_core.errors import ContextaError, QueryError, UnknownProjectError
from contexta_core.tenancy import Tenant


@dataclass(frozen=True)
class DigestReply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = True


def handle_digest_command(
    ctx: Any,
    args: Sequence[str],
    *,
    tenant: Tenant = Tenant.LEGACY,
    channel_id: str,
    user_id: str | None,
    language: str = "en",
    client: Any = None,
    now: datetime | None = None,
    slack: SlackAccess | None = None,
) -> DigestReply:
    """Run ``/contexta digest <args…>`` for ``user_id`` of ``tenant`` in ``channel_id``; never
    raises ContextaError. ``client`` is a WebClient with the team's token (None: Slack cannot be
    asked, so other channels count as not visible and run-due is unavailable)."""
    lang = language if language in core.LANGUAGES else "en"
    now = now or datetime.now(UTC)
    here = _Here(ctx, tenant, channel_id, user_id, lang, now)
    try:
        action, rest = parse_digest_action(args)
        if action == "subscribe":
            return _subscribe(here, rest)
        if action == "list":
            return _list(here, rest, client, slack or SlackAccess())
        if action == "unsubscribe":
            return _unsubscribe(here, rest)
        if action == "preview":
            return _preview(here, rest)
        if action == "run-due":
            return _run_due(ctx, client, tenant, lang, now, slack)
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


@dataclass(frozen=True)
class _Here:
    """Where and by whom the command was given."""

    ctx: Any
    tenant: Tenant
    channel: str
    user: str | None
    lang: str
    now: datetime

    def subscriptions(self) -> tuple[core.Subscription, ...]:
        return self.ctx.digests.subscriptions(tenant=self.tenant, target=self.channel)


# -- subscribe ---------------------------------------------------------------------------------------


def _subscribe(here: _Here, words: Sequence[str]) -> DigestReply:
    ctx, channel, lang, now = here.ctx, here.channel, here.lang, here.now
    parsed = parse_subscribe_args(words, ctx.list_projects())
    project = _pick_project(here, parsed.project, for_action="subscribe")
    digests = ctx.digests
    zone, zone_note = parsed.timezone, None
    if zone is None:
        zone, from_workspace = digests.workspace_timezone(tenant=here.tenant)
        zone_note = "workspace" if from_workspace else "default"
    existing = next((s for s in here.subscriptions() if s.project_name == project), None)
    sub, created = digests.subscribe(
        tenant=here.tenant,
        target=channel,
        project=project,
        weekday=parsed.weekday or (existing.weekday if existing else core.DEFAULT_WEEKDAY),
        time_of_day=parsed.time_of_day or (existing.time_of_day if existing else core.DEFAULT_TIME),
        timezone=parsed.timezone or (existing.timezone if existing else zone),
        language=parsed.language or (existing.language if existing else lang),
        created_by=here.user,
        now=now,
    )
    if existing is not None and parsed.timezone is None:
        zone_note = None  # kept the zone it already had
    resumed_from = (existing.paused_reason or "") if existing is not None and not existing.is_active else None
    text = render_subscribed(
        sub, created=created, zone_note=zone_note, resumed_from=resumed_from, now=now, lang=lang
    )
    return DigestReply(text, ephemeral=False)


def _pick_project(here: _Here, given: str | None, *, for_action: str) -> str:
    """The named project; else the channel's project (``/contexta use``); else the only one."""
    ctx = here.ctx
    if given:
        return ctx.resolve_project_name(given)
    chosen = channel_default_project(ctx, here.channel, here.tenant)
    if chosen:
        try:
            return ctx.resolve_project_name(chosen)
        except UnknownProjectError:  # gone, or out of this channel's sight: never named back
            pass
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


def _list(here: _Here, words: Sequence[str], client: Any, slack: SlackAccess) -> DigestReply:
    """This channel's subscriptions; with ``all``, the team's in every channel the asker may see
    (a private channel they are not in is left out, as if it had none)."""
    show_all = bool(words) and words[0].casefold() in ALL_WORDS
    digests, tenant = here.ctx.digests, here.tenant
    statuses = digests.statuses(tenant=tenant, target=None if show_all else here.channel, now=here.now)

    def visible(channels: set[str]) -> set[str]:
        return slack.visible_channels(client, tenant, here.user, channels, here=here.channel)

    if show_all:
        seen = visible({s.subscription.target for s in statuses})
        statuses = tuple(s for s in statuses if s.subscription.target in seen)
        elsewhere = 0
    else:
        others = [s.target for s in digests.subscriptions(tenant=tenant) if s.target != here.channel]
        seen = visible(set(others)) if others else set()
        elsewhere = sum(1 for target in others if target in seen)
    rendered = render_subscription_list(
        statuses, elsewhere=elsewhere, show_all=show_all, now=here.now, lang=here.lang
    )
    return DigestReply(rendered.text, rendered.blocks)


# -- unsubscribe -----------------------------------------------------------------------------------


def _unsubscribe(here: _Here, words: Sequence[str]) -> DigestReply:
    if len(words) > 1:
        raise _usage("/contexta digest unsubscribe [project|all]")
    digests, tenant, channel = here.ctx.digests, here.tenant, here.channel
    if words and words[0].casefold() in ALL_WORDS:
        current = here.subscriptions()
        if not current:
            raise core.UnknownSubscriptionError(
                "there is no digest subscription here", code="no_subscription"
            )
        removed: tuple[core.Subscription, ...] = ()
        for sub in current:
            removed += digests.unsubscribe(tenant=tenant, target=channel, project=sub.project_ref)
    else:
        removed = digests.unsubscribe(tenant=tenant, target=channel, project=words[0] if words else None)
    return DigestReply(render_unsubscribed(removed, lang=here.lang), ephemeral=False)


# -- preview ---------------------------------------------------------------------------------------


def _preview(here: _Here, words: Sequence[str]) -> DigestReply:
    if len(words) > 1:
        raise _usage("/contexta digest preview [project]")
    ctx, lang, now = here.ctx, here.lang, here.now
    digests = ctx.digests
    current = here.subscriptions()
    if words:
        project = ctx.resolve_project_name(words[0])
    elif len(current) == 1:
        project = current[0].project_name
    else:
        project = _pick_project(here, None, for_action="preview")
    sub = next((s for s in current if s.project_name == project), None)
    since = (digests.last_posted_until(sub.id) if sub else None) or now - core.DEFAULT_PERIOD
    zone = sub.timezone if sub else digests.workspace_timezone(tenant=here.tenant)[0]
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


def _run_due(
    ctx: Any, client: Any, tenant: Tenant, lang: str, now: datetime, slack: SlackAccess | None
) -> DigestReply:
    """The asker's team's due digests, posted with its client (never another team's)."""
    if client is None:
        return DigestReply(t(lang, "digest_command.run_due_unavailable"))
    from bot.digests.delivery import deliver_due

    report = deliver_due(ctx, client, now, tenant=tenant, access=slack)
    return DigestReply(
        render_run_due(
            report.delivered,
            report.count("retry_scheduled"),
            report.count("paused"),
            report.count("failed"),
            lang=lang,
        )
    )
