"""Delivering due digests through the Slack stand-in: once per period, retries, pauses, pacing, restarts.

Every test runs on a SQLite file and on PostgreSQL, with a fake clock: ``now`` is passed in and
sleeps are recorded instead of slept.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.error import URLError

import pytest

from bot.digests.commands import handle_digest_command
from bot.digests.delivery import deliver_due
from contexta_core.digests.posting import ChannelPacer

from .helpers import R, add_deployment, add_project, add_runs, posts, utc

SUBSCRIBED = utc("2026-03-20T10:00:00Z")  # a Friday
W13 = utc("2026-03-23T08:00:00Z")  # Monday 09:00 Berlin (CET)
W14 = utc("2026-03-30T07:00:00Z")  # Monday 09:00 Berlin (CEST)
WEEK = timedelta(days=7)


@pytest.fixture
def project(ctx):
    add_project(ctx, "churn")
    add_runs(
        ctx,
        "churn",
        [
            R("v1", utc("2026-03-16T09:00:00Z"), accuracy=0.80),
            R("v2", utc("2026-03-21T09:00:00Z"), accuracy=0.85),
            R("v3", utc("2026-03-25T09:00:00Z"), status="failed"),
            R("v4", utc("2026-03-26T09:00:00Z"), accuracy=0.90),
        ],
    )
    add_deployment(ctx, "churn", "prod-1", "v2", utc("2026-03-22T09:00:00Z"))
    return ctx


def subscribe(ctx, target="C1", project="churn", now=SUBSCRIBED, **kwargs):
    kwargs.setdefault("timezone", "Europe/Berlin")
    return ctx.digests.subscribe(target=target, project=project, now=now, **kwargs)[0]


def run(ctx, client, now, clock, pacer, **kwargs):
    """One pass (passes are at least a minute apart on the pacer's clock, as the scheduler's are)."""
    clock.now += 60
    kwargs.setdefault("holder", "test")
    return deliver_due(ctx, client, now, sleep=clock.sleep, pacer=pacer, **kwargs)


def statuses(report):
    return [(o.status, o.period_key) for o in report.outcomes]


def listing(ctx, now, channel="C1") -> str:
    reply = handle_digest_command(ctx, ("list",), channel_id=channel, user_id="U1", now=now)
    return reply.text + json.dumps(reply.blocks, ensure_ascii=False)


def test_posts_once_per_period_and_each_period_starts_where_the_last_ended(
    project, client, standin, clock, pacer
):
    sub = subscribe(project)
    assert run(project, client, W13 - timedelta(seconds=1), clock, pacer).outcomes == ()
    report = run(project, client, W13 + timedelta(seconds=2), clock, pacer)
    assert statuses(report) == [("delivered", "2026-W13")]
    [post] = posts(standin)
    assert post.params["channel"] == "C1"
    assert post.params["text"].startswith("Weekly digest for churn: 2 new runs, 1 new deployment.")
    blocks = post.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["text"]["text"] == "Weekly digest · churn"
    assert "Every Monday 09:00 Europe/Berlin" in json.dumps(blocks, ensure_ascii=False)

    # run-due again a minute later from another process, and just before next week: nothing more
    assert run(project, client, W13 + timedelta(minutes=1), clock, pacer, holder="other").outcomes == ()
    assert run(project, client, W14 - timedelta(seconds=1), clock, pacer).outcomes == ()
    assert len(posts(standin)) == 1

    report = run(project, client, W14, clock, pacer)
    assert statuses(report) == [("delivered", "2026-W14")]
    assert "2 new runs (1 failed)." in posts(standin)[1].params["text"]
    rows = project.digests.deliveries(sub.id)
    assert [(r["period_key"], r["status"]) for r in rows] == [
        ("2026-W13", "delivered"),
        ("2026-W14", "delivered"),
    ]
    assert rows[0]["period_start"] == W13 - WEEK  # the first digest: the last 7 days
    assert rows[1]["period_start"] == rows[0]["period_end"] == W13  # then: since the previous one
    assert rows[1]["message_ts"] == report.outcomes[0].message_ts is not None

    # The bot was down for three weeks: one digest, covering everything since the last one.
    report = run(project, client, utc("2026-04-20T07:00:30Z"), clock, pacer)
    assert statuses(report) == [("delivered", "2026-W17")]
    last = project.digests.deliveries(sub.id)[-1]
    assert (last["period_start"], last["period_end"]) == (W14, utc("2026-04-20T07:00:00Z"))
    assert len(posts(standin)) == 3
    assert clock.sleeps == []  # one post per channel per pass: no pacing needed
    text = listing(project, utc("2026-04-20T08:00:00Z"))
    assert "last sent: Mon, Apr 20, 09:00 (2026-W17)" in text and "next: Mon, Apr 27, 09:00" in text


def test_subscribing_after_this_weeks_fire_time_waits_for_next_week(project, client, standin, clock, pacer):
    subscribe(project, now=W13 + timedelta(minutes=5))
    assert run(project, client, W13 + timedelta(minutes=6), clock, pacer).outcomes == ()
    assert statuses(run(project, client, W14, clock, pacer)) == [("delivered", "2026-W14")]


def test_transient_failures_are_retried_with_backoff_honouring_retry_after(
    project, client, standin, clock, pacer
):
    sub = subscribe(project)
    # a 500: retried after 1 s (backoff), then posted
    standin.fail_next("chat.postMessage", status=500)
    assert statuses(run(project, client, W13, clock, pacer)) == [("delivered", "2026-W13")]
    assert clock.sleeps == [1.0]
    assert [c.status for c in standin.calls("chat.postMessage")] == [500, 200]

    # a 429 with Retry-After: 3 s waited (not the 1 s backoff), then posted
    clock.sleeps.clear()
    standin.fail_next("chat.postMessage", status=429, retry_after=3)
    assert statuses(run(project, client, W14, clock, pacer)) == [("delivered", "2026-W14")]
    assert clock.sleeps == [3.0]

    # a long Retry-After is not slept through: the claim is handed back and retried later
    clock.sleeps.clear()
    w15 = W14 + WEEK
    standin.fail_next("chat.postMessage", status=429, retry_after=120)
    report = run(project, client, w15, clock, pacer)
    assert statuses(report) == [("retry_scheduled", "2026-W15")]
    assert report.outcomes[0].retry_at == w15 + timedelta(seconds=120)
    assert clock.sleeps == []
    assert "retrying at Mon, Apr 6, 09:02" in listing(project, w15 + timedelta(seconds=5))
    assert run(project, client, w15 + timedelta(seconds=60), clock, pacer).outcomes == ()
    assert statuses(run(project, client, w15 + timedelta(seconds=121), clock, pacer, holder="p2")) == [
        ("delivered", "2026-W15")
    ]

    # a Slack outage outlasting the in-place retries: deferred (1 min), then delivered by a later pass
    clock.sleeps.clear()
    w16 = w15 + WEEK
    standin.fail_next("chat.postMessage", status=503, times=4)
    report = run(project, client, w16, clock, pacer)
    assert statuses(report) == [("retry_scheduled", "2026-W16")]
    assert report.outcomes[0].retry_at == w16 + timedelta(minutes=1)
    assert clock.sleeps == [1.0, 2.0]  # 3 tries in place, doubling backoff
    report = run(project, client, w16 + timedelta(minutes=1), clock, pacer)
    assert statuses(report) == [("delivered", "2026-W16")] and report.outcomes[0].attempts == 5

    # Slack's own error body on HTTP 200 (internal_error) is retried too
    w17 = w16 + WEEK
    standin.fail_next("chat.postMessage", error="internal_error")
    assert statuses(run(project, client, w17, clock, pacer)) == [("delivered", "2026-W17")]

    assert len(standin.calls("chat.postMessage")) == 2 + 2 + 2 + 5 + 2  # failures + one success per period
    assert [r["status"] for r in project.digests.deliveries(sub.id)] == ["delivered"] * 5


def test_network_errors_are_retried(project, client, standin, clock, pacer):
    subscribe(project)

    class Flaky:
        def __init__(self):
            self.failures = 1

        def chat_postMessage(self, **kwargs):
            if self.failures:
                self.failures -= 1
                raise URLError(ConnectionRefusedError(111, "Connection refused"))
            return client.chat_postMessage(**kwargs)

    report = run(project, Flaky(), W13, clock, pacer)
    assert statuses(report) == [("delivered", "2026-W13")] and report.outcomes[0].attempts == 2
    assert len(posts(standin)) == 1


def test_permanent_errors_pause_the_subscription_and_list_says_why(project, client, standin, clock, pacer):
    subscribe(project, target="C1")
    subscribe(project, target="C2")
    standin.set_channel_error("C1", "channel_not_found")
    standin.fail_next("chat.postMessage", error="not_in_channel")  # the first post (C1's) is refused…
    standin.set_channel_error("C1", None)  # …so C1 gets not_in_channel; make C2 the missing channel
    standin.set_channel_error("C2", "channel_not_found")
    report = run(project, client, W13, clock, pacer)
    assert sorted((o.target, o.status, o.error) for o in report.outcomes) == [
        ("C1", "paused", "not_in_channel"),
        ("C2", "paused", "channel_not_found"),
    ]
    assert len(standin.calls("chat.postMessage")) == 2  # one refused post each, no retries
    text = listing(project, W13 + timedelta(minutes=1), channel="C2")
    assert "*paused* since Mon, Mar 23, 09:00: the channel no longer exists or the bot cannot see it" in text
    assert "(`channel_not_found`)" in text and "/contexta digest subscribe churn" in text
    assert "the bot is not a member of the channel" in listing(project, W13, channel="C1")
    assert "paused" in project.digests.statuses(target="C1")[0].subscription.status

    # paused subscriptions are skipped, whatever the time
    assert run(project, client, W14, clock, pacer).outcomes == ()
    # fixing the channel and subscribing again resumes (from the next fire time on)
    standin.set_channel_error("C2", None)
    reply = handle_digest_command(
        project, ("subscribe", "churn"), channel_id="C2", user_id="U1", now=W14 + timedelta(hours=1)
    )
    assert "It was paused (the channel no longer exists" in reply.text
    assert statuses(run(project, client, W14 + WEEK, clock, pacer, target="C2")) == [
        ("delivered", "2026-W15")
    ]


def test_refused_blocks_fall_back_to_plain_text(project, client, standin, clock, pacer):
    subscribe(project)
    standin.fail_next("chat.postMessage", error="invalid_blocks")
    assert statuses(run(project, client, W13, clock, pacer)) == [("delivered", "2026-W13")]
    first, second = standin.calls("chat.postMessage")
    assert "blocks" in first.params and "blocks" not in second.params
    assert second.params["text"].startswith("Weekly digest for churn")


def test_posts_to_one_channel_are_paced_one_second_apart(project, client, standin, clock, pacer):
    add_project(project, "fraud")
    subscribe(project, target="C1", project="churn")
    subscribe(project, target="C1", project="fraud")
    subscribe(project, target="C2", project="churn")
    report = run(project, client, W13, clock, pacer)
    assert [o.status for o in report.outcomes] == ["delivered"] * 3
    assert clock.sleeps == [1.0]  # the second post to C1 waited; C2's did not
    assert [c.params["channel"] for c in posts(standin)] == ["C1", "C1", "C2"]


def test_pacer_with_a_real_clock_spaces_posts():
    import time

    pacer = ChannelPacer(interval=0.05)
    started = time.monotonic()
    for _ in range(3):
        pacer.wait("C1")
    pacer.wait("C2")
    assert time.monotonic() - started >= 0.1
    pacer.hold("C1", 0.1)
    assert pacer.wait("C1") > 0.05


def test_a_restart_in_the_middle_neither_loses_nor_repeats_a_digest(project, client, standin, clock, pacer):
    for channel in ("C1", "C2", "C3"):
        subscribe(project, target=channel)

    class Crash(BaseException):
        """The process dies (not an Exception: nothing catches it)."""

    class DiesOnSecondPost:
        def __init__(self):
            self.calls = 0

        def chat_postMessage(self, **kwargs):
            self.calls += 1
            if self.calls == 2:
                raise Crash  # dies while the second post is in flight
            return client.chat_postMessage(**kwargs)

    with pytest.raises(Crash):
        run(project, DiesOnSecondPost(), W13, clock, pacer, holder="dead")
    assert [c.params["channel"] for c in posts(standin)] == ["C1"]
    states = {r["subscription_id"]: r["status"] for r in project.digests.deliveries()}
    assert sorted(states.values()) == ["claimed", "delivered", "posting"]

    # the restarted bot, a minute later: C3's claim is still leased to the dead process
    assert run(project, client, W13 + timedelta(minutes=1), clock, pacer, holder="new").outcomes == ()
    # after the lease: C3 is taken over and posted; C2 (in flight when it died) is not posted again
    report = run(project, client, W13 + timedelta(minutes=11), clock, pacer, holder="new")
    assert statuses(report) == [("delivered", "2026-W13")] and report.outcomes[0].target == "C3"
    assert report.uncertain == ("C2/2026-W13",)
    assert [c.params["channel"] for c in posts(standin)] == ["C1", "C3"]
    assert "may not have been posted" in listing(project, W13 + timedelta(minutes=12), channel="C2")
    # the next week is normal again for everyone, and C2's covers the uncertain week's period end on
    report = run(project, client, W14, clock, pacer, holder="new")
    assert sorted(o.target for o in report.outcomes if o.status == "delivered") == ["C1", "C2", "C3"]


def test_a_claim_taken_before_a_crash_is_taken_over_after_its_lease(project, client, standin, clock, pacer):
    subscribe(project)
    claimed = project.digests.claim_due(now=W13, holder="dead")  # claimed, then the process died
    assert len(claimed.claims) == 1
    assert run(project, client, W13 + timedelta(minutes=9), clock, pacer).outcomes == ()
    report = run(project, client, W13 + timedelta(minutes=10, seconds=1), clock, pacer)
    assert statuses(report) == [("delivered", "2026-W13")]
    assert len(posts(standin)) == 1
    # the dead holder's late wake-up cannot post: its claim is gone
    assert not project.digests.begin_attempt(claimed.claims[0], now=W13 + timedelta(minutes=12))


def test_unsubscribe_during_a_pass_and_deleted_projects(project, client, standin, clock, pacer):
    subscribe(project, target="C1")
    claim = project.digests.claim_due(now=W13, holder="me").claims[0]
    project.digests.unsubscribe(target="C1", project="churn")
    assert not project.digests.begin_attempt(claim, now=W13)  # nothing left to post for
    assert run(project, client, W14, clock, pacer).outcomes == ()
    assert posts(standin) == []
