"""Drop repeated Events API deliveries so one Slack event never produces two answers.

Slack re-sends an event when the ack was late (`X-Slack-Retry-Num`) and occasionally delivers the
same event twice. Both carry the same `event_id`, so one `claim(key, tenant=…)` per event (of the
team it was delivered to, `bot.tenancy`) decides: the first claim wins, later deliveries are acknowledged like any other and their listener does nothing.
The claim is a database write, which on SQLite waits for any other writer's lock, so it is never
made before the ack: the middleware only names the event, and `once_per_event` claims it in
Bolt's listener thread, after the 200 went back. If the listener then fails, Slack's retry is
dropped too. That is deliberate: a missed answer is better than a repeated one.
Old claims are pruned as new ones are made (`ClaimPruner`), so the table stays small.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.tenancy import ADOPTION, request_tenant
from contexta_core.tenancy import Tenant

Claim = Callable[..., bool]  # claim(key, tenant=Tenant) -> True for the first claim
FIRST_DELIVERY = "contexta_first_delivery"  # BoltContext key: claims this event, True the first time
EVENT_PREFIX = "slack-event:"
logger = logging.getLogger(__name__)


def event_key(body: dict[str, Any]) -> str | None:
    """The idempotency key of an `event_callback` body, or None for other requests."""
    if body.get("type") != "event_callback":
        return None
    if body.get("event_id"):
        return f"{EVENT_PREFIX}{body['event_id']}"
    event = body.get("event") or {}
    if event.get("channel") and event.get("ts"):
        return f"{EVENT_PREFIX}{event['channel']}:{event['ts']}"
    return None


def dedupe_retries(claim: Claim, prune: Callable[..., int] | None = None) -> Callable[..., BoltResponse]:
    """A Bolt global middleware (`app.use(...)`) that puts the event's claim in the context, unmade.

    `once_per_event` makes it after the ack. If `claim` itself fails (e.g. the database is down)
    the event is processed anyway. `prune(prefix, older_than=…)` forgets old event claims.
    """
    pruner = ClaimPruner(prune) if prune is not None else None

    def dedupe_events(
        body: dict[str, Any], context: BoltContext, next_: Callable[[], BoltResponse]
    ) -> BoltResponse:
        key = event_key(body)
        if key is not None:
            tenant = request_tenant(context)
            context[FIRST_DELIVERY] = lambda: _first_delivery(claim, key, tenant, pruner)
        return next_()

    return dedupe_events


def once_per_event(listener: Callable[..., None]) -> Callable[..., None]:
    """An event listener (taking `event`, `client` and Bolt's `context`, whose team says whose
    state it is) that runs for the first delivery only."""

    def run_first_delivery(event: dict, client: Any, context: BoltContext) -> None:
        first = context.get(FIRST_DELIVERY)
        if first is None or first():
            listener(event=event, client=client, context=context)

    run_first_delivery.__name__ = getattr(listener, "__name__", "event_listener")
    return run_first_delivery


def _first_delivery(claim: Claim, key: str, tenant: Tenant, pruner: ClaimPruner | None) -> bool:
    try:
        first = claim(key, tenant=tenant)
    except Exception:
        logger.exception("Idempotency claim failed for %s; processing the event anyway", key)
        return True
    if not first:
        logger.info("Dropping repeated delivery of %s", key)
    elif pruner is not None:
        pruner.maybe_prune()
    return first


def learn_team(clients: Any) -> Callable[..., BoltResponse]:
    """Token mode: the first request tells the process its team (Bolt's `auth.test` of the token,
    in `context.authorize_result`), and the rows written before teams existed are adopted for it
    (`TokenClients.know`: once per process, under its lock, idempotent). Adopting is a database
    write, so this middleware, which runs before the ack, only leaves it in the context; the
    listener makes it through `tenant_of`, after the ack and before it reads anything, and every
    listener running meanwhile waits on the same lock. So the first request after an upgrade sees
    the rows from before teams as its team's (the digest clock's first pass may have done it)."""

    def learn(context: BoltContext, next_: Callable[[], BoltResponse]) -> BoltResponse:
        if context.authorize_result is not None and not clients.known:
            tenant = request_tenant(context)
            context[ADOPTION] = lambda: _adopt(clients, tenant)
        return next_()

    return learn


def _adopt(clients: Any, tenant: Tenant) -> None:
    if clients.known:
        return
    try:
        clients.know(tenant)
    except Exception:  # the rows stay LEGACY; the next request or digest pass tries again
        logger.exception("Could not adopt the single-workspace rows for this team")


class ClaimPruner:
    """Forgets event claims older than `keep` at most once per `every` seconds per process (Slack
    redelivers an event for minutes, so a day of memory is plenty)."""

    def __init__(
        self,
        prune: Callable[..., int],
        *,
        keep: timedelta = timedelta(days=1),
        every: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._prune, self._keep, self._every, self._clock = prune, keep, every, clock
        self._next = 0.0
        self._lock = threading.Lock()

    def maybe_prune(self) -> None:
        with self._lock:
            now = self._clock()
            if now < self._next:
                return
            self._next = now + self._every
        try:
            dropped = self._prune(EVENT_PREFIX, older_than=self._keep)
        except Exception:
            logger.warning("Could not prune old event claims; will try again later", exc_info=True)
            return
        if dropped:
            logger.info("Pruned %s event claims older than %s", dropped, self._keep)


class InMemoryClaims:
    """A per-process claim store for tests and single-process dev runs (not shared across workers).

    Keys expire after `ttl` seconds (Slack retries for about 5 minutes) and at most `max_keys` are kept.
    """

    def __init__(
        self, ttl: float = 3600.0, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ):
        self._ttl = ttl
        self._max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str, tenant: Tenant = Tenant.LEGACY) -> bool:
        """True the first time `key` is seen (for `tenant`) within the TTL, False afterwards."""
        now = self._clock()
        key = f"{tenant.key}/{key}"
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now + self._ttl
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
            return True

    __call__ = claim
