"""Drop repeated Events API deliveries so one Slack event never produces two answers.

Slack re-sends an event when the ack was late (`X-Slack-Retry-Num`) and occasionally delivers the
same event twice. Both carry the same `event_id`, so one `claim(key)` per event decides: the first
claim wins, later ones are acknowledged with an empty 200 and never reach the listeners.
The claim happens before the listener runs: if the listener then fails, Slack's retry is dropped
too. That is deliberate: a missed answer is better than a repeated one.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import BoltResponse

Claim = Callable[[str], bool]


def event_key(body: dict[str, Any]) -> str | None:
    """The idempotency key of an `event_callback` body, or None for other requests."""
    if body.get("type") != "event_callback":
        return None
    if body.get("event_id"):
        return f"slack-event:{body['event_id']}"
    event = body.get("event") or {}
    if event.get("channel") and event.get("ts"):
        return f"slack-event:{event['channel']}:{event['ts']}"
    return None


def dedupe_retries(claim: Claim) -> Callable[..., BoltResponse]:
    """A Bolt global middleware (`app.use(...)`) acknowledging already-claimed events without running them.

    If `claim` itself fails (e.g. the database is down) the event is processed anyway.
    """

    def dedupe_events(
        body: dict[str, Any], next_: Callable[[], BoltResponse], logger: Logger
    ) -> BoltResponse:
        key = event_key(body)
        if key is None:
            return next_()
        try:
            first = claim(key)
        except Exception:
            logger.exception("Idempotency claim failed for %s; processing the event anyway", key)
            return next_()
        if not first:
            logger.info("Dropping repeated delivery of %s", key)
            return BoltResponse(status=200, body="")
        return next_()

    return dedupe_events


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

    def claim(self, key: str) -> bool:
        """True the first time `key` is seen within the TTL, False afterwards."""
        now = self._clock()
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
