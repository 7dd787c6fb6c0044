"""Posting one claimed message, whatever it is (a weekly digest, an alert): post → retry → look → mark.

Digests (``contexta_core.digests.posting``) and alerts (``contexta_core.alerts.posting``) both hold
a claim won in the database before anything is posted; this is the one loop that turns such a
claim into a post, shared so both get the same guarantees:

* **Failures are retried, not lost.** A ``PostFailed`` of kind ``retry`` (rate limits, honouring
  ``retry_after``; server errors; the network) is retried a few times in place with backoff; if it
  persists the claim is handed back (``ledger.defer``) and any later pass retries it, until
  ``RetryPolicy.max_attempts``.
* **An unclear outcome is looked up, never re-posted blindly.** An ``uncertain`` failure (the
  target may have posted anyway) is followed by ``find_posted`` for the delivery's key (which every
  post carries) before anything else. Found: delivered. Certainly absent: retried. Undecidable
  (``OutcomeUnknown``, or no way to look): ``ledger.mark_uncertain``, never posted again.
* **Leases come from the clock at each step** (``clock``), not from the pass's start, and a post
  that outlived its lease is recorded as delivered (``record_late_delivery``).
* **Permanent failures** are ``ledger.fail``-ed with the poster's reason; a ``rich`` failure (the
  formatted message was refused) is posted once more as plain text.
* **Pacing**: at most one post per second per target from this process (``ChannelPacer``).

The ledger (``Ledger``) is the claim's row: the digests' and the alerts' delivery tables both
move through the same states with ``contexta_core.store.leases``.
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
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

logger = logging.getLogger(__name__)


class PostFailed(Exception):
    """A post that did not go through, as the poster classifies it.

    ``permanent``: retrying will not help (give up, saying ``reason``);
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


@dataclass(frozen=True)
class RetryPolicy:
    inline_attempts: int = 3  # tries within one pass before handing the claim back
    inline_backoff: float = 1.0  # seconds before the 2nd try, doubling
    max_inline_wait: float = 10.0  # a longer retry_after is waited out between passes instead
    max_attempts: int = 12  # over all passes; then the delivery is given up
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


class Ledger(Protocol):
    """Where a claim's state is kept; each call returns False when this holder lost the claim."""

    def begin_attempt(self, claim: Any, *, now: datetime, lease: timedelta) -> bool: ...
    def end_attempt(self, claim: Any, *, error: str) -> bool: ...
    def mark_delivered(self, claim: Any, *, now: datetime, message_ts: str | None = None) -> bool: ...
    def record_late_delivery(self, claim: Any, *, now: datetime, message_ts: str | None) -> bool: ...
    def mark_uncertain(self, claim: Any, *, error: str) -> bool: ...
    def defer(self, claim: Any, *, retry_at: datetime, error: str) -> bool: ...
    def fail(self, claim: Any, *, now: datetime, error: str, pause_reason: str | None = None) -> bool: ...


@dataclass(frozen=True)
class Posted:
    """How one claim ended: delivered | retry_scheduled | paused | failed | uncertain | lost_claim."""

    status: str
    attempts: int
    error: str | None = None
    retry_at: datetime | None = None
    message_ts: str | None = None


def default_holder() -> str:
    """Who holds a claim: host, process and a random tag (two loops in one process differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def elapsed_from(start: datetime) -> Callable[[], datetime]:
    """``start`` plus the real time passed since this call: a pass's clock when ``now`` was given."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def post_claim(
    ledger: Ledger,
    claim: Any,
    *,
    target: str,
    label: str,
    post: Callable[[bool], str | None],
    find_posted: Callable[[float], str | None] | None,
    attempts_before: int,
    now: datetime,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta,
) -> Posted:
    """Post one claimed message to ``target`` with ``post(plain)``, retrying in place and then
    handing back, as the module describes. ``find_posted(since)`` looks for the post by the key it
    carries (None: this poster cannot look). ``label`` names the claim in logs."""
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    plain = False
    tries = 0
    while True:
        pacer.wait(target)
        if not ledger.begin_attempt(claim, now=clock(), lease=lease):
            return Posted("lost_claim", attempts_before + tries)
        tries += 1
        attempts = attempts_before + tries
        posted_from = time.time()  # the target's clock, for find_posted
        try:
            message_id = post(plain)
        except PostFailed as failed:
            failure = failed
        else:
            return _delivered(ledger, claim, attempts, message_id, clock, label)

        if failure.kind == "permanent":
            ledger.fail(claim, now=clock(), error=failure.error, pause_reason=failure.reason)
            return Posted("paused", attempts, error=failure.error)
        if failure.kind == "rich" and not plain:
            logger.warning(
                "%s: the formatted message was refused (%s); posting text only", label, failure.error
            )
            ledger.end_attempt(claim, error=failure.error)
            plain = True
            continue
        if failure.kind == "rich":
            ledger.fail(claim, now=clock(), error=failure.error)
            return Posted("failed", attempts, error=failure.error)
        if failure.retry_after:
            pacer.hold(target, failure.retry_after)
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
                if find_posted is None:
                    raise OutcomeUnknown("this poster cannot look for a post")
                found = find_posted(posted_from)
            except OutcomeUnknown as exc:
                error = f"{failure.error}; {exc}"
                ledger.mark_uncertain(claim, error=error)
                return Posted("uncertain", attempts, error=error)
            if found is not None:
                return _delivered(ledger, claim, attempts, found, clock, label)
        if attempts >= policy.max_attempts:
            ledger.fail(claim, now=clock(), error=failure.error)
            return Posted("failed", attempts, error=failure.error)
        if inline:
            ledger.end_attempt(claim, error=failure.error)
            if not failure.uncertain:  # an uncertain failure has waited already
                sleep(wait)
            continue
        rounds = max(1, -(-attempts // max(policy.inline_attempts, 1)))
        backoff = min(policy.deferred_backoff * 2 ** (rounds - 1), policy.max_deferred_backoff)
        retry_at = now + max(backoff, timedelta(seconds=failure.retry_after or 0))
        if not ledger.defer(claim, retry_at=retry_at, error=failure.error):
            return Posted("lost_claim", attempts, error=failure.error)
        return Posted("retry_scheduled", attempts, error=failure.error, retry_at=retry_at)


def _delivered(
    ledger: Ledger,
    claim: Any,
    attempts: int,
    message_id: str | None,
    clock: Callable[[], datetime],
    label: str,
) -> Posted:
    """Record the post; if the lease ran out meanwhile (another process marked it uncertain), say
    delivered there too, so the report and the database never disagree."""
    at = clock()
    if ledger.mark_delivered(claim, now=at, message_ts=message_id) or ledger.record_late_delivery(
        claim, now=at, message_ts=message_id
    ):
        return Posted("delivered", attempts, message_ts=message_id)
    logger.warning("%s posted as %s after its claim was lost", label, message_id)
    return Posted(
        "lost_claim", attempts, error=f"posted ({message_id}) after the claim was lost", message_ts=message_id
    )
