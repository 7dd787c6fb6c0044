"""Posting due digests: claim in the database → compose → ``chat.postMessage`` → mark delivered.

``deliver_due`` is the one entry point the in-process scheduler, ``contexta digest run-due`` and
``/contexta digest run-due`` share. What it guarantees:

* **Once per subscription and period**, across processes and restarts: a post happens only under
  a claim won in the database (see ``contexta_core.digests``).
* **Failures are retried, not lost.** Rate limits (429, honouring ``Retry-After``), Slack 5xx or
  ``internal_error`` and network errors are retried a few times in place with backoff; if they
  persist the claim is handed back with a ``next_attempt_at`` and any later pass (any process)
  retries it, until ``RetryPolicy.max_attempts``.
* **An unclear outcome is looked up, never re-posted blindly.** A 5xx, ``internal_error``, a
  timeout or a dropped connection may come *after* Slack posted; the channel's history is searched
  for the digest's metadata first (``bot.digests.reconcile``). Found: delivered. Certainly absent:
  retried as above. Undecidable (no ``channels:history``, bot not in the channel): ``uncertain``.
* **Leases come from the clock at each step**, not from the pass's start: a pass longer than the
  lease still posts under a live lease, and a post that outlived its lease (another process marked
  it uncertain) is recorded as delivered rather than reported so against the database.
* **Permanent errors pause the subscription** (``channel_not_found``, ``not_in_channel``,
  ``is_archived`` …) with a reason that ``digest list`` shows; subscribing again resumes it.
* **Pacing**: at most one post per second per channel from this process (``ChannelPacer``); a
  429's ``Retry-After`` also holds back the channel's next post.

Time and sleeping are injected (``now``, ``clock``, ``sleep``, ``ChannelPacer(clock=…, sleep=…)``) so tests
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

from bot.digests.composer import compose_digest
from bot.digests.reconcile import Undecidable, digest_metadata, find_posted_digest
from contexta_core import digests as core
from contexta_core.errors import NotFoundError

logger = logging.getLogger(__name__)

# Slack errors that will not go away by retrying: pause the subscription and say why.
PERMANENT_ERRORS: dict[str, str] = {
    "channel_not_found": "the channel no longer exists or the bot cannot see it",
    "not_in_channel": "the bot is not a member of the channel; invite it with `/invite @Contexta`",
    "is_archived": "the channel is archived",
    "channel_is_archived": "the channel is archived",
    "restricted_action": "posting in this channel is restricted by a workspace setting",
    "restricted_action_read_only_channel": "the channel is read-only",
    "restricted_action_thread_only_channel": "the channel only allows replies in threads",
    "team_access_not_granted": "the bot has no access to this channel's workspace",
    "ekm_access_denied": "the workspace's encryption keys deny access",
    "missing_scope": "the bot lacks the chat:write permission; reinstall the app",
    "messages_tab_disabled": "the bot's messages tab is disabled",
}
# Slack's own errors after which the message may exist anyway ("some aspect … succeeded").
MAYBE_POSTED_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})
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
    settle_wait: float = 2.0  # before looking for a post whose answer never came (it may be landing)


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


@dataclass(frozen=True)
class _Failure:
    kind: str  # permanent | blocks | retry
    error: str
    retry_after: float | None = None
    uncertain: bool = False  # Slack may have posted it anyway (5xx, internal_error, lost answer)
    unanswered: bool = False  # no answer at all: the post may still be landing


def delivery_client(client: Any) -> Any:
    """A copy of a slack_sdk ``WebClient`` without client-side retry handlers.

    The bot's client retries 429s itself, sleeping through any Retry-After in the scheduler
    thread; ``deliver_due`` would rather wait short ones, hand long ones back with a recorded
    ``next_attempt_at`` (shown in ``digest list``) and keep pacing per channel. Anything that is
    not a ``WebClient`` (a test double) is returned as it is.
    """
    from slack_sdk import WebClient

    if not isinstance(client, WebClient):
        return client
    copy = WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        retry_handlers=[],
    )
    copy.default_params = dict(client.default_params)
    return copy


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
    clock: Callable[[], datetime] | None = None,
) -> DeliveryReport:
    """Claim and post every digest due at ``now`` (UTC); safe to call from any number of processes.

    ``ctx`` is a ``Contexta`` (or ``Database``), ``client`` a slack_sdk ``WebClient``; ``target``
    limits the pass to one channel. ``clock`` is the time leases are taken from (default: ``now``
    plus the time the pass has taken so far).
    """
    now = now or datetime.now(UTC)
    clock = clock or _elapsed_from(now)
    holder = holder or default_holder()
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    claimed = core.claim_due(ctx, now=clock(), holder=holder, lease=lease, target=target)
    for where in claimed.uncertain:
        logger.warning("digest %s: the previous holder stopped mid-post; not posting it again", where)
    outcomes = []
    for claim in claimed.claims:
        try:
            outcome = deliver_claim(
                ctx, client, claim, now=now, sleep=sleep, pacer=pacer, policy=policy, lease=lease, clock=clock
            )
        except Exception as exc:  # a bug composing one digest must not stop the others
            logger.exception("digest %s/%s failed unexpectedly", claim.subscription.target, claim.period_key)
            error = f"internal error: {type(exc).__name__}: {exc}"
            retry_at = now + policy.deferred_backoff
            core.defer_delivery(ctx, claim, retry_at=retry_at, error=error)
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
    clock: Callable[[], datetime] | None = None,
) -> DeliveryOutcome:
    """Post one claimed digest, retrying in place and then handing back, as the module describes."""
    clock = clock or _elapsed_from(now)
    pacer = pacer or ChannelPacer(sleep=sleep)
    policy = policy or RetryPolicy()
    sub = claim.subscription
    try:
        summary = core.digest_summary(ctx, sub.project_ref, claim.period_start, claim.period_end)
    except NotFoundError as exc:  # the project was deleted: nothing will ever be posted again
        reason = f"project `{sub.project_name}` no longer exists ({exc.message})"
        core.fail_delivery(ctx, claim, now=clock(), error=reason, pause_reason=reason)
        return _outcome(claim, "paused", claim.attempts, error=reason)
    message = compose_digest(summary, language=sub.language, timezone=sub.timezone, subscription=sub)
    text_only = False
    tries = 0
    while True:
        pacer.wait(sub.target)
        if not core.begin_attempt(ctx, claim, now=clock(), lease=lease):
            return _outcome(claim, "lost_claim", claim.attempts + tries)
        tries += 1
        attempts = claim.attempts + tries
        posted_from = time.time()  # Slack's clock, for the history lookup
        try:
            response = client.chat_postMessage(
                channel=sub.target,
                text=message.text,
                blocks=None if text_only else message.blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=digest_metadata(claim),
            )
        except Exception as exc:
            failure = classify_failure(exc)
        else:
            ts = response.get("ts") if hasattr(response, "get") else None
            return _delivered(ctx, claim, attempts, ts, clock)

        if failure.kind == "permanent":
            reason = f"{PERMANENT_ERRORS.get(failure.error, failure.error)} (`{failure.error}`)"
            core.fail_delivery(ctx, claim, now=clock(), error=failure.error, pause_reason=reason)
            return _outcome(claim, "paused", attempts, error=failure.error)
        if failure.kind == "blocks" and not text_only:
            logger.warning(
                "digest %s/%s: Slack refused the blocks (%s); posting text only",
                sub.target,
                claim.period_key,
                failure.error,
            )
            core.end_attempt(ctx, claim, error=failure.error)
            text_only = True
            continue
        if failure.kind == "blocks":
            core.fail_delivery(ctx, claim, now=clock(), error=failure.error)
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
                ts = find_posted_digest(client, sub.target, claim, since=posted_from)
            except Undecidable as exc:
                error = f"{failure.error}; {exc}"
                core.mark_uncertain(ctx, claim, error=error)
                return _outcome(claim, "uncertain", attempts, error=error)
            if ts is not None:
                return _delivered(ctx, claim, attempts, ts, clock)
        if attempts >= policy.max_attempts:
            core.fail_delivery(ctx, claim, now=clock(), error=failure.error)
            return _outcome(claim, "failed", attempts, error=failure.error)
        if inline:
            core.end_attempt(ctx, claim, error=failure.error)
            if not failure.uncertain:  # an uncertain failure has waited already
                sleep(wait)
            continue
        rounds = max(1, -(-attempts // max(policy.inline_attempts, 1)))
        backoff = min(policy.deferred_backoff * 2 ** (rounds - 1), policy.max_deferred_backoff)
        retry_at = now + max(backoff, timedelta(seconds=failure.retry_after or 0))
        if not core.defer_delivery(ctx, claim, retry_at=retry_at, error=failure.error):
            return _outcome(claim, "lost_claim", attempts, error=failure.error)
        return _outcome(claim, "retry_scheduled", attempts, error=failure.error, retry_at=retry_at)


def _delivered(
    ctx: Any, claim: core.DeliveryClaim, attempts: int, ts: str | None, clock: Callable[[], datetime]
) -> DeliveryOutcome:
    """Record the post; if the lease ran out meanwhile (another process marked it uncertain), say
    delivered there too, so the report and the database never disagree."""
    at = clock()
    if core.mark_delivered(ctx, claim, now=at, message_ts=ts) or core.record_late_delivery(
        ctx, claim, now=at, message_ts=ts
    ):
        return _outcome(claim, "delivered", attempts, message_ts=ts)
    logger.warning(
        "digest %s/%s posted as %s after its claim was lost", claim.subscription.target, claim.period_key, ts
    )
    return _outcome(
        claim, "lost_claim", attempts, error=f"posted (ts {ts}) after the claim was lost", message_ts=ts
    )


def _elapsed_from(start: datetime) -> Callable[[], datetime]:
    """``start`` plus the real time passed since this call: a pass's clock when ``now`` was given."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


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
        uncertain = (status or 0) >= 500 or error in MAYBE_POSTED_ERRORS
        return _Failure(
            "retry", f"{error} (HTTP {status})" if status and status != 200 else error, retry_after, uncertain
        )
    if isinstance(exc, URLError | OSError | TimeoutError):
        reason = getattr(exc, "reason", None) or exc
        never_sent = isinstance(reason, ConnectionRefusedError | socket.gaierror)
        return _Failure(
            "retry", f"network error: {reason}", uncertain=not never_sent, unanswered=not never_sent
        )
    if isinstance(exc, SlackClientError):
        return _Failure("retry", f"slack client error: {exc}", uncertain=True, unanswered=True)
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
