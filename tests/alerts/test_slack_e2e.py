"""`/contexta watch` end to end, on both databases: signed slash commands into the real Bolt app,
training code recording in another process, the bot's own dispatcher thread posting to the Slack
stand-in, and the alert's buttons answered like any other answer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.alerts.dispatcher import AlertDispatcher
from bot.app import team_clients
from contexta_core.importers import open_importer, run_import
from contexta_core.synthetic import PROJECT
from tests.alerts.helpers import FAST, NO_WAIT, alert_posts, blocks_text, train_in_another_process
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver, assert_within_limits
from tests.importers.conftest import TENSORBOARD_LOGS


@pytest.fixture
def bot(settings, standin, demo_ctx) -> Iterator[SlackDriver]:
    """The app over this test's demo workspace, with its alert dispatcher running as in production."""
    with drained_app(settings, demo_ctx) as app:
        dispatcher = AlertDispatcher(
            demo_ctx, team_clients(settings, app, demo_ctx), poll_seconds=0.2, timing=FAST, policy=NO_WAIT
        ).start()
        try:
            yield SlackDriver(app, standin)
        finally:
            dispatcher.shutdown()


def wait_for_alerts(standin, count: int = 1, timeout: float = 20.0, channel: str = "C1") -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = alert_posts(standin, channel)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{len(alert_posts(standin, channel))} alerts within {timeout}s, wanted {count}")


def button(post, action_id: str) -> dict:
    blocks = post.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id
    )


def test_watch_then_a_new_best_from_training_reaches_the_channel_with_working_buttons(bot, standin, demo_ctx):
    reply = bot.command(f"watch {PROJECT}")
    assert reply.in_channel and "This channel will be told about" in reply.content
    assert "new bests, deployments, failures" in reply.content
    train_in_another_process(demo_ctx, PROJECT, [("sweep-best", 0.955)])
    (alert,) = wait_for_alerts(standin)
    content = blocks_text(alert)
    assert "New best" in content and "sweep-best" in content and "0.955" in content
    assert "churn-v6-apr" in content  # the previous best, and what production serves
    clicked = bot.click(button(alert, "compare_production"), message_ts=alert.result["ts"])
    assert "sweep-best" in clicked.content and "churn-v6-apr" in clicked.content
    bot.press(button(alert, "trend_chart"), message_ts=alert.result["ts"])
    listed = bot.command("watch list")
    assert listed.ephemeral and PROJECT in listed.content
    assert bot.command(f"unwatch {PROJECT}").in_channel
    train_in_another_process(demo_ctx, PROJECT, [("after-unwatch", 0.99)])
    time.sleep(FAST.max_gather.total_seconds() + 1.5)
    assert len(alert_posts(standin)) == 1
    assert bot.command("watch list").content.count(PROJECT) == 0


def test_korean_watch_and_alert(bot, standin, demo_ctx):
    reply = bot.command(f"감시 {PROJECT} 실패 배포")
    assert reply.in_channel and "이 채널에" in reply.content and "실패" in reply.content
    train_in_another_process(demo_ctx, PROJECT, [("crash-ko", None)])
    (alert,) = wait_for_alerts(standin)
    content = blocks_text(alert)
    assert "실행 실패" in content and "crash-ko" in content and "CUDA out of memory" in content
    assert "마지막 오류" in content and "Run failed" not in content


def test_watch_mistakes_are_answered_in_the_askers_language(bot):
    unknown_project = bot.command("watch churn-predction")
    assert unknown_project.ephemeral and "churn-prediction" in unknown_project.content
    kind = bot.command(f"watch {PROJECT} bestt")
    assert kind.ephemeral and "unknown alert kind" in kind.content and "new-best" in kind.content
    korean = bot.command(f"감시 {PROJECT} 최고임")
    assert korean.ephemeral and "알 수 없는 알림 종류" in korean.content
    metric = bot.command(f"watch {PROJECT} --metric f2")
    assert metric.ephemeral and "f1" in metric.content  # the metrics it does record
    option = bot.command(f"watch {PROJECT} --stage train")
    assert option.ephemeral and "--metric" in option.content
    none = bot.command("unwatch")
    assert none.ephemeral and "Which project?" in none.content
    for reply in (unknown_project, kind, korean, metric, option, none):
        assert_within_limits(reply)
        assert "went wrong" not in reply.content.lower()


def test_watch_with_a_metric_judges_new_bests_by_it(bot, standin, demo_ctx):
    reply = bot.command(f"watch {PROJECT} new-best --metric f1")
    assert "f1" in reply.content
    train_in_another_process(demo_ctx, PROJECT, [("f1-champion", 0.99)], metric="f1")
    (alert,) = wait_for_alerts(standin)
    assert "evaluate/f1" in blocks_text(alert) and "f1-champion" in blocks_text(alert)


def test_a_bulk_import_into_a_watched_project_raises_no_alert(bot, standin, demo_ctx):
    with demo_ctx.run("first", project="vision") as run:
        run.log_metric("accuracy", 0.5)
    assert bot.command("watch vision new-best deployments failures regressions").in_channel
    summary = run_import(demo_ctx, open_importer("tensorboard", str(TENSORBOARD_LOGS), project="vision"))
    assert summary.new_runs >= 2
    time.sleep(FAST.max_gather.total_seconds() + 1.5)
    assert alert_posts(standin) == []
    with pytest.raises(RuntimeError), demo_ctx.run("second", project="vision"):  # training's runs are news
        raise RuntimeError("diverged")
    (alert,) = wait_for_alerts(standin)
    assert "second" in blocks_text(alert)


def test_korean_watch_list_words_the_pause_reasons_in_korean(bot, demo_ctx):
    from contexta_core.access import ACCESS_PAUSE_REASON
    from contexta_core.alerts import watches as alert_watches

    bot.command(f"watch {PROJECT}", channel="C1")
    bot.command(f"watch {PROJECT}", channel="C2")
    reasons = {"C1": "the channel is archived (`is_archived`)", "C2": ACCESS_PAUSE_REASON}
    (team,) = demo_ctx.tenants()  # the bot's
    with demo_ctx.database.writing(bump_version=False) as conn:
        for channel, reason in reasons.items():
            (watch,) = demo_ctx.alerts.watches(tenant=team, channel=channel)
            alert_watches.pause_in(conn, watch.id, reason, datetime.now(UTC))
    archived = bot.command("감시 목록", channel="C1").content
    assert "채널이 보관되었습니다" in archived and "the channel is archived" not in archived
    restricted = bot.command("감시 목록", channel="C2").content
    assert "이 채널에 공개되지 않습니다" in restricted and "no longer shared" not in restricted
    assert "/contexta access open" in restricted and f"/contexta watch {PROJECT}" not in restricted
    english = bot.command("watch list", channel="C1").content
    assert "the channel is archived" in english and f"/contexta watch {PROJECT}" in english
