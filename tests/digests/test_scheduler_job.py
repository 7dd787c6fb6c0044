"""The running bot's own scheduler delivers due digests, and the digest tables match their migration."""

from __future__ import annotations

from datetime import timedelta

from bot.digests.scheduler import DigestScheduler, start_digest_scheduler

from .helpers import R, add_project, add_runs, posts, utc

FIRE = utc("2026-03-23T00:00:00Z")  # Monday 09:00 Asia/Seoul


def test_the_in_process_scheduler_delivers_due_digests_itself(sqlite_ctx, standin, client):
    add_project(sqlite_ctx, "churn")
    add_runs(sqlite_ctx, "churn", [R("v1", FIRE - timedelta(days=1), accuracy=0.9)])
    sqlite_ctx.digests.subscribe(target="C1", project="churn", now=FIRE - timedelta(days=2))
    moments = iter([FIRE + timedelta(seconds=2)] + [FIRE + timedelta(minutes=m) for m in range(1, 100)])
    scheduler = start_digest_scheduler(sqlite_ctx, client, clock=lambda: next(moments), sleep=lambda s: None)
    try:
        assert scheduler.running
        standin.wait_for("chat.postMessage", 1, timeout=10)  # the start-up pass, without waiting a minute
        for _ in range(3):
            scheduler.tick()  # later minutes: nothing more is due
    finally:
        scheduler.shutdown()
    assert len(posts(standin)) == 1
    assert scheduler.last_report is not None and scheduler.last_report.outcomes == ()


def test_a_failing_pass_does_not_kill_the_job(sqlite_ctx, caplog):
    def broken_clock():
        raise RuntimeError("clock exploded")

    scheduler = DigestScheduler(sqlite_ctx, client=None, clock=broken_clock)
    scheduler._job()  # what APScheduler calls each minute
    assert "digest pass failed" in caplog.text


def test_the_delivery_copy_of_a_client_drops_slack_sdks_own_retries_but_keeps_the_rest():
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    from bot.slack_client import without_retries

    original = WebClient(
        token="xoxb-1",
        base_url="http://127.0.0.1:9/api/",
        timeout=7,
        retry_handlers=[RateLimitErrorRetryHandler()],
    )
    copy = without_retries(original)
    assert (copy.token, copy.base_url, copy.timeout, copy.retry_handlers) == (
        "xoxb-1",
        original.base_url,
        7,
        [],
    )
    assert original.retry_handlers  # untouched
    double = object()
    assert without_retries(double) is double
