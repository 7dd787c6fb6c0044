"""Posts whose outcome is not known (an answer lost to a timeout, a 5xx after posting) and leases
that run out during a long pass: never a second digest, and never a report that disagrees with the
database (issue #12, findings 1 and 2).

Each test runs on a SQLite file and on PostgreSQL, through the real slack_sdk client and the
Slack stand-in; the pass's clock is the fake one the pacer sleeps on.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.digests.delivery import deliver_due
from contexta_core import Contexta

from .helpers import BOT_TOKEN, R, add_project, add_runs, utc

SUBSCRIBED = utc("2026-03-20T10:00:00Z")
W13 = utc("2026-03-23T08:00:00Z")  # Monday 09:00 Berlin


@pytest.fixture
def project(ctx):
    add_project(ctx, "churn")
    add_runs(ctx, "churn", [R("v1", utc("2026-03-21T09:00:00Z"), accuracy=0.8)])
    return ctx


def subscribe(ctx, target="C1"):
    return ctx.digests.subscribe(target=target, project="churn", now=SUBSCRIBED, timezone="Europe/Berlin")[0]


def pass_clock(clock, start):
    """The pass's wall clock: ``start`` plus the fake seconds slept since."""
    base = clock.now
    return lambda: start + timedelta(seconds=clock.now - base)


def run(ctx, client, clock, pacer, now=W13, **kwargs):
    return deliver_due(
        ctx, client, now, holder="me", sleep=clock.sleep, pacer=pacer, clock=pass_clock(clock, now), **kwargs
    )


def row(ctx, sub):
    (found,) = ctx.digests.deliveries(sub.id)
    return found


def metadata_of(message: dict) -> dict:
    value = message.get("metadata")
    return json.loads(value) if isinstance(value, str) else value


def test_a_post_whose_answer_times_out_is_found_in_the_channel_and_not_posted_again(
    project, standin, clock, pacer
):
    sub = subscribe(project)
    impatient = WebClient(token=BOT_TOKEN, base_url=standin.api_url, timeout=1, retry_handlers=[])
    standin.fail_next("chat.postMessage", after_success=True, delay=2.5)  # posted; the answer comes too late
    report = run(project, impatient, clock, pacer)
    (message,) = standin.messages("C1")  # one digest in the channel, not two
    assert [(o.status, o.attempts, o.message_ts) for o in report.outcomes] == [
        ("delivered", 1, message["ts"])
    ]
    stored = row(project, sub)
    assert (stored["status"], stored["attempts"], stored["message_ts"]) == ("delivered", 1, message["ts"])
    payload = metadata_of(message)
    assert (
        payload["event_type"] == "contexta_digest"
        and str(stored["id"]) in payload["event_payload"]["delivery"]
    )


def test_a_5xx_after_posting_is_recognised_and_a_5xx_before_posting_is_retried(
    project, client, standin, clock, pacer
):
    sub = subscribe(project)
    standin.fail_next("chat.postMessage", status=500, after_success=True)
    report = run(project, client, clock, pacer)
    assert [o.status for o in report.outcomes] == ["delivered"]
    assert len(standin.messages("C1")) == 1 and row(project, sub)["attempts"] == 1
    assert len(standin.calls("chat.postMessage")) == 1  # looked it up instead of posting again

    standin.reset()
    project_week = W13 + timedelta(days=7)
    standin.fail_next("chat.postMessage", status=503)  # not posted: the lookup finds nothing, so retried
    report = run(project, client, clock, pacer, now=project_week)
    assert [(o.status, o.attempts) for o in report.outcomes] == [("delivered", 2)]
    assert len(standin.messages("C1")) == 1


