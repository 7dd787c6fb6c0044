"""Posting due digests, whatever they are posted to: claim → summarise → post → mark.

``deliver_due`` is the one loop the bot's scheduler, ``contexta digest run-due`` and
``/contexta digest run-due`` share; where a digest goes (Slack today) is a ``DigestPoster``. What
the loop guarantees:

* **Once per subscription and period**, across processes and restarts: a post happens only under
  a claim won in the database (see ``contexta_core.digests``).
* **Retries, lookups before re-posting, per-step leases, pacing**: the one posting loop that
  alerts share, ``contexta_core.delivery.post_claim`` (see there). The posts carry
  ``delivery_key`` so an unclear outcome is looked up with ``poster.find_posted``.
* **Permanent failures pause the subscription** with the poster's reason, which ``digest list``
  shows; subscribing again resumes it.
* **A restricted project is posted only where it may be read, asked at posting time**: the
  poster's ``reader`` says who reads a target (a channel's members; a DM's one person, by the
  memberships its chat platform tells). One who may no longer see the project (they left its
  channels and user groups, which changes no rule) pauses the subscription with
  ``OWNER_PAUSE_REASON`` instead; each pass resumes, from then on, what access paused once its
  reader may see the project again (``AccessRules.resume_seen``).

Time and sleeping are injected (``now``, ``clock``, ``sleep``, ``ChannelPacer(clock=…, sleep=…)``) so tests
run a week of schedules in milliseconds. Posters are found by name through the
``contexta.digest_posters`` entry point group (``find_poster``), so the core and the terminal
never import a chat client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from typing import Any, Protocol

from ..access.readers import Reader, channel_reader, reader_of, unseen_reason
from ..access.rules import OWNER_PAUSE_REASON
from ..delivery import (
    ChannelPacer,
    OutcomeUnknown,
    PostFailed,
    RetryPolicy,
    default_holder,
    elapsed_from,
    post_claim,
)
from ..errors import ConfigurationError, NotFoundError
from ..tenancy import Tenant
from .constants import DEFAULT_LEASE
from .deliveries import DeliveryClaim
from .subscriptions import Subscription
from .summary import DigestSummary

logger = logging.getLogger(__name__)
POSTERS_GROUP = "contexta.digest_posters"
__all__ = [
    "ChannelPacer",
    "DeliveryOutcome",
    "DeliveryReport",
    "DigestPoster",
    "OutcomeUnknown",
    "PostFailed",
    "Reader",
    "RetryPolicy",
    "channel_reader",
    "default_holder",
    "deliver_claim",
    "deliver_due",
    "delivery_key",
    "find_poster",
    "reader_of",
]


class DigestPoster(Protocol):
    """Where digests go: ``post`` one digest, return its message id (if the target has one), or
    raise ``PostFailed``; anything else it raises is a bug, retried later like a ``retry``.

    A poster that can look for its posts also has ``find_posted(subscription, delivery, since=…)``:
    it then gets ``post(…, delivery=key)``, a key naming this delivery across processes and retries
    for the post to carry, and ``find_posted`` returns the id of a post carrying it since ``since``
    (epoch seconds), None when there certainly is none, or raises ``OutcomeUnknown``."""

    def post(
        self, subscription: Subscription, summary: DigestSummary, *, plain: bool = False
    ) -> str | None: ...


def delivery_key(claim: DeliveryClaim) -> str:
    """One delivery's name for every attempt and process (the claim time tells workspaces apart)."""
    claimed = int(claim.claimed_at.timestamp() * 1000) if claim.claimed_at else 0
    return f"{claim.subscription.id}:{claim.period_key}:{claim.delivery_id}:{claimed}"


def find_poster(name: str, **options: Any) -> DigestPoster:
    """The poster registered as ``name`` in the ``contexta.digest_posters`` entry points, made with
    ``options`` (e.g. ``api_url``). Raises ConfigurationError naming the installed ones."""
    found = {ep.name: ep for ep in entry_points(group=POSTERS_GROUP)}
    if name not in found:
        known = ", ".join(f"`{n}`" for n in sorted(found)) or "none"
        raise ConfigurationError(
            f"no digest poster `{name}` is installed (installed: {known}); posters register as "
            f"`{POSTERS_GROUP}` entry points: reinstall the project (`pip install -e .`) to get `slack`"
        )
    return found[name].load()(**options)


@dataclass(frozen=True)
class DeliveryOutcome:
    subscription_id: int
    target: str
    project: str
    period_key: str
    status: str  # delivered | retry_scheduled | paused | failed | uncertain | lost_claim
    attempts: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    message_ts: str | None = None


@dataclass(frozen=True)
class DeliveryReport:
    outcomes: tuple[DeliveryOutcome, ...] = ()
    uncertain: tuple[str, ...] = ()
    superseded: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def delivered(self) -> int:
        return self.count("delivered")

    def summary(self) -> str:
        parts = [
            f"{self.count(s)} {s.replace('_', ' ')}"
            for s in ("delivered", "retry_scheduled", "paused", "failed", "uncertain", "lost_claim")
            if self.count(s)
        ]
        if self.uncertain:
            parts.append(f"{len(self.uncertain)} uncertain (stopped mid-post: {', '.join(self.uncertain)})")
        return ", ".join(parts) or "nothing due"


