"""Project access end to end: signed Slack requests into the real Bolt app, Slack facts (channels,
members, user groups, admins) from the loopback stand-in, on SQLite and PostgreSQL.

A restricted project is answered only in its channels, in DMs and the Home tab only to members of
its channels or user groups, and everywhere else reads exactly as a project that does not exist:
the replies are compared with the ones the same questions got before the project was recorded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.access import SlackAccess
from bot.settings import load_settings
from contexta_core import Contexta
from contexta_core.access import Target
from contexta_core.ask.commands import AccessTarget
from contexta_core.errors import ContextaError
from contexta_core.synthetic import seed_demo
from contexta_core.tenancy import Tenant
from tests.bot.conftest import BOT_TOKEN, SIGNING_SECRET, drained_app
from tests.bot.harness import Reply, SlackDriver, assert_within_limits
from tests.support.slack_standin import TEAM_ID, SlackStandIn

SECRET = "acquisition-target-x"
ADMIN, MEMBER, OUTSIDER, LEAD = "U9", "U1", "U2", "U3"
SECRET_CHANNEL, GENERAL, RANDOM = "C0SECRET", "C1", "C0RANDOM"
RESTRICT = f"access restrict {SECRET} <#{SECRET_CHANNEL}|ml-secret>"


@pytest.fixture
def slack(slack_rw: SlackDriver, standin: SlackStandIn) -> SlackDriver:
    """A workspace with #ml-secret (U1, U9), #general (everyone), #random, the @ml-leads group (U3)
    and one admin (U9)."""
    standin.add_channel(SECRET_CHANNEL, "ml-secret", [MEMBER, ADMIN], private=True)
    standin.add_channel(GENERAL, "general", [MEMBER, OUTSIDER, LEAD, ADMIN])
    standin.add_channel(RANDOM, "random", [MEMBER, OUTSIDER])
    standin.add_usergroup("S0LEADS", "ml-leads", [LEAD])
    standin.set_admin(ADMIN)
    return slack_rw


@pytest.fixture
def ws(slack: SlackDriver, demo_ctx: Contexta) -> Contexta:
    """The workspace `slack` answers from (the churn-prediction demo)."""
    return demo_ctx


def _dm(slack: SlackDriver, text: str, *, user: str, channel: str) -> Reply:
    return slack.dm(text, user=user, channel=channel)


def _seen(reply: Reply) -> tuple:
    """What a person reads in a reply, and whether only they do."""
    _within_limits(reply)
    return reply.text, reply.blocks, reply.ephemeral


def _within_limits(reply: Reply) -> None:
    """Slack's limits for a message with blocks; no raw mention or link in any reply."""
    if reply.blocks:
        assert_within_limits(reply)
    assert "<" not in reply.content and ">" not in reply.content.replace("&gt;", "")


# -- not there for anyone outside ----------------------------------------------------------------

ASKED_IN_GENERAL = (
    f"runs {SECRET}",
    f"best {SECRET}",
    f"trend {SECRET} accuracy",
    "runs acquisition-targt-x",  # a typo of it: no "did you mean"
    "projects",
    f"use {SECRET}",
    f"digest subscribe {SECRET}",
    f"digest preview {SECRET}",
    f"compare run:{SECRET}.churn-v1-jan run:{SECRET}.churn-v2-feb",
    "compare churn-v1-jan churn-v2-feb",  # its runs share these names: not ambiguous here
    f"access show {SECRET}",
    "access show",
    f"실행 {SECRET}",  # Korean
)
MENTIONED_IN_GENERAL = (
    f"what is the best run of {SECRET}?",
    "how many runs does acquisition have?",  # a distinctive word of its name
    f"{SECRET} 최고 실행은?",
)


def _everything_outsiders_ask(slack: SlackDriver, round_: int) -> list[tuple]:
    seen = [
        _seen(slack.command(text, channel=GENERAL, user=user))
        for text in ASKED_IN_GENERAL
        for user in (OUTSIDER, MEMBER)
    ]
    seen += [_seen(slack.mention(text, channel=GENERAL, user=OUTSIDER)) for text in MENTIONED_IN_GENERAL]
    seen += [_seen(_dm(slack, f"onboard me on {SECRET}", user=OUTSIDER, channel=f"D0OUT{round_}"))]
    seen += [_seen(_dm(slack, f"runs of {SECRET}", user=OUTSIDER, channel=f"D0OUT{round_}"))]
    return seen


