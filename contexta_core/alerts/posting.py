"""Posting due alerts, whatever they are posted to: claim → compose → post → mark.

``deliver_due_alerts`` is what the bot's dispatcher runs every poll: the database claims
(``dispatch.claim_due``) make each message one post across processes and restarts, and the post
itself goes through the loop digests use (``contexta_core.delivery.post_claim``: retries, a look
for the post before any retry after an unclear outcome, uncertain marking, per-step leases,
pacing). Where alerts go (Slack) is an ``AlertPoster``; nothing here knows a chat client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from ..delivery import ChannelPacer, RetryPolicy, default_holder, elapsed_from, post_claim
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
) -> AlertReport:
    """Route new events, then claim and post every alert message due at ``now`` for ``tenants``
    (the teams ``poster`` can post for; None: every team)."""
    now = now or datetime.now(UTC)
    clock = clock or elapsed_from(now)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    alerts = ctx.alerts
    claimed = alerts.claim_due(now=clock(), holder=holder, lease=lease, timing=timing, tenants=tenants)
    for delivery_id in claimed.uncertain:
        logger.warning("alert %s: the previous holder stopped mid-post; not posting it again", delivery_id)
    outcomes = []
    for claim in claimed.claims:
        try:
            outcome = _deliver(alerts, poster, claim, now, clock, sleep, pacer, policy, lease)
        except Exception as exc:  # a bug composing one alert must not stop the others
            logger.exception("alert %s failed unexpectedly", claim.delivery_id)
            error = f"internal error: {type(exc).__name__}: {exc}"
            alerts.defer(claim, retry_at=clock() + (policy or RetryPolicy()).deferred_backoff, error=error)
            outcome = _outcome(claim, "retry_scheduled", claim.attempts, error=error)
        logger.info("alert %s → %s: %s", claim.watch.project_name, claim.watch.channel, outcome.status)
        outcomes.append(outcome)
    return AlertReport(tuple(outcomes), claimed.routed)


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
