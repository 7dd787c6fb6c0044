"""The core's delivery loop with a poster of its own (not Slack): the protocol the loop relies on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contexta_core.digests.posting import PostFailed, RetryPolicy, deliver_due, find_poster
from contexta_core.errors import ConfigurationError

from .helpers import R, add_project, add_runs, utc

W13 = utc("2026-03-23T08:00:00Z")  # Monday 09:00 Berlin


class RecordingPoster:
    """Posts into a list; fails as told first (a queue of PostFailed kinds)."""

    def __init__(self, *failures: PostFailed):
        self.failures = list(failures)
        self.posted: list[tuple[str, str, bool]] = []

    def post(self, subscription, summary, *, plain=False):
        if self.failures:
            raise self.failures.pop(0)
        self.posted.append((subscription.target, summary.project_name, plain))
        return f"m{len(self.posted)}"


@pytest.fixture
def subscribed(ctx):
    add_project(ctx, "churn")
    add_runs(ctx, "churn", [R("v1", utc("2026-03-21T09:00:00Z"), accuracy=0.8)])
    ctx.digests.subscribe(
        target="C1", project="churn", timezone="Europe/Berlin", now=utc("2026-03-20T00:00:00Z")
    )
    return ctx


def test_a_poster_gets_each_due_digest_once_and_its_message_id_is_kept(subscribed):
    poster = RecordingPoster()
    report = deliver_due(subscribed, poster, W13, holder="a", sleep=lambda _: None)
    assert [(o.status, o.message_ts) for o in report.outcomes] == [("delivered", "m1")]
    assert poster.posted == [("C1", "churn", False)]
    assert deliver_due(subscribed, poster, W13 + timedelta(minutes=5), holder="b").outcomes == ()


def test_a_refused_rich_message_goes_out_plain_and_a_permanent_failure_pauses(subscribed):
    poster = RecordingPoster(PostFailed("rich", "too_fancy"))
    [outcome] = deliver_due(subscribed, poster, W13, holder="a", sleep=lambda _: None).outcomes
    assert outcome.status == "delivered" and poster.posted == [("C1", "churn", True)]

    next_week = W13 + timedelta(days=7)
    gone = RecordingPoster(PostFailed("permanent", "gone", reason="the room was closed"))
    [outcome] = deliver_due(subscribed, gone, next_week, holder="a", sleep=lambda _: None).outcomes
    assert (outcome.status, outcome.error) == ("paused", "gone")
    [sub] = subscribed.digests.subscriptions()
    assert not sub.is_active and sub.paused_reason == "the room was closed"


def test_retries_wait_as_the_poster_says_then_hand_the_claim_back(subscribed):
    waits: list[float] = []
    poster = RecordingPoster(*(PostFailed("retry", "busy", retry_after=2.0) for _ in range(3)))
    policy = RetryPolicy(inline_attempts=2)
    [outcome] = deliver_due(subscribed, poster, W13, holder="a", sleep=waits.append, policy=policy).outcomes
    assert outcome.status == "retry_scheduled" and outcome.retry_at is not None
    assert 2.0 in waits and poster.posted == []


def test_an_unknown_poster_is_a_clear_configuration_error():
    with pytest.raises(ConfigurationError, match="no digest poster `pigeon` is installed.*`slack`"):
        find_poster("pigeon")