def test_a_restricted_project_reads_exactly_as_one_that_does_not_exist(
    slack: SlackDriver, ws: Contexta
) -> None:
    before = _everything_outsiders_ask(slack, 1)  # the project is not recorded yet
    seed_demo(ws, project=SECRET)
    assert SECRET in slack.command(f"runs {SECRET}", channel=GENERAL, user=OUTSIDER).content  # open to all
    restricted = slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    assert restricted.ephemeral and "now visible only in `#ml-secret`" in restricted.text
    after = _everything_outsiders_ask(slack, 2)
    for asked, (was, now) in enumerate(zip(before, after, strict=True)):
        assert now == was, asked
    listed = after[2 * ASKED_IN_GENERAL.index("projects")]
    assert "churn-prediction" in json.dumps(listed) and SECRET not in json.dumps(listed)
    typo = after[2 * ASKED_IN_GENERAL.index("runs acquisition-targt-x")]
    assert SECRET not in json.dumps(typo)  # no "did you mean" towards it


def test_answered_in_its_channels_and_in_dms_only_to_their_members(slack: SlackDriver, ws: Contexta) -> None:
    seed_demo(ws, project=SECRET)
    slack.command(RESTRICT + " <!subteam^S0LEADS|@ml-leads>", channel=SECRET_CHANNEL, user=ADMIN)
    inside = slack.command(f"runs {SECRET}", channel=SECRET_CHANNEL, user=MEMBER)
    assert inside.in_channel and f"Runs · {SECRET}" in inside.content
    assert f"Best run · {SECRET}" in slack.mention(f"best run of {SECRET}?", channel=SECRET_CHANNEL).content
    missing = "no project `acquisition-target-x`"
    # the member asking in #general: everyone there would read the answer
    assert missing in slack.command(f"runs {SECRET}", channel=GENERAL, user=MEMBER).text
    # in DMs: members of its channel or user group yes, others no
    assert f"Runs · {SECRET}" in _dm(slack, f"runs of {SECRET}", user=MEMBER, channel="D0MEMBER").content
    assert f"Runs · {SECRET}" in _dm(slack, f"runs of {SECRET}", user=LEAD, channel="D0LEAD").content
    assert SECRET not in _dm(slack, f"runs of {SECRET}", user=OUTSIDER, channel="D0OUT").content.replace(
        f"`{SECRET}`", ""
    )
    # a slash command in a DM between two people is shared; in the asker's own DM with the bot it is not
    assert missing in slack.command(f"runs {SECRET}", channel="D0PEOPLE", user=MEMBER).text
    own = WebClient(token=BOT_TOKEN, base_url=slack.standin.api_url).conversations_open(users=MEMBER)
    in_own_dm = slack.command(f"runs {SECRET}", channel=own["channel"]["id"], user=MEMBER)
    assert f"Runs · {SECRET}" in in_own_dm.content
    # a button carrying the project is answered only where the project may be seen
    buttons = [b for b in inside.buttons() + slack.command(f"best {SECRET}", channel=SECRET_CHANNEL).buttons()
               if SECRET in b["value"]]  # fmt: skip
    assert buttons
    for button in buttons:
        refused = slack.click(button, channel=GENERAL)
        assert refused.ephemeral and missing in refused.text, button["action_id"]
    # leaving the channel: the membership is read again after a short while (60 s cache), not per question
    assert len(slack.standin.calls("conversations.members")) == 1


def _home(slack: SlackDriver, user: str) -> str:
    before = len(slack.standin.calls("views.publish"))
    slack.open_home(user=user)
    call = slack.standin.wait_for("views.publish", before + 1)[-1]
    view = call.params["view"]
    return view if isinstance(view, str) else json.dumps(view, ensure_ascii=False)


def test_app_home_lists_it_only_for_members(slack: SlackDriver, ws: Contexta) -> None:
    seed_demo(ws, project=SECRET)
    assert SECRET in _home(slack, OUTSIDER)
    slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    assert SECRET not in _home(slack, OUTSIDER) and "churn-prediction" in _home(slack, OUTSIDER)
    assert SECRET in _home(slack, MEMBER)


# -- digests ----------------------------------------------------------------------------------------


