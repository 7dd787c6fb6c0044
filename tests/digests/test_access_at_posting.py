"""A restricted project's digest in a person's own DM is checked when it is posted, not only when the
rules change: through the bot's digest clock (``DigestScheduler``), Slack facts from the loopback
stand-in, on SQLite and PostgreSQL.

The person is in the project's channel: posted. They leave it (no rule changes): nothing is posted,
the subscription pauses saying why. They are back: it resumes by itself, from then on.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.access import SlackAccess
from bot.digests.scheduler import DigestScheduler
from bot.rendering.subscriptions import pause_reason
from contexta_core.access import ACCESS_PAUSE_REASON, CHANNEL, OWNER_PAUSE_REASON, Target, Viewer
from contexta_core.tenancy import Tenant
from tests.support.slack_standin import TEAM_ID

from .helpers import R, add_project, add_runs, utc

TEAM = Tenant(TEAM_ID)
OWNER, OTHER, ADMIN = "U1", "U2", "U9"
SECRET_CHANNEL, OWNER_DM = "C0SECRET", "D0OWNER"
W13 = utc("2026-03-23T00:00:00Z")  # Monday 09:00 Asia/Seoul
WEEK = timedelta(days=7)
TTL = 0.05  # the Slack facts' cache life here (60 s in the bot): long enough to be shared by a pass


@pytest.fixture
def secret(ctx, standin):
    """`secret`, restricted to #ml-secret (the owner and another member), with the owner's DM with
    the bot subscribed to its digest, and #ml-secret itself too."""
    standin.add_channel(SECRET_CHANNEL, "ml-secret", [OWNER, OTHER], private=True)
    standin.set_channel(OWNER_DM, im_user=OWNER)
    add_project(ctx, "secret")
    add_runs(
        ctx,
        "secret",
        [R(f"v{week}", W13 + week * WEEK - timedelta(days=1), accuracy=0.8) for week in range(3)],
    )
    ctx.access.restrict(
        TEAM, "secret", [Target(CHANNEL, SECRET_CHANNEL, "ml-secret")], actor=ADMIN, surface="slack"
    )
    for target in (OWNER_DM, SECRET_CHANNEL):
        ctx.digests.subscribe(
            tenant=TEAM, target=target, project="secret", created_by=OWNER, now=W13 - 2 * timedelta(days=1)
        )
    return ctx


class Outside:
    """A person in none of the project's channels or user groups."""

    def in_channel(self, channel_id: str) -> bool:
        return False

    def in_usergroup(self, usergroup_id: str) -> bool:
        return False


def scheduler_at(ctx, client, moments: list) -> DigestScheduler:
    """The bot's digest clock, ticked by hand at ``moments`` (one per tick), asking Slack through
    one ``SlackAccess`` as the running bot does."""
    times = iter(moments)
    return DigestScheduler(
        ctx, client, clock=lambda: next(times), sleep=lambda s: None, access=SlackAccess(ttl=TTL)
    )


def owner_sub(ctx):
    (sub,) = ctx.digests.subscriptions(tenant=TEAM, target=OWNER_DM)
    return sub


def outcomes(report) -> list[tuple[str, str]]:
    return sorted((o.target, o.status) for o in report.outcomes)


