"""Replies to `/contexta digest …`: a subscription made or changed, removed, and the list with its problems.

Pure: core ``Subscription`` / ``SubscriptionStatus`` objects in, mrkdwn or a ``Rendered`` out;
dates are shown on the subscription's own clock, in the asker's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, line_sections
from bot.rendering.i18n import day_name, has, language_name, local_time, t
from contexta_core.access import ACCESS_PAUSE_CODE
from contexta_core.digests import PENDING, UNCERTAIN, Subscription, SubscriptionStatus

LIST_LIMIT = 40
PAUSE_CODE = re.compile(r"\(`([a-z_]+)`\)$")


def render_subscribed(
    sub: Subscription,
    *,
    created: bool,
    zone_note: str | None,
    resumed_from: str | None,
    now: datetime,
    lang: str,
) -> str:
    """``zone_note``: ``default`` / ``workspace`` when the zone was not typed, else None;
    ``resumed_from``: the reason it was paused, when subscribing again resumed it."""
    text = t(
        lang,
        "digest_command.subscribed" if created else "digest_command.updated",
        project=fmt.code(sub.project_name),
        day=day_name(sub.weekday, lang),
        time=sub.time_of_day,
        zone=sub.timezone,
        zone_note=t(lang, f"digest_command.zone_{zone_note}") if zone_note else "",
        language=language_name(sub.language, lang),
        next=local_time(sub.next_fire_time(now), sub.timezone, lang),
    )
    if resumed_from is not None:
        text += t(lang, "digest_command.resumed", reason=fmt.escape(pause_reason(resumed_from, lang)))
    return text


def pause_reason(reason: str | None, lang: str, *, kind: str = "digest") -> str:
    """Why a subscription (``kind="watch"``: an alert watch) is paused, in ``lang``. A stored reason
    ends with its code in a code span ("the channel is archived (`is_archived`)"); a code the
    catalog knows (``watch.pause.<code>`` for a watch's own sentence, else ``digest.pause.<code>``)
    is worded again, anything else is shown as stored."""
    match = PAUSE_CODE.search(reason or "")
    if match:
        code = match.group(1)
        for key in dict.fromkeys((f"{kind}.pause.{code}", f"digest.pause.{code}")):
            if has(key):
                return f"{t(lang, key)} (`{code}`)"
    return reason or "—"


def render_unsubscribed(removed: Sequence[Subscription], *, lang: str) -> str:
    names = ", ".join(fmt.code(sub.project_name) for sub in removed)
    return t(lang, "digest_command.unsubscribed", projects=names)


def render_subscription_list(
    statuses: Sequence[SubscriptionStatus], *, elsewhere: int, show_all: bool, now: datetime, lang: str
) -> Rendered:
    """The channel's (or with ``show_all`` the workspace's) subscriptions; ``elsewhere`` counts the
    other channels' ones."""
    if not statuses:
        text = t(lang, "digest_command.list_none_all" if show_all else "digest_command.list_none")
        if elsewhere:
            text += "\n" + t(lang, "digest_command.list_elsewhere", count=elsewhere)
        return Rendered(text)
    entries = [_list_entry(status, lang, now, show_all) for status in statuses[:LIST_LIMIT]]
    if len(statuses) > LIST_LIMIT:
        entries.append(t(lang, "digest_command.list_more", count=len(statuses) - LIST_LIMIT))
    blocks = [header(t(lang, "digest_command.list_header")), *line_sections(entries)]
    if elsewhere:
        blocks.append(context(t(lang, "digest_command.list_elsewhere", count=elsewhere)))
    fallback = t(lang, "digest_command.list_fallback", count=len(statuses)) + "\n" + "\n".join(entries[:10])
    return finish(blocks, fallback)


def render_run_due(delivered: int, retrying: int, paused: int, failed: int, *, lang: str) -> str:
    return t(
        lang, "digest_command.run_due", delivered=delivered, retrying=retrying, paused=paused, failed=failed
    )


def _list_entry(status: SubscriptionStatus, lang: str, now: datetime, show_all: bool) -> str:
    sub = status.subscription
    zone = sub.timezone
    lines = [
        "• "
        + t(
            lang,
            "digest_command.list_item",
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
            + t(
                lang,
                # paused for access resumes by itself: subscribing again would be refused
                "digest_command.list_paused_access"
                if ACCESS_PAUSE_CODE in (sub.paused_reason or "")
                else "digest_command.list_paused",
                when=local_time(sub.paused_at or sub.updated_at, zone, lang),
                reason=fmt.escape(pause_reason(sub.paused_reason, lang)),
                project=fmt.escape(sub.project_name),
            )
        )
    facts = []
    if status.next_fire_at is not None:
        due = status.next_fire_at <= now
        when = t(lang, "digest_command.list_overdue") if due else local_time(status.next_fire_at, zone, lang)
        facts.append(t(lang, "digest_command.list_next", when=when))
    if status.last_delivered_at is not None:
        when = f"{local_time(status.last_delivered_at, zone, lang)} ({status.last_delivered_period})"
        facts.append(t(lang, "digest_command.list_last", when=when))
    else:
        facts.append(t(lang, "digest_command.list_never"))
    lines.append("    " + " · ".join(facts))
    if status.problem_state and sub.is_active:
        error = fmt.escape(fmt.clip(status.last_error or "—", 200))
        period = status.problem_period
        if status.problem_state == PENDING and status.retry_at is not None:
            when = local_time(status.retry_at, zone, lang)
            problem = t(lang, "digest_command.list_retry", period=period, error=error, when=when)
        elif status.problem_state == UNCERTAIN:
            problem = t(lang, "digest_command.list_uncertain", period=period, error=error)
        else:
            problem = t(lang, "digest_command.list_failed", period=period, error=error)
        lines.append("    " + problem)
    return "\n".join(lines)