def deliver_due(
    ctx: Any,
    poster: DigestPoster,
    now: datetime | None = None,
    *,
    holder: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta = DEFAULT_LEASE,
    target: str | None = None,
    clock: Callable[[], datetime] | None = None,
    tenant: Tenant = Tenant.LEGACY,
) -> DeliveryReport:
    """Claim and post every digest of ``tenant`` due at ``now`` (UTC); safe to call from any number
    of processes. Only ``tenant``'s subscriptions are claimed: each team's digests go out with its
    own bot (the poster finds it from ``subscription.tenant``).

    ``ctx`` is a ``Contexta`` (its ``digests`` hold the claims); ``target`` limits the pass to one target.
    ``clock`` is the time leases are taken from (default: ``now`` plus the time the pass has taken).
    """
    now = now or datetime.now(UTC)
    clock = clock or elapsed_from(now)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    _resume_seen(ctx, poster, tenant, clock())
    claimed = ctx.digests.claim_due(tenant=tenant, now=clock(), holder=holder, lease=lease, target=target)
    for where in claimed.uncertain:
        logger.warning("digest %s: the previous holder stopped mid-post; not posting it again", where)
    outcomes = []
    for claim in claimed.claims:
        try:
            outcome = deliver_claim(
                ctx, poster, claim, now=now, sleep=sleep, pacer=pacer, policy=policy, lease=lease, clock=clock
            )
        except Exception as exc:  # a bug composing one digest must not stop the others
            logger.exception("digest %s/%s failed unexpectedly", claim.subscription.target, claim.period_key)
            error = f"internal error: {type(exc).__name__}: {exc}"
            retry_at = now + policy.deferred_backoff
            ctx.digests.defer(claim, retry_at=retry_at, error=error)
            outcome = _outcome(claim, "retry_scheduled", claim.attempts, error=error, retry_at=retry_at)
        logger.info(
            "digest %s %s/%s: %s%s",
            claim.subscription.project_name,
            claim.subscription.target,
            claim.period_key,
            outcome.status,
            f" ({outcome.error})" if outcome.error else "",
        )
        outcomes.append(outcome)
    return DeliveryReport(tuple(outcomes), claimed.uncertain, claimed.superseded)


def deliver_claim(
    ctx: Any,
    poster: DigestPoster,
    claim: DeliveryClaim,
    *,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta = DEFAULT_LEASE,
    clock: Callable[[], datetime] | None = None,
) -> DeliveryOutcome:
    """Post one claimed digest, retrying in place and then handing back, as the module describes."""
    clock = clock or elapsed_from(now)
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    sub = claim.subscription
    digests = ctx.digests
    try:
        unseen = _unseen_by_reader(ctx, poster, sub)
    except PostFailed as failed:  # no way to ask who reads it: nothing is posted (fails closed)
        if failed.kind == "permanent":
            digests.fail(claim, now=clock(), error=failed.error, pause_reason=failed.reason)
            return _outcome(claim, "paused", claim.attempts, error=failed.error)
        retry_at = clock() + max(policy.deferred_backoff, timedelta(seconds=failed.retry_after or 0))
        digests.defer(claim, retry_at=retry_at, error=failed.error)
        return _outcome(claim, "retry_scheduled", claim.attempts, error=failed.error, retry_at=retry_at)
    if unseen is not None:
        digests.fail(claim, now=clock(), error=unseen, pause_reason=unseen)
        return _outcome(claim, "paused", claim.attempts, error=unseen)
    try:
        summary = digests.summary(sub.project_ref, claim.period_start, claim.period_end)
    except NotFoundError as exc:  # the project was deleted: nothing will ever be posted again
        error = f"project `{sub.project_name}` no longer exists ({exc.message})"
        reason = f"project `{sub.project_name}` no longer exists (`project_deleted`)"  # its code last, as posters do
        digests.fail(claim, now=clock(), error=error, pause_reason=reason)
        return _outcome(claim, "paused", claim.attempts, error=error)
    key = delivery_key(claim)
    can_look = hasattr(poster, "find_posted")
    carries = {"delivery": key} if can_look else {}
    posted = post_claim(
        digests,
        claim,
        target=sub.target,
        label=f"digest {sub.target}/{claim.period_key}",
        post=lambda plain: poster.post(sub, summary, plain=plain, **carries),
        find_posted=(lambda since: poster.find_posted(sub, key, since=since)) if can_look else None,
        attempts_before=claim.attempts,
        now=now,
        clock=clock,
        sleep=sleep,
        pacer=pacer,
        policy=policy,
        lease=lease,
    )
    return _outcome(
        claim,
        posted.status,
        posted.attempts,
        error=posted.error,
        retry_at=posted.retry_at,
        message_ts=posted.message_ts,
    )


def _resume_seen(ctx: Any, poster: DigestPoster, tenant: Tenant, now: datetime) -> None:
    """Resume what access paused and may be read again (a DM's person is back in the project's
    channels); a failure here is logged and never keeps the due digests from going out."""
    try:
        for where in ctx.access.resume_seen(tenant, reader_of(poster, tenant), now=now):
            logger.info("digest %s: its reader may see the project again; resumed", where)
    except Exception:
        logger.exception("could not resume the digests paused for access")


def _unseen_by_reader(ctx: Any, poster: DigestPoster, sub: Subscription) -> str | None:
    """Why whoever reads ``sub``'s target may not see its restricted project now (the pause
    reason), or None when they may, or the project is open. Asked before every post, not only when
    the rules change: the person a DM digest is for may have left the project's channels and user
    groups since. What the poster's reader cannot find out counts as not a member."""
    rules = ctx.access.rules_of(sub.tenant, sub.project_ref)
    if rules is None or not rules.restricted:
        return None
    viewer = reader_of(poster, sub.tenant)(sub.target, sub.created_by)
    return unseen_reason(rules, viewer, private=OWNER_PAUSE_REASON)


def _outcome(claim: DeliveryClaim, status: str, attempts: int, **extra: Any) -> DeliveryOutcome:
    sub = claim.subscription
    return DeliveryOutcome(sub.id, sub.target, sub.project_name, claim.period_key, status, attempts, **extra)
