"""Posting due alerts, whatever they are posted to: claim → compose → post → mark.

``deliver_due_alerts`` is what the bot's dispatcher runs every poll: the database claims
(``dispatch.claim_due``) make each message one post across processes and restarts, and the post
itself goes through the loop digests use (``contexta_core.delivery.post_claim``: retries, a look
for the post before any retry after an unclear outcome, uncertain marking, per-step leases,
pacing). Where alerts go (Slack) is an ``AlertPoster``; nothing here knows a chat client.

A restricted project's alert is posted only where it may be read, asked at posting time as a
digest is: the poster's ``reader`` says who reads a watch's channel (its members; in someone's own
DM, that one person by the memberships the chat platform tells). One who may not see the project
now (they left its channels and user groups, which changes no rule; or it cannot be told) gets
nothing: the message is not posted and the watch pauses (``OWNER_WATCH_PAUSE_REASON`` for a DM),
its other messages not yet out skipped. ``resume_access`` passes resume, from then on (no event
from while it was paused is told), the watches access paused whose reader may see the project
again (``AccessRules.resume_seen_watches``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from ..access.readers import reader_of, unseen_reason
from ..access.rules import OWNER_WATCH_PAUSE_REASON
from ..delivery import ChannelPacer, PostFailed, RetryPolicy, default_holder, elapsed_from, post_claim
from ..tenancy import Tenant
from .dispatch import DEFAULT_TIMING, AlertClaim, AlertTiming
from .summary import AlertSummary

logger = logging.getLogger(__name__)
DEFAULT_LEASE = timedelta(minutes=2)


class AlertPoster(Protocol):
    """``post`` one alert (returning its message id) or raise ``PostFailed``; ``find_posted`` the
    id of a post carrying ``delivery`` since ``since`` (epoch seconds), None, or ``OutcomeUnknown``."""

    def post(
        self, claim: AlertClaim, summary: AlertSummary, *, plain: bool = False, delivery: str
    ) -> str | None: ...

    def find_posted(self, claim: AlertClaim, delivery: str, *, since: float) -> str | None: ...


def delivery_key(claim: AlertClaim) -> str:
    """One alert message's name for every attempt and process (the claim time tells workspaces apart)."""
    claimed = int(claim.claimed_at.timestamp() * 1000) if claim.claimed_at else 0
    return f"alert:{claim.watch.id}:{claim.delivery_id}:{claimed}"


@dataclass(frozen=True)
class AlertOutcome:
    delivery_id: int
    watch_id: int
    channel: str
    project: str
    status: str  # delivered | updated | skipped | retry_scheduled | paused | failed | uncertain | lost_claim
    attempts: int = 0
    error: str | None = None
    message_ts: str | None = None


@dataclass(frozen=True)
class AlertReport:
    outcomes: tuple[AlertOutcome, ...] = ()
    routed: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def deliver_due_alerts(
    ctx: Any,
    poster: AlertPoster,
    now: datetime | None = None,
    *,
    holder: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta = DEFAULT_LEASE,
    timing: AlertTiming = DEFAULT_TIMING,
    clock: Callable[[], datetime] | None = None,
    tenants: Sequence[Tenant] | None = None,
    resume_access: bool = True,
) -> AlertReport:
    """Route new events, then claim and post every alert message due at ``now`` for ``tenants``
    (the teams ``poster`` can post for; None: every team). With ``resume_access`` (the dispatcher
    asks every few polls, not every one) watches access paused are first resumed if their reader
    may see the project again."""
    now = now or datetime.now(UTC)
    clock = clock or elapsed_from(now)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    alerts = ctx.alerts
    if resume_access:
        _resume_seen(ctx, poster, tenants, clock())
    claimed = alerts.claim_due(now=clock(), holder=holder, lease=lease, timing=timing, tenants=tenants)
    for delivery_id in claimed.uncertain:
        logger.warning("alert %s: the previous holder stopped mid-post; not posting it again", delivery_id)
    outcomes = []
    for claim in claimed.claims:
        try:
            outcome = _checked(ctx, poster, claim, clock, policy) or _deliver(
                alerts, poster, claim, now, clock, sleep, pacer, policy, lease
            )
        except Exception as exc:  # a bug composing one alert must not stop the others
            logger.exception("alert %s failed unexpectedly", claim.delivery_id)
            error = f"internal error: {type(exc).__name__}: {exc}"
            alerts.defer(claim, retry_at=clock() + (policy or RetryPolicy()).deferred_backoff, error=error)
            outcome = _outcome(claim, "retry_scheduled", claim.attempts, error=error)
        logger.info("alert %s → %s: %s", claim.watch.project_name, claim.watch.channel, outcome.status)
        outcomes.append(outcome)
    return AlertReport(tuple(outcomes), claimed.routed)


