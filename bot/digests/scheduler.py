"""The running bot's digest clock: an APScheduler job that calls ``deliver_due`` every minute.

The job does not know any schedule itself: each minute it asks the database what is due
(``deliver_due``), exactly as ``contexta digest run-due`` does from cron. So several bot
processes (gunicorn workers, replicas) may all run it; the database claim keeps every digest to
one post. It fires two seconds past each minute (a 09:00 digest goes out at 09:00:02) and once
at start-up, so a digest that fell due while the bot was down goes out right away.

APScheduler 3.x numbers crontab weekdays from Monday (``from_crontab("0 9 * * 1")`` fires on
*Tuesday*), so nothing here uses ``from_crontab``; ``weekly_trigger`` spells days by name.
"""

from __future__ import annotations

import logging
import threading
import time
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.digests.delivery import deliver_due
from contexta_core.digests import WEEKDAYS, Subscription
from contexta_core.digests.posting import ChannelPacer, DeliveryReport, RetryPolicy, default_holder

logger = logging.getLogger(__name__)
JOB_ID = "contexta-digests"


def every_minute_trigger(second: int = 2) -> CronTrigger:
    return CronTrigger(minute="*", second=second, timezone=UTC)


def weekly_trigger(weekday: str, time_of_day: str, timezone: str) -> CronTrigger:
    """A CronTrigger for one subscription's schedule, with the weekday by *name* (``mon``).

    The digest job polls instead of using one trigger per subscription, but this is the mapping
    to use anywhere a per-schedule trigger is wanted (and what the tests check ``next_fire_time``
    against).
    """
    if weekday not in WEEKDAYS:
        raise ValueError(f"weekday must be one of {WEEKDAYS}, got {weekday!r}")
    hour, minute = (int(part) for part in time_of_day.split(":"))
    return CronTrigger(day_of_week=weekday, hour=hour, minute=minute, timezone=zoneinfo.ZoneInfo(timezone))


def subscription_trigger(subscription: Subscription) -> CronTrigger:
    return weekly_trigger(subscription.weekday, subscription.time_of_day, subscription.timezone)


class DigestScheduler:
    """Owns the BackgroundScheduler, the pacer and the holder id of this process's digest job."""

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
    ):
        self.ctx = ctx
        self.client = client
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
        """One pass: deliver whatever is due now (what the job runs each minute)."""
        with self._lock:  # a manual tick and the job never overlap in one process
            report = deliver_due(
                self.ctx,
                self.client,
                self.clock(),
                holder=self.holder,
                sleep=self.sleep,
                pacer=self.pacer,
                policy=self.policy,
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
