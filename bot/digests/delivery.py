"""Posting due digests: claim in the database → compose → ``chat.postMessage`` → mark delivered.

``deliver_due`` is the one entry point the in-process scheduler, ``contexta digest run-due`` and
``/contexta digest run-due`` share. What it guarantees:

* **Once per subscription and period**, across processes and restarts: a post happens only under
  a claim won in the database (see ``contexta_core.digests``).
* **Failures are retried, not lost.** Rate limits (429, honouring ``Retry-After``), Slack 5xx or
  ``internal_error`` and network errors are retried a few times in place with backoff; if they
  persist the claim is handed back with a ``next_attempt_at`` and any later pass (any process)
  retries it, until ``RetryPolicy.max_attempts``.
* **Permanent errors pause the subscription** (``channel_not_found``, ``not_in_channel``,
  ``is_archived`` …) with a reason that ``digest list`` shows; subscribing again resumes it.
* **Pacing**: at most one post per second per channel from this process (``ChannelPacer``); a
  429's ``Retry-After`` also holds back the channel's next post.

Time and sleeping are injected (``now``, ``sleep``, ``ChannelPacer(clock=…, sleep=…)``) so tests
run a week of schedules in milliseconds.
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
from typing import Any
from urllib.error import URLError

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.rendering.digest import render_digest
from contexta_core import digests as core
from contexta_core.errors import NotFoundError

logger = logging.getLogger(__name__)

# Slack errors that will not go away by retrying: pause the subscription, keeping the error as the
# reason (``digest list`` words it from the catalog, ``digest.pause.<error>``).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "missing_scope",
        "messages_tab_disabled",
    }
)
PROJECT_DELETED = "project_deleted"  # the pause reason when the subscribed project is gone
# The blocks were refused: post the same digest as plain text once instead of failing.
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


@dataclass(frozen=True)
class RetryPolicy:
    inline_attempts: int = 3  # tries within one pass before handing the claim back
    inline_backoff: float = 1.0  # seconds before the 2nd try, doubling
    max_inline_wait: float = 10.0  # a longer Retry-After is waited out between passes instead
    max_attempts: int = 12  # over all passes; then the period is given up (next digest covers it)
    deferred_backoff: timedelta = timedelta(minutes=1)  # first hand-back, doubling
    max_deferred_backoff: timedelta = timedelta(hours=1)


class ChannelPacer:
    """At most one post per ``interval`` seconds per channel (thread-safe, clock injectable)."""

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
        """Keep ``channel`` quiet for ``seconds`` (Slack asked us to, with Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            self._next_slot[channel] = max(self._next_slot.get(channel, until), until)


@dataclass(frozen=True)
class DeliveryOutcome:
    subscription_id: int
    target: str
    project: str
    period_key: str
    status: str  # delivered | retry_scheduled | paused | failed | lost_claim
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
            for s in ("delivered", "retry_scheduled", "paused", "failed", "lost_claim")
            if self.count(s)
        ]
        if self.uncertain:
            parts.append(f"{len(self.uncertain)} uncertain (stopped mid-post: {', '.join(self.uncertain)})")
        return ", ".join(parts) or "nothing due"


@dataclass(frozen=True)
class _Failure:
    kind: str  # permanent | blocks | retry
    error: str
    retry_after: float | None = None