def test_an_outcome_that_cannot_be_decided_is_marked_uncertain_and_never_reposted(
    project, client, standin, clock, pacer
):
    sub = subscribe(project)
    standin.fail_next("chat.postMessage", status=502)
    standin.fail_next("conversations.history", error="missing_scope")  # channels:history not granted
    report = run(project, client, clock, pacer)
    assert [o.status for o in report.outcomes] == ["uncertain"]
    assert "1 uncertain" in report.summary()
    stored = row(project, sub)
    assert stored["status"] == "uncertain" and "missing_scope" in stored["last_error"]
    assert run(project, client, clock, pacer, now=W13 + timedelta(hours=1)).outcomes == ()
    assert len(standin.calls("chat.postMessage")) == 1
    from bot.digests.commands import handle_digest_command

    reply = handle_digest_command(project, ("list",), channel_id="C1", user_id="U1", now=W13)
    listing = reply.text + json.dumps(reply.blocks)
    assert "may not have been posted (internal_error (HTTP 502); could not read the channel" in listing
    assert "missing_scope); it is not posted again" in listing


class OtherProcessDuringPost(WebClient):
    """A real client that lets another bot process run a claim pass while one channel's post is in flight."""

    def __init__(self, *args, during: str, other_pass, **kwargs):
        super().__init__(*args, **kwargs)
        self._during, self._other_pass = during, other_pass

    def chat_postMessage(self, **kwargs):
        if kwargs.get("channel") == self._during:
            self._other_pass()
        return super().chat_postMessage(**kwargs)


def slow_first_channel(standin):
    """C1's post is rate limited twice for 8 s each: the pass reaches C2 about 17 s after it began."""
    standin.fail_next("chat.postMessage", status=429, retry_after=8, times=2)


def test_a_lease_is_taken_from_the_clock_when_the_post_begins(project, database_url, standin, clock, pacer):
    subscribe(project, "C1")
    late = subscribe(project, "C2")
    elapsed = pass_clock(clock, W13)
    seen: list = []
    with Contexta(database_url=database_url) as other:

        def other_pass():
            seen.append(other.digests.claim_due(now=elapsed(), holder="other", lease=timedelta(seconds=15)))

        client = OtherProcessDuringPost(
            token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=[], during="C2", other_pass=other_pass
        )
        slow_first_channel(standin)
        report = run(project, client, clock, pacer, lease=timedelta(seconds=15))
    assert seen and seen[0].uncertain == () and seen[0].claims == ()
    assert {o.target: o.status for o in report.outcomes} == {"C1": "delivered", "C2": "delivered"}
    assert row(project, late)["status"] == "delivered"


def test_a_lease_lost_while_posting_ends_with_the_database_agreeing(
    project, database_url, standin, clock, pacer
):
    subscribe(project, "C1")
    late = subscribe(project, "C2")
    with Contexta(database_url=database_url) as other:

        def other_pass():  # the post hangs past its lease: another process gives up on it
            other.digests.claim_due(now=W13 + timedelta(hours=1), holder="other", lease=timedelta(seconds=15))

        client = OtherProcessDuringPost(
            token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=[], during="C2", other_pass=other_pass
        )
        report = run(project, client, clock, pacer, lease=timedelta(seconds=15))
    outcome = {o.target: o for o in report.outcomes}["C2"]
    stored = row(project, late)
    assert outcome.status == stored["status"] == "delivered"  # it was posted, and now the row says so
    assert stored["message_ts"] == outcome.message_ts == standin.messages("C2")[0]["ts"]


def test_a_poster_that_cannot_look_leaves_an_unclear_post_uncertain(project, clock, pacer):
    from contexta_core.digests.posting import PostFailed
    from contexta_core.digests.posting import deliver_due as core_deliver_due

    class BlindPoster:
        """Posts somewhere that cannot be searched; its first answer is lost."""

        def __init__(self):
            self.calls = 0

        def post(self, subscription, summary, *, plain=False):
            self.calls += 1
            raise PostFailed("retry", "the answer was lost", unanswered=True)

    sub = subscribe(project)
    poster = BlindPoster()
    report = core_deliver_due(project, poster, W13, holder="me", sleep=clock.sleep, pacer=pacer)
    assert [o.status for o in report.outcomes] == ["uncertain"] and poster.calls == 1
    assert row(project, sub)["status"] == "uncertain"
