"""Posting due digests, whatever they are posted to: claim → summarise → post → mark.

``deliver_due`` is the one loop the bot's scheduler, ``contexta digest run-due`` and
``/contexta digest run-due`` share; where a digest goes (Slack today) is a ``DigestPoster``. What
the loop guarantees:

* **Once per subscription and period**, across processes and restarts: a post happens only under
  a claim won in the database (see ``contexta_core.digests``).
* **Failures are retried, not lost.** A failure the poster calls ``retry`` (rate limits, honouring
  their ``retry_after``; server errors; the network) is retried a few times in place with backoff;
  if it persists the claim is handed back with a ``next_attempt_at`` and any later pass (any
  process) retries it, until ``RetryPolicy.max_attempts``.
* **An unclear outcome is looked up, never re-posted blindly.** A failure the poster marks
  ``uncertain`` (the target may have posted it anyway: a 5xx, a lost answer) is followed by
  ``poster.find_posted`` for the delivery's key (``delivery_key``, which every post carries) before
  anything else. Found: delivered. Certainly absent: retried as above. Undecidable
  (``OutcomeUnknown``, or a poster that cannot look): the period is ``uncertain``, as after a crash.
* **Leases come from the clock at each step** (``clock``), not from the pass's start: a pass longer
  than the lease still posts under a live lease, and a post that outlived its lease (another
  process marked it uncertain) is recorded as delivered, so the report never contradicts the rows.
* **Permanent failures pause the subscription** with the poster's reason, which ``digest list``
  shows; subscribing again resumes it. A ``rich`` failure (the formatted message was refused) is
  posted once more as plain text.
* **Pacing**: at most one post per second per target from this process (``ChannelPacer``); a
  ``retry_after`` also holds back the target's next post.

Time and sleeping are injected (``now``, ``clock``, ``sleep``, ``ChannelPacer(clock=…, sleep=…)``) so tests
run a week of schedules in milliseconds. Posters are found by name through the
``contexta.digest_posters`` entry point group (``find_poster``), so the core and the terminal
never import a chat client.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from typing import Any, Literal, Protocol

from ..errors import ConfigurationError, NotFoundError
from ..tenancy import Tenant
from .constants import DEFAULT_LEASE
from .deliveries import DeliveryClaim
from .subscriptions import Subscription
from .summary import DigestSummary

logger = logging.getLogger(__name__)
POSTERS_GROUP = "contexta.digest_posters"


class PostFailed(Exception):
    """A post that did not go through, as the poster classifies it.

    ``permanent``: retrying will not help (pause the subscription, saying ``reason``);
    ``rich``: the formatted message was refused (post it as plain text instead);
    ``retry``: try again later (after ``retry_after`` seconds when the target said so).
    ``uncertain``: the message may exist anyway (look with ``find_posted`` before retrying);
    ``unanswered``: no answer came at all, so it may still be landing (wait a moment first).
    """

    def __init__(
        self,
        kind: Literal["permanent", "rich", "retry"],
        error: str,
        *,
        retry_after: float | None = None,
        reason: str | None = None,
        uncertain: bool = False,
        unanswered: bool = False,
    ):
        super().__init__(error)
        self.kind = kind
        self.error = error
        self.retry_after = retry_after
        self.reason = reason or error
        self.uncertain = uncertain or unanswered
        self.unanswered = unanswered


class OutcomeUnknown(Exception):
    """The poster cannot tell whether a post appeared (e.g. it may not read the channel)."""


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
class RetryPolicy:
    inline_attempts: int = 3  # tries within one pass before handing the claim back
    inline_backoff: float = 1.0  # seconds before the 2nd try, doubling
    max_inline_wait: float = 10.0  # a longer retry_after is waited out between passes instead
    max_attempts: int = 12  # over all passes; then the period is given up (next digest covers it)
    deferred_backoff: timedelta = timedelta(minutes=1)  # first hand-back, doubling
    max_deferred_backoff: timedelta = timedelta(hours=1)
    settle_wait: float = 2.0  # before looking for a post whose answer never came (it may be landing)


class ChannelPacer:
    """At most one post per ``interval`` seconds per target (thread-safe, clock injectable)."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Block until ``channel`` may be posted to; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(channel, now))
            self._next_slot[channel] = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)

    def hold(self, channel: str, seconds: float) -> None:
        """Keep ``channel`` quiet for ``seconds`` (the target asked us to)."""
        with self._lock:
            until = self._clock() + seconds
            self._next_slot[channel] = max(self._next_slot.get(channel, until), until)


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