def default_holder() -> str:
    """Who holds a claim: host, process and a random tag (two schedulers in one process differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver_due(
    ctx: Any,
    client: Any,
    now: datetime | None = None,
    *,
    holder: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta = core.DEFAULT_LEASE,
    target: str | None = None,
) -> DeliveryReport:
    """Claim and post every digest due at ``now`` (UTC); safe to call from any number of processes.

    ``ctx`` is a ``Contexta`` (its ``digests`` hold the claims), ``client`` a slack_sdk ``WebClient``
    without retry handlers (``bot.slack_client.without_retries``); ``target`` limits the pass to
    one channel.
    """
    now = now or datetime.now(UTC)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    claimed = ctx.digests.claim_due(now=now, holder=holder, lease=lease, target=target)
    for where in claimed.uncertain:
        logger.warning("digest %s: the previous holder stopped mid-post; not posting it again", where)
    outcomes = []
    for claim in claimed.claims:
        try:
            outcome = deliver_claim(
                ctx, client, claim, now=now, sleep=sleep, pacer=pacer, policy=policy, lease=lease
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
    client: Any,
    claim: core.DeliveryClaim,
    *,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
    pacer: ChannelPacer | None = None,
    policy: RetryPolicy | None = None,
    lease: timedelta = core.DEFAULT_LEASE,
) -> DeliveryOutcome:
    """Post one claimed digest, retrying in place and then handing back, as the module describes."""
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    sub = claim.subscription
    try:
        summary = ctx.digests.summary(sub.project_ref, claim.period_start, claim.period_end)
    except NotFoundError as exc:  # the project was deleted: nothing will ever be posted again
        error = f"project `{sub.project_name}` no longer exists ({exc.message})"
        ctx.digests.fail(claim, now=now, error=error, pause_reason=PROJECT_DELETED)
        return _outcome(claim, "paused", claim.attempts, error=error)
    message = render_digest(summary, language=sub.language, timezone=sub.timezone, subscription=sub)
    text_only = False
    tries = 0
    while True:
        pacer.wait(sub.target)
        if not ctx.digests.begin_attempt(claim, now=now, lease=lease):
            return _outcome(claim, "lost_claim", claim.attempts + tries)
        tries += 1
        attempts = claim.attempts + tries
        try:
            response = client.chat_postMessage(
                channel=sub.target,
                text=message.text,
                blocks=None if text_only else message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:
            failure = classify_failure(exc)
        else:
            ts = response.get("ts") if hasattr(response, "get") else None
            ctx.digests.mark_delivered(claim, now=now, message_ts=ts)
            return _outcome(claim, "delivered", attempts, message_ts=ts)

        if failure.kind == "permanent":
            ctx.digests.fail(claim, now=now, error=failure.error, pause_reason=failure.error)
            return _outcome(claim, "paused", attempts, error=failure.error)
        if failure.kind == "blocks" and not text_only:
            logger.warning(
                "digest %s/%s: Slack refused the blocks (%s); posting text only",
                sub.target,
                claim.period_key,
                failure.error,
            )
            ctx.digests.end_attempt(claim, error=failure.error)
            text_only = True
            continue
        if failure.kind == "blocks" or attempts >= policy.max_attempts:
            ctx.digests.fail(claim, now=now, error=failure.error)
            return _outcome(claim, "failed", attempts, error=failure.error)
        if failure.retry_after:
            pacer.hold(sub.target, failure.retry_after)
        wait = max(failure.retry_after or 0.0, policy.inline_backoff * 2 ** (tries - 1))
        if tries < policy.inline_attempts and wait <= policy.max_inline_wait:
            ctx.digests.end_attempt(claim, error=failure.error)
            sleep(wait)
            continue
        rounds = max(1, -(-attempts // max(policy.inline_attempts, 1)))
        backoff = min(policy.deferred_backoff * 2 ** (rounds - 1), policy.max_deferred_backoff)
        retry_at = now + max(backoff, timedelta(seconds=failure.retry_after or 0))
        ctx.digests.defer(claim, retry_at=retry_at, error=failure.error)
        return _outcome(claim, "retry_scheduled", attempts, error=failure.error, retry_at=retry_at)


def classify_failure(exc: BaseException) -> _Failure:
    """Which failures pause, which fall back to text, which are retried (everything else)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", None)
        error = _response_error(response) or (f"http_{status}" if status else "slack_error")
        retry_after = _retry_after(response)
        if status == 429 or error in ("ratelimited", "rate_limited"):
            return _Failure("retry", "ratelimited", retry_after or 1.0)
        if error in PERMANENT_ERRORS:
            return _Failure("permanent", error)
        if error in BLOCK_ERRORS:
            return _Failure("blocks", error)
        return _Failure(
            "retry", f"{error} (HTTP {status})" if status and status != 200 else error, retry_after
        )
    if isinstance(exc, URLError | OSError | TimeoutError):
        reason = getattr(exc, "reason", None) or exc
        return _Failure("retry", f"network error: {reason}")
    if isinstance(exc, SlackClientError):
        return _Failure("retry", f"slack client error: {exc}")
    raise exc


def _response_error(response: Any) -> str | None:
    try:
        data = response.data if hasattr(response, "data") else response
        return data.get("error") if isinstance(data, dict) else None
    except Exception:  # a non-JSON body
        return None


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                return None
    return None


def _outcome(claim: core.DeliveryClaim, status: str, attempts: int, **extra: Any) -> DeliveryOutcome:
    sub = claim.subscription
    return DeliveryOutcome(sub.id, sub.target, sub.project_name, claim.period_key, status, attempts, **extra)