def _resume_seen(ctx: Any, poster: AlertPoster, tenants: Sequence[Tenant] | None, now: datetime) -> None:
    """Resume what access paused and may be read again (a DM's person is back in the project's
    channels); a failure here is logged and never keeps the due alerts from going out."""
    try:
        resumed = ctx.access.resume_seen_watches(
            lambda tenant: reader_of(poster, tenant), tenants=tenants, now=now
        )
        for where in resumed:
            logger.info("alert watch %s: its reader may see the project again; resumed", where)
    except Exception:
        logger.exception("could not resume the alert watches paused for access")


def _checked(ctx: Any, poster: AlertPoster, claim: AlertClaim, clock, policy) -> AlertOutcome | None:
    """None when the claimed message may be posted: its project is open, or whoever reads the
    watch's channel may see it now. Otherwise nothing is posted and the outcome says why: the
    watch paused (its reader may not see the project; or the poster cannot ask, for good), or a
    retry (the poster cannot ask now). Asked before every post and update, not only when the
    rules change: the person a DM watch is for may have left the project's channels since."""
    watch, alerts = claim.watch, ctx.alerts
    rules = ctx.access.rules_of(watch.tenant, watch.project_ref)
    if rules is None or not rules.restricted:
        return None
    try:
        viewer = reader_of(poster, watch.tenant)(watch.channel, watch.created_by)
    except PostFailed as failed:  # no way to ask who reads it: nothing is posted (fails closed)
        if failed.kind != "permanent":
            policy = policy or RetryPolicy()
            retry_at = clock() + max(policy.deferred_backoff, timedelta(seconds=failed.retry_after or 0))
            alerts.defer(claim, retry_at=retry_at, error=failed.error)
            return _outcome(claim, "retry_scheduled", claim.attempts, error=failed.error)
        reason = failed.reason or failed.error
    else:
        reason = unseen_reason(rules, viewer, private=OWNER_WATCH_PAUSE_REASON)
        if reason is None:
            return None
    # An update of the message of this minute fails too: the message stays as it was, and nothing
    # after a resume is folded into it (it holds what its reader could not see).
    alerts.fail(claim, now=clock(), error=reason, pause_reason=reason, skip_unsent=True)
    return _outcome(claim, "paused", claim.attempts, error=reason)


def _deliver(alerts, poster, claim, now, clock, sleep, pacer, policy, lease) -> AlertOutcome:
    summary = alerts.summary(claim)
    updating = claim.message_ts is not None
    if summary is None or not summary.worth_telling:
        if updating:  # what it said still stands (its runs were deleted since): leave it
            alerts.mark_delivered(claim, now=clock(), message_ts=claim.message_ts)
            return _outcome(claim, "delivered", claim.attempts, message_ts=claim.message_ts)
        alerts.skip(claim, reason="project deleted" if summary is None else "nothing worth telling")
        return _outcome(claim, "skipped", claim.attempts)
    key = delivery_key(claim)
    if updating:  # an update of the message that is out: doing it twice is harmless, so no look
        post = lambda plain: poster.update(claim, summary, message_ts=claim.message_ts, plain=plain)  # noqa: E731
        find_posted = lambda since: None  # noqa: E731
    else:
        post = lambda plain: poster.post(claim, summary, plain=plain, delivery=key)  # noqa: E731
        find_posted = lambda since: poster.find_posted(claim, key, since=since)  # noqa: E731
    posted = post_claim(
        alerts,
        claim,
        target=claim.watch.channel,
        label=f"alert {claim.watch.channel}/{claim.delivery_id}",
        post=post,
        find_posted=find_posted,
        attempts_before=claim.attempts,
        now=now,
        clock=clock,
        sleep=sleep,
        pacer=pacer,
        policy=policy,
        lease=lease,
    )
    status = "updated" if updating and posted.status == "delivered" else posted.status
    return _outcome(claim, status, posted.attempts, error=posted.error, message_ts=posted.message_ts)


def _outcome(claim: AlertClaim, status: str, attempts: int, **extra: Any) -> AlertOutcome:
    w = claim.watch
    return AlertOutcome(claim.delivery_id, w.id, w.channel, w.project_name, status, attempts, **extra)
