"""Builders and doubles for the digest tests: runs at chosen times, a fake clock, a Slack client."""

from __future__ import annotations

import itertools
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from contexta_core import digests as core
from contexta_core.contract import (
    DeploymentExecution,
    MetricPayload,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
)

_ids = itertools.count(1)
BOT_TOKEN = "xoxb-test-token"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def add_project(ctx, name: str = "churn") -> str:
    ctx.metadata_store.projects.put_project(
        Project(project_ref=f"project:{name}", name=name, created_at=utc("2025-01-01T00:00:00Z"))
    )
    return name


@dataclass(frozen=True)
class R:
    """One run: name, start, status and (optionally) its accuracy."""

    name: str
    started: datetime
    status: str = "completed"
    accuracy: float | None = None
    key: str | None = None  # the run id when the name is not one (long or spaced names)

    @property
    def ref_key(self) -> str:
        return self.key or self.name


def add_runs(ctx, project: str, runs: Sequence[R]) -> None:
    ctx.metadata_store.runs.put_runs(
        Run(
            run_ref=f"run:{project}.{r.ref_key}",
            project_ref=f"project:{project}",
            name=r.name,
            status=r.status,
            started_at=r.started,
            ended_at=None if r.status == "open" else r.started + timedelta(hours=1),
        )
        for r in runs
    )
    records = [
        MetricRecord(
            envelope=RecordEnvelope(
                record_ref=f"record:{project}.{r.ref_key}.m{next(_ids)}",
                record_type="metric",
                recorded_at=r.started + timedelta(minutes=30),
                observed_at=r.started + timedelta(minutes=30),
                producer_ref="tests",
                run_ref=f"run:{project}.{r.ref_key}",
            ),
            payload=MetricPayload(metric_key="accuracy", value=r.accuracy),
        )
        for r in runs
        if r.accuracy is not None
    ]
    if records:
        ctx.record_store.append_many(records)


def add_deployment(
    ctx, project: str, name: str, run: str, started: datetime, *, status: str = "completed", order: int = 0
) -> None:
    ctx.metadata_store.deployments.put_deployment_execution(
        DeploymentExecution(
            deployment_execution_ref=f"deployment:{project}.{name}",
            project_ref=f"project:{project}",
            deployment_name=name,
            status=status,
            started_at=started,
            ended_at=None if status == "open" else started + timedelta(minutes=10),
            run_ref=f"run:{project}.{run}",
            order_index=order,
        )
    )


@dataclass
class FakeClock:
    """Monotonic seconds that only move when someone sleeps; every sleep is recorded."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def slack_client(standin) -> WebClient:
    """A client on the stand-in without slack_sdk's own retries (deliver_due's are under test)."""
    return WebClient(token=BOT_TOKEN, base_url=standin.api_url, timeout=5, retry_handlers=[])


def posts(standin, channel: str | None = None) -> list:
    """chat.postMessage calls answered with HTTP 200 (to ``channel``); in tests without injected errors."""
    return [
        c
        for c in standin.calls("chat.postMessage")
        if c.status == 200 and (channel is None or c.params.get("channel") == channel)
    ]


def weekly_trigger(weekday: str, time_of_day: str, timezone: str) -> CronTrigger:
    """An APScheduler CronTrigger for one weekly schedule, with the weekday by *name* (``mon``).

    The digest job polls instead of keeping a trigger per subscription; the tests check the core's
    ``next_fire_time`` against APScheduler with this. APScheduler 3.x numbers crontab weekdays from
    Monday (``from_crontab("0 9 * * 1")`` fires on *Tuesday*), hence names.
    """
    if weekday not in core.WEEKDAYS:
        raise ValueError(f"weekday must be one of {core.WEEKDAYS}, got {weekday!r}")
    hour, minute = (int(part) for part in time_of_day.split(":"))
    return CronTrigger(day_of_week=weekday, hour=hour, minute=minute, timezone=zoneinfo.ZoneInfo(timezone))
