"""Alerts from the outbox to Slack (the loopback stand-in), on both databases: exactly once, never
stale, bursts rolled up, Slack's failures retried only after looking for the post."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta

from bot.alerts.dispatcher import AlertDispatcher
from contexta_core.alerts import deliver_due_alerts
from contexta_core.contract import Run
from contexta_core.delivery import ChannelPacer
from contexta_core.synthetic import PROJECT
from contexta_core.tenancy import Tenant
from tests.alerts.helpers import (
    FAST,
    NO_WAIT,
    ROOT,
    alert_posts,
    blocks_text,
    dispatch_until_quiet,
    finished,
    poster_for,
    single_workspace,
    train_in_another_process,
)

TEAM = Tenant("T1")


def watch(ctx, channel="C1", project=PROJECT, **options):
    return ctx.alerts.watch(tenant=TEAM, channel=channel, project=project, **options)[0]


def test_a_new_best_recorded_by_training_in_another_process_is_alerted_once(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    train_in_another_process(ctx, PROJECT, [("sweep-7", 0.951)])
    poster = poster_for(standin)
    outcomes = dispatch_until_quiet(ctx, poster)
    assert [o.status for o in outcomes] == ["delivered"]
    (post,) = alert_posts(standin, "C1")
    content = blocks_text(post)
    assert "New best" in content and "sweep-7" in content and "0.951" in content
    assert "churn-v6-apr" in content and "0.902" in content and "+0.049" in content  # previous best, margin
    assert "Not live" in content  # production serves churn-v6-apr
    blocks = post.params["blocks"]
    actions = [
        b for b in (json.loads(blocks) if isinstance(blocks, str) else blocks) if b["type"] == "actions"
    ]
    ids = {e["action_id"] for e in actions[0]["elements"]}
    assert ids == {"compare_production", "trend_chart"}
    assert dispatch_until_quiet(ctx, poster, seconds=1.5) == []  # and never again
    assert len(alert_posts(standin)) == 1


def test_nothing_older_than_the_watch_is_told(demo_ctx, standin):
    ctx = demo_ctx
    train_in_another_process(ctx, PROJECT, [("before-the-watch", 0.99)])  # a new best, but before
    watch(ctx)
    old = datetime(2025, 1, 2, tzinfo=UTC)  # a backfill of last year's run, written now
    ctx.metadata_store.runs.put_run(
        Run(run_ref=f"run:{PROJECT}.backfill", project_ref=f"project:{PROJECT}", name="backfill",
            status="completed", started_at=old, ended_at=old + timedelta(hours=1))
    )  # fmt: skip
    poster = poster_for(standin)
    assert [o.status for o in dispatch_until_quiet(ctx, poster)] == []
    assert alert_posts(standin) == []
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    dispatch_until_quiet(ctx, poster)
    (post,) = alert_posts(standin)
    content = blocks_text(post)
    assert "crashes" in content and "CUDA out of memory" in content and "before-the-watch" not in content


def test_a_burst_of_runs_rolls_up_into_one_message_and_the_minute_updates_it(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    sweep = [(f"sweep-{i:02d}", 0.80 + i / 1000) for i in range(50)]
    sweep[37] = ("sweep-37", 0.97)  # the new best, in the middle of the sweep
    train_in_another_process(ctx, PROJECT, sweep)
    poster = poster_for(standin)
    dispatch_until_quiet(ctx, poster)
    (post,) = alert_posts(standin)
    content = blocks_text(post)
    assert "50 new runs" in content and "new best" in content.lower() and "sweep-37" in content
    assert post.params["text"].startswith(
        f"{PROJECT}: 50 new runs; new best: evaluate/accuracy 0.97 (sweep-37)"
    )

    train_in_another_process(ctx, PROJECT, [("late-1", 0.98)])  # within the minute: the message is updated
    outcomes = dispatch_until_quiet(ctx, poster)
    assert [o.status for o in outcomes] == ["updated"]
    assert len(alert_posts(standin)) == 1
    (updated,) = standin.calls("chat.update")
    assert updated.params["ts"] == post.result["ts"]
    assert "51 new runs" in updated.params["text"] and "late-1" in updated.params["text"]

    train_in_another_process(ctx, PROJECT, [("next-minute", 0.99)])
    later = datetime.now(UTC) + timedelta(seconds=61)  # the minute is over: a message of its own
    outcomes = [
        o
        for at in (later, later + FAST.max_gather)  # routed, then gathered
        for o in deliver_due_alerts(
            ctx, poster, at, timing=FAST, policy=NO_WAIT, pacer=ChannelPacer(0)
        ).outcomes
    ]
    assert [o.status for o in outcomes] == ["delivered"]
    second = alert_posts(standin)[1]
    assert second.params["text"] == f"{PROJECT}: 1 new run; new best: evaluate/accuracy 0.99 (next-minute)"
    assert "late-1` at 0.98" in blocks_text(second)  # the previous best, from the minute before
    rows = ctx.alerts.deliveries()
    assert [r["status"] for r in rows] == ["delivered", "delivered"]
    assert rows[1]["claimed_at"] - rows[0]["claimed_at"] >= timedelta(seconds=60)


def test_runs_landing_over_a_minute_read_as_one_message_that_keeps_up(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    dispatcher = AlertDispatcher(ctx, single_workspace(poster_for(standin).clients(TEAM)), poll_seconds=0.2,
                                 timing=FAST, policy=NO_WAIT).start()  # fmt: skip
    try:
        training = train_in_another_process(
            ctx, PROJECT, [(f"spread-{i:02d}", 0.95 + i / 1000) for i in range(50)], pause=0.25, wait=False
        )
        first = wait_until(lambda: alert_posts(standin), timeout=20)
        finished(training)
        # It came while the sweep was still landing, not after it, told by the sweep's own events
        # (when each run ended, what the message counted), not by a busy machine's clock: at least
        # 20 of the 50 runs (5 s of the sweep at its pace) ended after Slack got the first message,
        # which counted only runs that had ended before it.
        spread = [r for r in ctx.list_runs(PROJECT) if r.name.startswith("spread-")]
        posted_at = datetime.fromtimestamp(first[0].at, UTC)
        ended_after = sum(1 for r in spread if r.ended_at > posted_at)
        told = int(re.match(rf"{PROJECT}: (\d+) new runs?;", first[0].params["text"]).group(1))
        assert len(spread) == 50 and ended_after >= 20 and 1 <= told <= 50 - ended_after
        wait_until(
            lambda: any("50 new runs" in c.params["text"] for c in standin.calls("chat.update")), timeout=20
        )
    finally:
        dispatcher.shutdown()
    assert len(alert_posts(standin)) == 1
    final = standin.calls("chat.update")[-1]
    assert "spread-49" in final.params["text"] and final.params["ts"] == first[0].result["ts"]


def wait_until(check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s")


def test_a_slack_500_is_looked_up_then_retried_and_posted_once(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    standin.fail_next("chat.postMessage", status=500)  # refused: nothing was posted
    outcomes = dispatch_until_quiet(ctx, poster_for(standin))
    assert [o.status for o in outcomes] == ["delivered"] and outcomes[0].attempts == 2
    methods = [c.method for c in standin.calls() if c.method in ("chat.postMessage", "conversations.history")]
    assert methods == ["chat.postMessage", "conversations.history", "chat.postMessage"]
    assert len(standin.messages("C1")) == 1


def test_a_slack_500_after_the_post_went_through_is_found_and_not_posted_again(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    standin.fail_next("chat.postMessage", status=500, after_success=True)
    outcomes = dispatch_until_quiet(ctx, poster_for(standin))
    assert [o.status for o in outcomes] == ["delivered"]
    assert len(standin.calls("chat.postMessage")) == 1 and len(standin.messages("C1")) == 1
    assert ctx.alerts.deliveries()[0]["message_ts"] == standin.messages("C1")[0]["ts"]


RACER = """
import json, sys, time
from contexta_core import Contexta
from tests.alerts.helpers import dispatch_until_quiet, poster_for