def test_a_channel_that_loses_access_has_its_digest_paused_and_told_why(
    slack: SlackDriver, ws: Contexta
) -> None:
    seed_demo(ws, project=SECRET)
    assert not slack.command(f"digest subscribe {SECRET}", channel=GENERAL, user=OUTSIDER).ephemeral
    slack.command(f"use {SECRET}", channel=RANDOM, user=OUTSIDER)  # #random's default project
    restricted = slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    assert "Paused 1 digest subscription that lost access: `#general`" in restricted.text
    listed = slack.command("digest list", channel=GENERAL, user=OUTSIDER).content
    assert f"`{SECRET}`" in listed and "*paused*" in listed
    assert "the project is no longer shared with this channel" in listed
    assert f"An admin can give this channel access with `/contexta access restrict {SECRET}" in listed
    assert "then run `/contexta digest subscribe" not in listed  # that would be refused
    korean = slack.command("다이제스트 목록", channel=GENERAL, user=OUTSIDER).content
    assert "이 프로젝트가 더 이상 이 채널에 공개되지 않습니다" in korean
    # subscribing again is refused like a project that does not exist; other channels see nothing of it
    refused = slack.command(f"digest subscribe {SECRET}", channel=GENERAL, user=OUTSIDER)
    assert refused.ephemeral and "no project `acquisition-target-x`" in refused.text
    elsewhere = slack.command("digest list", channel=RANDOM, user=OUTSIDER).content
    assert SECRET not in elsewhere and "more in other channels" not in elsewhere
    assert SECRET not in slack.command("digest list all", channel=RANDOM, user=OUTSIDER).content
    # #random's default is out of its sight now: never named back, as if it had been deleted
    for text in ("runs", "help", "digest subscribe", "digest preview"):
        assert SECRET not in slack.command(text, channel=RANDOM, user=OUTSIDER).content, text
    # access given back: the subscription resumes by itself
    opened = slack.command(f"access open {SECRET}", channel=SECRET_CHANNEL, user=ADMIN)
    assert (
        "open to the whole workspace again" in opened.text and "Resumed 1 digest subscription" in opened.text
    )
    assert "*paused*" not in slack.command("digest list", channel=GENERAL, user=OUTSIDER).content
    [sub] = [s for s in ws.digests.subscriptions(tenant=Tenant(TEAM_ID), target=GENERAL)]
    assert sub.is_active


# -- who may change it, and the record of every change -------------------------------------------


def test_only_admins_owners_and_named_people_change_access(
    slack: SlackDriver, ws: Contexta, standin: SlackStandIn, tmp_path
) -> None:
    seed_demo(ws, project=SECRET)
    refused = slack.command(RESTRICT, channel=SECRET_CHANNEL, user=MEMBER)
    assert refused.ephemeral and "only workspace admins and owners" in refused.text
    assert "CONTEXTA_ACCESS_ADMINS" in refused.text
    # the refusal is the same whether or not the project exists
    nowhere = slack.command(
        "access restrict no-such-project <#C0SECRET|ml-secret>", channel=SECRET_CHANNEL, user=MEMBER
    )
    assert nowhere.text == refused.text
    assert "관리자와 소유자" in slack.command(f"접근 공개 {SECRET}", channel=GENERAL, user=MEMBER).text
    standin.fail_next("users.info", error="ratelimited")
    unsure = slack.command(RESTRICT, channel=SECRET_CHANNEL, user="U5")
    assert "Slack did not answer while checking" in unsure.text and "only workspace admins" not in unsure.text
    assert not ws.access.restricted(Tenant(TEAM_ID))
    standin.set_admin("U8", "owner")
    assert "now visible only in" in slack.command(RESTRICT, channel=SECRET_CHANNEL, user="U8").text
    named = load_settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        contexta_workspace=tmp_path / "named",
        contexta_access_admins="U7, U6",
    )
    with drained_app(named, ws) as app:
        reply = SlackDriver(app, standin).command(f"access open {SECRET}", channel=GENERAL, user="U7")
    assert "open to the whole workspace again" in reply.text


def test_access_show_gives_the_rules_and_who_changed_them_when(slack: SlackDriver, ws: Contexta) -> None:
    seed_demo(ws, project=SECRET)
    slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    slack.command(RESTRICT + " <#C0RANDOM> @ml-leads", channel=GENERAL, user=ADMIN)
    shown = slack.command(f"access show {SECRET}", channel=SECRET_CHANNEL, user=MEMBER)
    assert shown.ephemeral
    content = shown.content
    assert f"Access · {SECRET}" in content
    assert "only in `#ml-secret`, `#random`; in private also to members of `@ml-leads`" in content
    assert content.count("`@user-u9` restricted it") == 2
    assert "open to the whole workspace → only in `#ml-secret`" in content
    assert "only in `#ml-secret` → only in `#ml-secret`, `#random`" in content
    assert " UTC" in content
    listing = slack.command("access show", channel=SECRET_CHANNEL, user=MEMBER).content
    assert f"`{SECRET}`: only in" in listing and "1 more project is open to the whole workspace" in listing
    # an admin sees and manages every project from anywhere (replies to them alone)
    assert f"`{SECRET}`" in slack.command("access show", channel=GENERAL, user=ADMIN).content
    korean = slack.command(f"접근 보기 {SECRET}", channel=SECRET_CHANNEL, user=MEMBER).content
    assert f"공개 범위 · {SECRET}" in korean and "제한함" in korean