def default_holder() -> str:
    """Who holds a claim: host, process and a random tag (two schedulers in one process differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
    clock = clock or _elapsed_from(now)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
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
    clock = clock or _elapsed_from(now)
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    sub = claim.subscription
    digests = ctx.digests
    try:
        summary = digests.summary(sub.project_ref, claim.period_start, claim.period_end)
    except NotFoundError as exc:  # the project was deleted: nothing will ever be posted again
        error = f"project `{sub.project_name}` no longer exists ({exc.message})"
        reason = f"project `{sub.project_name}` no longer exists (`project_deleted`)"  # its code last, as posters do
        digests.fail(claim, now=clock(), error=error, pause_reason=reason)
        return _outcome(claim, "paused", claim.attempts, error=error)
    key = delivery_key(claim)
    carries = {"delivery": key} if hasattr(poster, "find_posted") else {}
    plain = False
    tries = 0
    while True:
        pacer.wait(sub.target)
        if not digests.begin_attempt(claim, now=clock(), lease=lease):
            return _outcome(claim, "lost_claim", claim.attempts + tries)
        tries += 1
        attempts = claim.attempts + tries
        posted_from = time.time()  # the target's clock, for find_posted
        try:
            message_id = poster.post(sub, summary, plain=plain, **carries)
        except PostFailed as failed:
            failure = failed
        else:
            return _delivered(digests, claim, attempts, message_id, clock)

        if failure.kind == "permanent":
            digests.fail(claim, now=clock(), error=failure.error, pause_reason=failure.reason)
            return _outcome(claim, "paused", attempts, error=failure.error)
        if failure.kind == "rich" and not plain:
            logger.warning(
                "digest %s/%s: the formatted message was refused (%s); posting text only",
                sub.target,
                claim.period_key,
                failure.error,
            )
            digests.end_attempt(claim, error=failure.error)
            plain = True
            continue
        if failure.kind == "rich":
            digests.fail(claim, now=clock(), error=failure.error)
            return _outcome(claim, "failed", attempts, error=failure.error)
        if failure.retry_after:
            pacer.hold(sub.target, failure.retry_after)
        wait = max(failure.retry_after or 0.0, policy.inline_backoff * 2 ** (tries - 1))
        inline = (
            attempts < policy.max_attempts
            and tries < policy.inline_attempts
            and wait <= policy.max_inline_wait
        )
        if failure.uncertain:  # look before anything else happens to this claim
            settle = wait if inline else policy.settle_wait if failure.unanswered else 0.0
            if settle > 0:
                sleep(settle)
            try:
                found = _find_posted(poster, sub, key, posted_from)
            except OutcomeUnknown as exc:
                error = f"{failure.error}; {exc}"
                digests.mark_uncertain(claim, error=error)
                return _outcome(claim, "uncertain", attempts, error=error)
            if found is not None:
                return _delivered(digests, claim, attempts, found, clock)
        if attempts >= policy.max_attempts:
            digests.fail(claim, now=clock(), error=failure.error)
            return _outcome(claim, "failed", attempts, error=failure.error)
        if inline:
            digests.end_attempt(claim, error=failure.error)
            if not failure.uncertain:  # an uncertain failure has waited already
                sleep(wait)
            continue
        rounds = max(1, -(-attempts // max(policy.inline_attempts, 1)))
        backoff = min(policy.deferred_backoff * 2 ** (rounds - 1), policy.max_deferred_backoff)
        retry_at = now + max(backoff, timedelta(seconds=failure.retry_after or 0))
        if not digests.defer(claim, retry_at=retry_at, error=failure.error):
            return _outcome(claim, "lost_claim", attempts, error=failure.error)
        return _outcome(claim, "retry_scheduled", attempts, error=failure.error, retry_at=retry_at)


def _find_posted(poster: DigestPoster, sub: Subscription, key: str, since: float) -> str | None:
    find = getattr(poster, "find_posted", None)
    if find is None:
        raise OutcomeUnknown("this poster cannot look for a post")
    return find(sub, key, since=since)


def _delivered(
    digests: Any, claim: DeliveryClaim, attempts: int, message_id: str | None, clock: Callable[[], datetime]
) -> DeliveryOutcome:
    """Record the post; if the lease ran out meanwhile (another process marked it uncertain), say
    delivered there too, so the report and the database never disagree."""
    at = clock()
    if digests.mark_delivered(claim, now=at, message_ts=message_id) or digests.record_late_delivery(
        claim, now=at, message_ts=message_id
    ):
        return _outcome(claim, "delivered", attempts, message_ts=message_id)
    logger.warning(
        "digest %s/%s posted as %s after its claim was lost",
        claim.subscription.target,
        claim.period_key,
        message_id,
    )
    return _outcome(
        claim,
        "lost_claim",
        attempts,
        error=f"posted ({message_id}) after the claim was lost",
        message_ts=message_id,
    )


def _elapsed_from(start: datetime) -> Callable[[], datetime]:
    """``start`` plus the real time passed since this call: a pass's clock when ``now`` was given."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def _outcome(claim: DeliveryClaim, status: str, attempts: int, **extra: Any) -> DeliveryOutcome:
    sub = claim.subscription
    return DeliveryOutcome(sub.id, sub.target, sub.project_name, claim.period_key, status, attempts, **extra)
