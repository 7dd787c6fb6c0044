"""Two schedulers on one database (threads, and separate processes), on SQLite and PostgreSQL:
every subscription gets exactly one chat.postMessage per period."""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.digests.delivery import deliver_due
from bot.digests.scheduler import DigestScheduler
from contexta_core import Contexta
from contexta_core.digests.posting import ChannelPacer

from .helpers import R, add_project, add_runs, slack_client, utc

W13 = utc("2026-03-23T00:00:00Z")  # Monday 09:00 Asia/Seoul
CHANNELS = [f"C{i:02d}" for i in range(12)]


def _no_sleep(_seconds: float) -> None:
    pass


def _prepare(database_url: str, workspace: Path) -> None:
    with Contexta(workspace=workspace, database_url=database_url) as ctx:
        add_project(ctx, "churn")
        add_runs(ctx, "churn", [R("v1", W13 - timedelta(days=2), accuracy=0.9)])
        for channel in CHANNELS:
            ctx.digests.subscribe(
                target=channel, project="churn", timezone="Asia/Seoul", now=W13 - timedelta(days=3)
            )


def _post_counts(standin) -> Counter:
    return Counter(c.params["channel"] for c in standin.calls("chat.postMessage") if c.status == 200)


def test_two_scheduler_instances_racing_in_threads(database_url, tmp_path, standin):
    _prepare(database_url, tmp_path / "ws")
    client = slack_client(standin)
    contexts = [
        Contexta(workspace=tmp_path / "ws", database_url=database_url) for _ in range(2)
    ]  # two engines
    try:
        for week in range(3):
            now = W13 + timedelta(days=7 * week, seconds=2)
            schedulers = [
                DigestScheduler(ctx, client, clock=lambda now=now: now, sleep=_no_sleep, holder=f"bot-{i}")
                for i, ctx in enumerate(contexts)
            ]
            barrier = threading.Barrier(len(schedulers))
            reports = []

            def tick(scheduler, barrier=barrier, reports=reports):
                barrier.wait()
                reports.append(scheduler.tick())
                reports.append(scheduler.tick())  # and once more, like the next minute's job

            threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert sum(r.delivered for r in reports) == len(CHANNELS)
            assert _post_counts(standin) == Counter(dict.fromkeys(CHANNELS, week + 1))
    finally:
        for ctx in contexts:
            ctx.close()


def _process_scheduler(database_url: str, workspace: str, api_url: str, start, out) -> None:
    from slack_sdk import WebClient

    client = WebClient(token="xoxb-test-token", base_url=api_url, timeout=10, retry_handlers=[])
    with Contexta(workspace=workspace, database_url=database_url) as ctx:
        start.wait(30)
        total = 0
        for _ in range(2):  # run-due twice
            report = deliver_due(
                ctx, client, W13 + timedelta(seconds=2), sleep=_no_sleep, pacer=ChannelPacer(sleep=_no_sleep)
            )
            total += report.delivered
    out.put(total)


def test_two_processes_racing_on_one_database(database_url, tmp_path, standin):
    _prepare(database_url, tmp_path / "ws")
    spawn = mp.get_context("spawn")
    start, out = spawn.Event(), spawn.Queue()
    procs = [
        spawn.Process(
            target=_process_scheduler, args=(database_url, str(tmp_path / "ws"), standin.api_url, start, out)
        )
        for _ in range(2)
    ]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    delivered = [out.get(timeout=5) for _ in procs]
    assert sum(delivered) == len(CHANNELS)
    assert _post_counts(standin) == Counter(dict.fromkeys(CHANNELS, 1))
    with Contexta(workspace=tmp_path / "ws", database_url=database_url) as ctx:
        rows = ctx.digests.deliveries()
    assert len(rows) == len(CHANNELS) and {r["status"] for r in rows} == {"delivered"}
    assert all(r["holder"] for r in rows)  # who posted each one
