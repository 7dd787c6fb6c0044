"""The running bot's digest clock: an APScheduler job that calls ``deliver_due`` every minute.

The job does not know any schedule itself: each minute it asks the database what is due for each
team the bot speaks for (``deliver_due`` per tenant, each posted with that team's own client), exactly
as ``contexta digest run-due`` does from cron. A team's pass never claims another team's digests. So several bot
processes (gunicorn workers, replicas) may all run it; the database claim keeps every digest to
one post. It fires two seconds past each minute (a 09:00 digest goes out at 09:00:02) and once
at start-up, so a digest that fell due while the bot was down goes out right away.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.access.slack_facts import SlackAccess
from bot.digests.delivery import team_poster
from bot.slack_client import TeamClients, TokenClients
from contexta_core.digests.posting import (
    ChannelPacer,
    DeliveryReport,
    RetryPolicy,
    default_holder,
    deliver_due,
)

logger = logging.getLogger(__name__)
JOB_ID = "contexta-digests"


def every_minute_trigger(second: int = 2) -> CronTrigger:
    return CronTrigger(minute="*", second=second, timezone=UTC)


def team_clients(ctx: Any, client: Any) -> TeamClients:
    """``client`` as the teams it speaks for: ``TeamClients`` as they are; a single WebClient (token
    mode) speaks for its own team, which adopts the rows written before teams existed once known."""
    if hasattr(client, "tenants") and hasattr(client, "client_for"):
        return client
    return TokenClients(client, on_team=getattr(ctx, "adopt_legacy_rows", None))


class DigestScheduler:
    """Owns the BackgroundScheduler, the pacer and the holder id of this process's digest job.

    ``client`` is the bot's WebClient (token mode) or its ``TeamClients`` (OAuth mode); ``access``
    the app's Slack facts, which say before each post of a restricted project who may read it."""

    def __init__(
        self,
        ctx: Any,
        client: Any,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        pacer: ChannelPacer | None = None,
        policy: RetryPolicy | None = None,
        holder: str | None = None,
        second: int = 2,
        access: SlackAccess | None = None,
    ):
        self.ctx = ctx
        self.access = access or SlackAccess()
        self.client = client
        self.clients = team_clients(ctx, client)
        self.clock = clock
        self.sleep = sleep
        self.pacer = pacer or ChannelPacer(sleep=sleep)
        self.policy = policy or RetryPolicy()
        self.holder = holder or default_holder()
        self.second = second
        self.last_report: DeliveryReport | None = None
        self._scheduler: BackgroundScheduler | None = None
        self._lock = threading.Lock()

    def tick(self) -> DeliveryReport:
        """One pass: deliver whatever is due now for each team (what the job runs each minute)."""
        with self._lock:  # a manual tick and the job never overlap in one process
            poster = team_poster(self.clients, self.access)
            now = self.clock()
            reports = [
                deliver_due(
                    self.ctx,
                    poster,
                    now,
                    tenant=tenant,
                    holder=self.holder,
                    sleep=self.sleep,
                    pacer=self.pacer,
                    policy=self.policy,
                )
                for tenant in self.clients.tenants()
            ]
        report = DeliveryReport(
            tuple(o for r in reports for o in r.outcomes),
            tuple(u for r in reports for u in r.uncertain),
            sum(r.superseded for r in reports),
        )
        self.last_report = report
        if report.outcomes or report.uncertain:
            logger.info("digests: %s", report.summary())
        return report

    def _job(self) -> None:
        try:
            self.tick()
        except Exception:  # keep the job alive; the next minute tries again
            logger.exception("digest pass failed")

    def start(self, *, run_now: bool = True) -> DigestScheduler:
        if self._scheduler is not None:
            return self
        scheduler = BackgroundScheduler(timezone=UTC)
        scheduler.add_job(
            self._job,
            trigger=every_minute_trigger(self.second),
            id=JOB_ID,
            name="deliver due weekly digests",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=50,
            **({"next_run_time": datetime.now(UTC)} if run_now else {}),
        )
        scheduler.start()
        self._scheduler = scheduler
        logger.info("digest scheduler started (holder %s)", self.holder)
        return self

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def next_run_time(self) -> datetime | None:
        job = self._scheduler.get_job(JOB_ID) if self._scheduler else None
        return job.next_run_time if job else None

    def shutdown(self, *, wait: bool = False) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=wait)
            self._scheduler = None


def start_digest_scheduler(ctx: Any, client: Any, **options: Any) -> DigestScheduler:
    """Start the every-minute digest job in a background thread; call ``.shutdown()`` on exit."""
    return DigestScheduler(ctx, client, **options).start()