# -- channel and user group arguments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("<#C0SECRET>", "`#ml-secret`"),  # a mention Slack sent without the name
        ("#ml-secret", "`#ml-secret`"),  # typed by name
        ("#ML-Secret", "`#ml-secret`"),
        ("<#C0SECRET|ml-secret> <!subteam^S0LEADS|@ml-leads>", "members of `@ml-leads`"),
        ("<#C0SECRET|ml-secret> <!subteam^S0LEADS>", "members of `@ml-leads`"),
    ],
)
def test_channels_and_user_groups_by_mention_or_name(
    slack: SlackDriver, ws: Contexta, given: str, shown: str
) -> None:
    seed_demo(ws, project=SECRET)
    reply = slack.command(f"access restrict {SECRET} {given}", channel=GENERAL, user=ADMIN)
    assert "now visible only in" in reply.text and shown in reply.text


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("#ml-secrte", "no channel `#ml-secrte` that the bot can see"),
        ("<#C0GONE|gone>", "no channel `#gone` that the bot can see"),
        ("#ml-secret @ml-lead", "no user group `@ml-lead`"),
        ("", "name at least one channel"),
        ("ml-secret", "unexpected `ml-secret` (the project is `acquisition-target-x`)"),
        ("<#broken", "is not a channel or user group"),
    ],
)
def test_unusable_channels_get_a_clear_error_and_change_nothing(
    slack: SlackDriver, ws: Contexta, given: str, expected: str
) -> None:
    seed_demo(ws, project=SECRET)
    slack.standin.set_channel("C0GONE", exists=False)  # deleted, or private without the bot
    reply = slack.command(f"access restrict {SECRET} {given}", channel=GENERAL, user=ADMIN)
    assert reply.ephemeral and expected in reply.text, reply.text
    _within_limits(reply)
    if given == "#ml-secrte":
        assert "did you mean `#ml-secret`?" in reply.text
    assert not ws.access.restricted(Tenant(TEAM_ID))


def test_korean_access_commands_get_korean_replies(slack: SlackDriver, ws: Contexta) -> None:
    seed_demo(ws, project=SECRET)
    done = slack.command(f"접근 제한 {SECRET} <#C0SECRET|ml-secret>", channel=SECRET_CHANNEL, user=ADMIN)
    assert "프로젝트는 `#ml-secret` 채널에서만 볼 수 있습니다" in done.text
    assert "워크스페이스 전체 공개" in done.text
    unknown = slack.command(f"접근 제한 {SECRET} #없는채널", channel=SECRET_CHANNEL, user=ADMIN)
    assert "봇이 볼 수 있는" in unknown.text
    assert "채널을 하나 이상" in slack.command(f"접근 제한 {SECRET}", channel=SECRET_CHANNEL, user=ADMIN).text
    assert "프로젝트가 없습니다" in slack.command(f"접근 보기 {SECRET}", channel=GENERAL, user=OUTSIDER).text
    assert "프로젝트 공개 범위" in slack.command("접근", channel=GENERAL, user=OUTSIDER).text


# -- the Slack facts -------------------------------------------------------------------------------


@pytest.fixture
def facts(standin: SlackStandIn) -> Iterator[tuple[SlackAccess, WebClient]]:
    standin.add_channel(SECRET_CHANNEL, "ml-secret", [MEMBER])
    standin.add_usergroup("S0LEADS", "ml-leads", [LEAD])
    yield SlackAccess(ttl=0.3), WebClient(token=BOT_TOKEN, base_url=standin.api_url)


def test_memberships_are_cached_briefly_per_channel_and_fail_closed(facts, standin: SlackStandIn) -> None:
    access, client = facts
    team = Tenant(TEAM_ID)
    viewer = access.viewer(client, team, channel=None, user=MEMBER)
    assert viewer.membership.in_channel(SECRET_CHANNEL)
    standin.set_members(SECRET_CHANNEL, [OUTSIDER])  # U1 left
    assert viewer.membership.in_channel(SECRET_CHANNEL)  # within the cache's life
    assert len(standin.calls("conversations.members")) == 1
    time.sleep(0.35)
    assert not viewer.membership.in_channel(SECRET_CHANNEL)
    assert access.viewer(client, team, channel=None, user=LEAD).membership.in_usergroup("S0LEADS")
    standin.fail_next("conversations.members", error="ratelimited")
    time.sleep(0.35)
    assert not access.viewer(client, team, channel=None, user=OUTSIDER).membership.in_channel(SECRET_CHANNEL)
    assert access.viewer(client, team, channel=None, user=OUTSIDER).membership.in_channel(SECRET_CHANNEL)
    # members beyond one page are all read
    many = [f"U{n:05d}" for n in range(2500)]
    standin.add_channel("C0BIG", "big", many)
    assert access.channel_members(client, team, "C0BIG") == frozenset(many)


