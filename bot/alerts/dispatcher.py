"""The running bot's alert dispatcher: a background thread that runs one alert pass per poll.

Each pass (``contexta_core.alerts.deliver_due_alerts``) first asks the database one indexed
question, "is there an unrouted event or a message due?", and stops there when nothing happened,
so polling every second costs one cheap read. Every bot process (gunicorn workers, replicas) may
run a dispatcher: the database claims keep each alert to one post. A pass that fails is logged
and the next poll tries again; posting is paced and retried by the shared delivery loop.

Watches paused because their reader may not see a restricted project (someone's DM watch, once
they left the project's channels) are looked at again every ``resume_seconds`` (the Slack facts
are cached for a minute anyway), not every poll, so an idle poll still costs one read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.access.slack_facts import SlackAccess
from bot.alerts.poster import ClientFor, SlackAlertPoster
from bot.slack_client import TeamClients
from contexta_core.alerts import AlertReport, AlertTiming, deliver_due_alerts
from contexta_core.alerts.dispatch import KEEP
from contexta_core.delivery import ChannelPacer, RetryPolicy, default_holder

logger = logging.getLogger(__name__)
PRUNE_EVERY = 3600.0  # seconds between forgetting settled events and messages older than KEEP
RESUME_EVERY = 15.0  # seconds between looks at the watches paused for access


class AlertDispatcher:
    """Owns the polling thread, the pacer and the holder id of this process's alert passes."""

    def __init__(
        self,
        ctx: Any,
        clients: TeamClients | ClientFor,
        *,
        poll_seconds: float = 1.0,
        timing: AlertTiming | None = None,
        policy: RetryPolicy | None = None,
        holder: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        access: SlackAccess | None = None,
        resume_seconds: float = RESUME_EVERY,
    ):
        self.ctx = ctx
        # ``TeamClients`` (token or OAuth mode) say which teams this bot posts for, and it claims
        # only their alerts; a bare callable (tests, one workspace) posts every team's.
        self.teams = clients if hasattr(clients, "tenants") else None
        self.access = access or SlackAccess()  # who reads a watch's channel (the app's one cache)
        self.poster = SlackAlertPoster(
            clients.client_for if self.teams is not None else clients, access=self.access
        )
        self.resume_seconds = resume_seconds
        self._resumed_at: float | None = None
        self.poll_seconds = poll_seconds
        self.timing = timing or AlertTiming()
        self.policy = policy or RetryPolicy()
        self.holder = holder or default_holder()
        self.clock = clock
        self.sleep = sleep
        self.pacer = ChannelPacer(sleep=sleep)
        self.last_report: AlertReport | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def tick(self) -> AlertReport:
        """One pass: route what is new, post what is due (what the thread runs each poll)."""
        with self._lock:  # a manual tick and the thread never overlap in one process
            resume = self._resumed_at is None or time.monotonic() - self._resumed_at >= self.resume_seconds
            if resume:
                self._resumed_at = time.monotonic()
            report = deliver_due_alerts(
                self.ctx,
                self.poster,
                self.clock(),
                holder=self.holder,
                sleep=self.sleep,
                pacer=self.pacer,
                policy=self.policy,
                timing=self.timing,
                tenants=self.teams.tenants() if self.teams is not None else None,
                resume_access=resume,
            )
        self.last_report = report
        return report

    def _run(self) -> None:
        pruned = 0.0
        while not self._stop.is_set():
            try:
                self.tick()
                if time.monotonic() - pruned > PRUNE_EVERY:
                    pruned = time.monotonic()
                    self.ctx.alerts.prune(before=self.clock() - KEEP)
            except Exception:  # keep polling; the next pass tries again
                logger.exception("alert pass failed")
            self._stop.wait(self.poll_seconds)

    def start(self) -> AlertDispatcher:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="contexta-alerts", daemon=True)
            self._thread.start()
            logger.info("alert dispatcher started (holder %s, every %.1fs)", self.holder, self.poll_seconds)
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def shutdown(self, *, wait: bool = True, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None and wait:
            self._thread.join(timeout)
        self._thread = None


def start_alert_dispatcher(ctx: Any, clients: TeamClients | ClientFor, **options: Any) -> AlertDispatcher:
    """Start this process's alert dispatcher thread; call ``.shutdown()`` on exit."""
    return AlertDispatcher(ctx, clients, **options).start()