class Standin:
    def __init__(self, api_url):
        self.api_url = api_url

spec = json.loads(sys.argv[1])
with Contexta(workspace=spec["workspace"], database_url=spec["url"]) as ctx:
    while time.time() < spec["start"]:
        time.sleep(0.005)
    outcomes = dispatch_until_quiet(ctx, poster_for(Standin(spec["api"])), seconds=6)
    print(json.dumps([o.status for o in outcomes]))
"""


def test_two_dispatcher_processes_racing_post_each_alert_once(demo_ctx, standin):
    ctx = demo_ctx
    for channel in ("C1", "C2", "C3"):
        watch(ctx, channel=channel)
    train_in_another_process(ctx, PROJECT, [("crashes", None), ("sweep-1", 0.99)])
    spec = {
        "workspace": ctx.workspace,
        "url": ctx.database_url,
        "api": standin.api_url,
        "start": time.time() + 2,
    }
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(RACER), json.dumps(spec)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        results.extend(json.loads(out.strip().splitlines()[-1]))
    assert sorted(results) == ["delivered"] * 3
    for channel in ("C1", "C2", "C3"):
        (post,) = alert_posts(standin, channel)
        assert "sweep-1" in blocks_text(post) and "crashes" in blocks_text(post)


def test_deployments_regressions_and_failures_read_in_the_watchs_language(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx, kinds=("deployments", "regressions", "failures"), language="ko")
    # churn-v6-apr (0.902) is live; a worse run goes live after it: a regression
    ctx.record_deployment("prod-worse", f"run:{PROJECT}.churn-v1-jan")
    dispatch_until_quiet(ctx, poster_for(standin))
    (post,) = alert_posts(standin)
    content = blocks_text(post)
    assert "새 배포" in content and "prod-worse" in content and "churn-v1-jan" in content
    assert "성능 저하" in content and "0.821" in content and "0.902" in content
    assert "대체된 배포" in content
    assert "New deployment" not in content  # all Korean


def test_slack_refusing_the_channel_pauses_the_watch_until_watched_again(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    standin.set_channel_error("C1", "not_in_channel")
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    outcomes = dispatch_until_quiet(ctx, poster_for(standin))
    assert [o.status for o in outcomes] == ["paused"]
    (paused,) = ctx.alerts.watches(tenant=TEAM)
    assert paused.status == "paused" and "not_in_channel" in paused.paused_reason
    standin.set_channel_error("C1", None)
    train_in_another_process(ctx, PROJECT, [("crashes-again", None)])  # not routed while paused
    assert dispatch_until_quiet(ctx, poster_for(standin), seconds=2) == []
    assert watch(ctx).status == "active"
    train_in_another_process(ctx, PROJECT, [("crashes-third", None)])
    dispatch_until_quiet(ctx, poster_for(standin))
    (message,) = standin.messages("C1")
    assert "crashes-third" in json.dumps(message) and "crashes-again" not in json.dumps(message)


def test_watches_belong_to_their_team_and_channel(demo_ctx, standin):
    ctx = demo_ctx
    ctx.alerts.watch(tenant=Tenant("T1"), channel="C1", project=PROJECT)
    ctx.alerts.watch(tenant=Tenant("T2"), channel="C1", project=PROJECT, kinds=("failures",))
    assert [w.kinds for w in ctx.alerts.watches(tenant=Tenant("T2"))] == [("failures",)]
    assert ctx.alerts.unwatch(tenant=Tenant("T2"), channel="C1", project=PROJECT) is not None
    assert [w.tenant for w in ctx.alerts.watches(tenant=Tenant("T1"))] == [Tenant("T1")]


def test_settled_events_and_messages_are_forgotten_after_a_while(demo_ctx, standin):
    ctx = demo_ctx
    watch(ctx)
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    dispatch_until_quiet(ctx, poster_for(standin))
    assert ctx.alerts.prune(before=datetime.now(UTC) - timedelta(days=30)) == 0
    assert ctx.alerts.prune(before=datetime.now(UTC) + timedelta(seconds=1)) == 2  # one message, one event
    assert ctx.alerts.deliveries() == [] and not ctx.alerts.anything_to_do(datetime.now(UTC))


def test_a_watch_still_hears_events_after_the_outbox_was_pruned(demo_ctx, standin):
    """Event ids are never reused (SQLite's AUTOINCREMENT): once every settled event is pruned the
    next one still has a higher id than the watch's start, so it is told."""
    ctx = demo_ctx
    train_in_another_process(ctx, PROJECT, [("before-the-watch", 0.5)])  # event 1: the watch starts there
    watch(ctx, kinds=("failures",))
    train_in_another_process(ctx, PROJECT, [("crashes", None)])
    assert [o.status for o in dispatch_until_quiet(ctx, poster_for(standin))] == ["delivered"]
    assert ctx.alerts.prune(before=datetime.now(UTC) + timedelta(seconds=1)) == 3  # every event, the message
    train_in_another_process(ctx, PROJECT, [("crashes-after-the-prune", None)])
    assert [o.status for o in dispatch_until_quiet(ctx, poster_for(standin))] == ["delivered"]
    assert "crashes-after-the-prune" in blocks_text(alert_posts(standin, "C1")[-1])


def test_a_failure_without_an_error_event_says_so_and_never_shows_an_info_event_as_its_error(
    demo_ctx, standin
):
    ctx = demo_ctx
    watch(ctx, kinds=("failures",), channel="C1")
    watch(ctx, kinds=("failures",), channel="C2", language="ko")
    try:
        with ctx.run("quiet-crash", project=PROJECT) as run:
            run.log_event("epoch_done", "epoch 3 finished fine", level="info")
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    dispatch_until_quiet(ctx, poster_for(standin))
    (english,) = alert_posts(standin, "C1")
    (korean,) = alert_posts(standin, "C2")
    assert "no error event recorded" in blocks_text(english)
    assert "기록된 오류 이벤트 없음" in blocks_text(korean)
    assert "epoch 3 finished fine" not in blocks_text(english) + blocks_text(korean)