def test_admin_facts_come_from_users_info_and_the_setting(facts, standin: SlackStandIn) -> None:
    access, client = facts
    team = Tenant(TEAM_ID)
    standin.set_admin(ADMIN)
    assert access.is_admin(client, team, ADMIN) and not access.is_admin(client, team, MEMBER)
    assert SlackAccess(admins=[MEMBER]).is_admin(client, team, MEMBER)
    standin.fail_next("users.info", error="ratelimited")
    assert not SlackAccess().is_admin(client, team, ADMIN)  # Slack could not tell: refused
    standin.fail_next("users.info", error="ratelimited")
    with pytest.raises(ContextaError) as info:
        SlackAccess().is_admin(client, team, ADMIN, strict=True)
    assert info.value.code == "access_lookup_failed"


def test_channel_names_are_found_beyond_the_first_page(facts, standin: SlackStandIn) -> None:
    access, client = facts
    for n in range(1200):
        standin.add_channel(f"C{n:06d}", f"team-{n}")
    found = access.find_channel(client, Tenant(TEAM_ID), AccessTarget("channel", None, "team-1150"))
    assert found == Target("channel", "C001150", "team-1150")
    assert len(standin.calls("conversations.list")) == 2


def test_watches_and_news_follow_access_too(slack: SlackDriver, ws: Contexta) -> None:
    seed_demo(ws, project=SECRET)
    assert not slack.command(f"watch {SECRET}", channel=GENERAL, user=OUTSIDER).ephemeral
    assert SECRET in slack.command(f"news {SECRET}", channel=GENERAL, user=OUTSIDER).content  # a mark
    restricted = slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    assert "Paused 1 alert watch that lost access: `#general`" in restricted.text
    [watch] = [w for w in ws.alerts.watches(tenant=Tenant(TEAM_ID)) if w.project_name == SECRET]
    assert watch.status == "paused" and "no longer shared" in (watch.paused_reason or "")
    assert SECRET not in slack.command("watch list", channel=RANDOM, user=OUTSIDER).content
    refused = slack.command(f"watch {SECRET}", channel=RANDOM, user=OUTSIDER)
    assert refused.ephemeral and "no project `acquisition-target-x`" in refused.text
    for text in ("news", f"news {SECRET}"):
        assert SECRET not in slack.command(text, channel=GENERAL, user=OUTSIDER).content.replace(
            f"`{SECRET}`", ""
        ), text
    assert SECRET not in slack.command("news", channel=GENERAL, user=OUTSIDER).content
    assert SECRET not in _dm(slack, "what's new?", user=OUTSIDER, channel="D0OUTNEWS").content
    opened = slack.command(f"access open {SECRET}", channel=SECRET_CHANNEL, user=ADMIN)
    assert "Resumed 1 alert watch that has access again: `#general`" in opened.text
    [watch] = [w for w in ws.alerts.watches(tenant=Tenant(TEAM_ID)) if w.project_name == SECRET]
    assert watch.status == "active"


def test_access_checks_and_digest_list_all_share_one_cache_of_channel_facts(
    slack: SlackDriver, ws: Contexta, standin: SlackStandIn
) -> None:
    seed_demo(ws, project=SECRET)
    standin.set_channel("D0MEMBER", im_user=MEMBER)  # the member's own DM with the bot
    slack.command(RESTRICT, channel=SECRET_CHANNEL, user=ADMIN)
    subscribed = slack.command(f"digest subscribe {SECRET}", channel=SECRET_CHANNEL, user=MEMBER)
    assert SECRET in subscribed.content, subscribed.content
    assert f"Runs · {SECRET}" in _dm(slack, f"runs of {SECRET}", user=MEMBER, channel="D0MEMBER").content
    read = len(standin.calls("conversations.members"))
    assert read >= 1  # the DM's access check read #ml-secret's members
    listed = slack.command("digest list all", channel="D0MEMBER", user=MEMBER).content
    assert f"<#{SECRET_CHANNEL}>" in listed  # the private channel is the member's
    assert len(standin.calls("conversations.members")) == read  # ... known from the access check's read
