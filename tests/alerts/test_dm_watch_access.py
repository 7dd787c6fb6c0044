"""A restricted project's alert watch in a person's own DM is checked when each alert is posted, not
only when the rules change: signed slash commands into the real Bolt app, training code recording
in another process, the bot's own dispatcher thread posting to the Slack stand-in (which also says
who is in which channel), on SQLite and PostgreSQL.

The person is in the project's channel: their DM is alerted. They leave it (no rule changes):
nothing is posted, the watch pauses saying why, and `watch list` in their DM shows it. They are
back: it resumes by itself, and tells what happens from then on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from bot.access import SlackAccess
from bot.alerts.dispatcher import AlertDispatcher
from bot.app import team_clients
from bot.rendering.subscriptions import pause_reason
from contexta_core.access import OWNER_WATCH_PAUSE_REASON
from contexta_core.synthetic import PROJECT
from contexta_core.tenancy import Tenant
from tests.alerts.helpers import FAST, NO_WAIT, alert_posts, blocks_text, train_in_another_process
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver
from tests.support.slack_standin import TEAM_ID

TEAM = Tenant(TEAM_ID)
OWNER, ADMIN = "U1", "U9"
SECRET_CHANNEL, OWNER_DM = "C0SECRET", "D0OWNER"
RESTRICT = f"access restrict {PROJECT} <#{SECRET_CHANNEL}|ml-secret>"
TTL = 0.05  # the Slack facts' cache life here (60 s in the bot)


@pytest.fixture
def bot(settings, standin, demo_ctx) -> Iterator[SlackDriver]:
    """The demo project restricted to #ml-secret (the owner and an admin), the owner's DM with the
    bot, and the app with its alert dispatcher running, both asking Slack through one SlackAccess
    as the serving bot does (resuming paused watches on every poll here, every 15 s in the bot)."""
    standin.add_channel(SECRET_CHANNEL, "ml-secret", [OWNER, ADMIN], private=True)
    standin.set_channel(OWNER_DM, im_user=OWNER)
    standin.set_admin(ADMIN)
    access = SlackAccess(ttl=TTL)
    with drained_app(settings, demo_ctx, access=access) as app:
        dispatcher = AlertDispatcher(
            demo_ctx,
            team_clients(settings, app, demo_ctx),
            poll_seconds=0.1,
            timing=FAST,
            policy=NO_WAIT,
            access=access,
            resume_seconds=0,
        ).start()
        try:
            driver = SlackDriver(app, standin)
            assert "visible only in" in driver.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN).text
            watched = driver.command(f"watch {PROJECT}", channel=OWNER_DM, user=OWNER)
            assert not watched.ephemeral and "will be told about" in watched.content
            yield driver
        finally:
            dispatcher.shutdown()


def owner_watch(ctx):
    (watch,) = ctx.alerts.watches(tenant=TEAM, channel=OWNER_DM)
    return watch


def wait_until(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not {what} within {timeout}s")


def dm_alerts(standin) -> list:
    return alert_posts(standin, OWNER_DM)


def test_a_dm_watch_pauses_when_its_person_leaves_the_projects_channels_and_resumes_when_back(
    bot, standin, demo_ctx
):
    ctx = demo_ctx
    # the owner is in #ml-secret: their DM is alerted
    train_in_another_process(ctx, PROJECT, [("dm-best", 0.955)])
    wait_until(lambda: len(dm_alerts(standin)) == 1, "alerted in the DM")
    assert "dm-best" in blocks_text(dm_alerts(standin)[0])

    standin.set_members(SECRET_CHANNEL, [ADMIN])  # the owner left; no access rule changed
    time.sleep(2 * TTL)
    train_in_another_process(ctx, PROJECT, [("while-away", 0.97)])
    wait_until(lambda: owner_watch(ctx).status == "paused", "paused")
    paused = owner_watch(ctx)
    assert paused.paused_reason == OWNER_WATCH_PAUSE_REASON
    time.sleep(0.5)  # a few more passes: still nothing
    assert len(dm_alerts(standin)) == 1 and owner_watch(ctx).status == "paused"
    # within the minute of the first alert, it would have updated that one: it was left as it was
    assert [c for c in standin.calls("chat.update") if c.params.get("channel") == OWNER_DM] == []
    (refused,) = [d for d in ctx.alerts.deliveries(paused.id) if d["status"] != "delivered"]
    assert refused["status"] == "failed" and refused["last_error"] == OWNER_WATCH_PAUSE_REASON
    assert pause_reason(paused.paused_reason, "en", kind="watch") == (
        "you are no longer in any of the project's channels or user groups; its alerts resume by "
        "themselves (with what happens from then on) when you are again (`owner_access_lost`)"
    )
    assert pause_reason(paused.paused_reason, "ko", kind="watch").startswith(
        "더 이상 이 프로젝트의 채널이나 사용자 그룹에 속해 있지 않습니다"
    )
    # their DM's `watch list` still shows it, paused, and why (though the project is hidden there)
    listed = bot.command("watch list", channel=OWNER_DM, user=OWNER).content
    assert PROJECT in listed and "paused" in listed and "no longer in any of the project's channels" in listed
    assert "/contexta watch" not in listed and "/contexta access" not in listed  # it resumes by itself
    assert "일시 중지됨" in bot.command("감시 목록", channel=OWNER_DM, user=OWNER).content

    standin.set_members(SECRET_CHANNEL, [ADMIN, OWNER])  # back in the channel
    wait_until(lambda: owner_watch(ctx).status == "active", "resumed")
    assert owner_watch(ctx).paused_reason is None
    assert len(dm_alerts(standin)) == 1  # resumed from then on: the alert it could not read is not posted
    train_in_another_process(ctx, PROJECT, [("back-best", 0.98)])
    wait_until(lambda: len(dm_alerts(standin)) == 2, "alerted again")
    told = dm_alerts(standin)[1].params["text"]  # a new message telling only what came after
    assert "1 new run" in told and "new best: evaluate/accuracy 0.98 (back-best)" in told
    time.sleep(0.5)
    assert len(dm_alerts(standin)) == 2  # and once only
    assert [c for c in standin.calls("chat.update") if c.params.get("channel") == OWNER_DM] == []


def test_when_slack_cannot_say_the_dm_alert_is_not_posted(bot, standin, demo_ctx):
    ctx = demo_ctx
    time.sleep(2 * TTL)  # what the watch command read of #ml-secret is forgotten
    standin.fail_next("conversations.members", error="ratelimited")  # the owner's membership: unknown
    train_in_another_process(ctx, PROJECT, [("unknown-best", 0.955)])
    watch_id = owner_watch(ctx).id
    wait_until(lambda: any(d["status"] == "failed" for d in ctx.alerts.deliveries(watch_id)), "refused")
    (failed,) = ctx.alerts.deliveries(watch_id)
    assert failed["last_error"] == OWNER_WATCH_PAUSE_REASON and dm_alerts(standin) == []
    # Slack answers again: the owner is a member, so the watch resumes (from then on)
    wait_until(lambda: owner_watch(ctx).status == "active", "resumed")
    assert dm_alerts(standin) == []


def test_a_channel_watch_of_the_restricted_project_keeps_its_alerts(bot, standin, demo_ctx):
    """Only the DM's person is asked about: the project's own channel is alerted as before."""
    assert not bot.command(f"watch {PROJECT}", channel=SECRET_CHANNEL, user=OWNER).ephemeral
    standin.set_members(SECRET_CHANNEL, [ADMIN])  # the owner left the channel
    time.sleep(2 * TTL)
    train_in_another_process(demo_ctx, PROJECT, [("channel-best", 0.955)])
    wait_until(lambda: len(alert_posts(standin, SECRET_CHANNEL)) == 1, "alerted in the channel")
    wait_until(lambda: owner_watch(demo_ctx).status == "paused", "the DM watch paused")
    assert dm_alerts(standin) == []