def test_a_dm_digest_pauses_when_its_person_leaves_the_projects_channels_and_resumes_when_back(
    secret, standin, client
):
    ctx = secret
    w14, w15 = W13 + WEEK, W13 + 2 * WEEK
    clock = scheduler_at(
        ctx,
        client,
        [W13, w14, w14 + timedelta(minutes=1), w14 + timedelta(minutes=2), w15, w15 + timedelta(minutes=1)],
    )
    # the owner is in #ml-secret: their DM gets the digest
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "delivered")]
    assert len(standin.messages(OWNER_DM)) == 1

    standin.set_members(SECRET_CHANNEL, [OTHER])  # the owner left; no access rule changed
    time.sleep(2 * TTL)
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "paused")]
    assert len(standin.messages(OWNER_DM)) == 1 and len(standin.messages(SECRET_CHANNEL)) == 2
    paused = owner_sub(ctx)
    assert paused.status == "paused" and paused.paused_reason == OWNER_PAUSE_REASON
    assert pause_reason(paused.paused_reason, "en") == (
        "you are no longer in any of the project's channels or user groups; it resumes by itself when "
        "you are again (`owner_access_lost`)"
    )
    assert pause_reason(paused.paused_reason, "ko").startswith(
        "더 이상 이 프로젝트의 채널이나 사용자 그룹에 속해 있지 않습니다"
    )
    # their own `digest list` in the DM still shows it, with why, though the project is hidden there
    in_dm = ctx.as_seen_by(TEAM, Viewer.in_private(OWNER, Outside()))
    assert "secret" not in [p.name for p in in_dm.list_projects()]
    assert [s.paused_reason for s in in_dm.digests.subscriptions(tenant=TEAM, target=OWNER_DM)] == [
        OWNER_PAUSE_REASON
    ]
    someone_else = ctx.as_seen_by(TEAM, Viewer.in_private(OTHER + "X", Outside()))
    assert someone_else.digests.subscriptions(tenant=TEAM, target=OWNER_DM) == ()
    (missed,) = [d for d in ctx.digests.deliveries(paused.id) if d["period_key"] != "2026-W13"]
    assert missed["status"] == "failed" and missed["message_ts"] is None
    assert clock.tick().outcomes == ()  # still out: still paused, nothing posted
    assert owner_sub(ctx).status == "paused" and len(standin.messages(OWNER_DM)) == 1

    standin.set_members(SECRET_CHANNEL, [OTHER, OWNER])  # back in the channel
    time.sleep(2 * TTL)
    assert clock.tick().outcomes == ()  # resumed from now on: the week it could not read is not posted
    resumed = owner_sub(ctx)
    assert resumed.is_active and resumed.paused_reason is None
    assert w14 + timedelta(minutes=2) <= resumed.schedule_from < w14 + timedelta(minutes=3)
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "delivered")]
    assert len(standin.messages(OWNER_DM)) == 2
    assert clock.tick().outcomes == ()  # and once only


def test_when_slack_cannot_say_the_dm_digest_is_not_posted(secret, standin, client):
    ctx = secret
    clock = scheduler_at(ctx, client, [W13, W13 + timedelta(minutes=1)])
    standin.fail_next("conversations.members", error="ratelimited")  # the owner's membership: unknown
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "paused")]
    assert standin.messages(OWNER_DM) == [] and owner_sub(ctx).paused_reason == OWNER_PAUSE_REASON
    time.sleep(2 * TTL)
    assert clock.tick().outcomes == ()  # Slack answers again: the owner is a member, so it resumes
    assert owner_sub(ctx).is_active


def test_a_user_group_keeps_the_dm_digest_coming_and_an_open_project_asks_nothing(secret, standin, client):
    ctx = secret
    standin.add_usergroup("S0LEADS", "ml-leads", [OWNER])
    ctx.access.restrict(
        TEAM,
        "secret",
        [Target(CHANNEL, SECRET_CHANNEL, "ml-secret")],
        [Target("usergroup", "S0LEADS", "ml-leads")],
        actor=ADMIN,
        surface="slack",
        subscriber=SlackAccess().subscriber(client, TEAM),  # as `/contexta access` asks: the DM sees it
    )
    standin.set_members(SECRET_CHANNEL, [OTHER])  # out of the channel, but in the group
    clock = scheduler_at(ctx, client, [W13, W13 + WEEK])
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "delivered")]

    ctx.access.open(TEAM, "secret", actor=ADMIN, surface="slack")
    standin.add_usergroup("S0LEADS", "ml-leads", [])
    asked = len(standin.calls("conversations.members")) + len(standin.calls("usergroups.users.list"))
    time.sleep(2 * TTL)
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "delivered")]
    assert len(standin.calls("conversations.members")) + len(standin.calls("usergroups.users.list")) == asked


def test_a_dm_digest_the_terminal_paused_resumes_once_the_bot_sees_its_person_is_a_member(
    secret, standin, client
):
    ctx = secret
    ctx.access.open(TEAM, "secret", actor="operator", surface="cli")
    # the terminal cannot ask Slack who a DM's person is: restricting from there pauses the DM's digest
    ctx.access.restrict(
        TEAM, "secret", [Target(CHANNEL, SECRET_CHANNEL, "ml-secret")], actor="operator", surface="cli"
    )
    assert owner_sub(ctx).paused_reason == ACCESS_PAUSE_REASON
    clock = scheduler_at(ctx, client, [W13 - timedelta(days=1), W13])
    assert clock.tick().outcomes == () and owner_sub(ctx).is_active  # the bot asked Slack: a member
    assert outcomes(clock.tick()) == [(SECRET_CHANNEL, "delivered"), (OWNER_DM, "delivered")]
