"""`/contexta digest …` through the real Bolt app: subscribe, list, preview and mistakes, in English and Korean."""

import pytest

from contexta_core.tenancy import Tenant
from tests.bot.harness import SlackDriver
from tests.support.signed_requests import TEAM_ID

TEAM = Tenant.of(TEAM_ID)  # the stand-in's team: the bot's own, from auth.test

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_subscribe_says_when_and_in_which_zone_for_everyone_to_see(slack_rw: SlackDriver, demo_ctx) -> None:
    reply = slack_rw.command("digest subscribe churn-prediction weekly mon 09:00 tz Europe/Berlin")
    assert reply.method == "response_url" and reply.in_channel
    assert "weekly digest of `churn-prediction` every *Monday at 09:00* (Europe/Berlin)" in reply.text
    assert "First digest: Mon" in reply.text
    (sub,) = demo_ctx.digests.subscriptions(tenant=TEAM, target="C1")
    assert (sub.weekday, sub.time_of_day, sub.timezone, sub.created_by) == (
        "mon",
        "09:00",
        "Europe/Berlin",
        "U1",
    )


@SQLITE_ONLY
def test_the_longest_subscribe_fits_the_command_grammar(slack_rw: SlackDriver, demo_ctx) -> None:
    reply = slack_rw.command("digest subscribe churn-prediction weekly fri 17:30 tz Europe/Berlin lang ko")
    assert reply.in_channel and "every *Friday at 17:30* (Europe/Berlin), in Korean" in reply.text


@SQLITE_ONLY
def test_list_shows_this_channels_subscriptions_to_the_asker(slack_rw: SlackDriver) -> None:
    slack_rw.command("digest subscribe churn-prediction weekly mon 09:00 tz Europe/Berlin")
    reply = slack_rw.command("digest list")
    assert reply.ephemeral
    assert "`churn-prediction`: every Monday 09:00 Europe/Berlin · English" in reply.content
    assert "not sent yet" in reply.content


@SQLITE_ONLY
def test_preview_is_private_and_records_no_delivery(slack_rw: SlackDriver, demo_ctx) -> None:
    slack_rw.command("digest subscribe churn-prediction")
    reply = slack_rw.command("digest preview")
    assert reply.ephemeral and "Preview: only you can see this" in reply.content
    assert "churn-prediction" in reply.content
    (sub,) = demo_ctx.digests.subscriptions(tenant=TEAM, target="C1")
    assert demo_ctx.digests.deliveries(sub.id) == []
    assert not slack_rw.standin.calls("chat.postMessage")


@SQLITE_ONLY
def test_an_unknown_zone_is_a_private_error_with_a_suggestion(slack_rw: SlackDriver, demo_ctx) -> None:
    reply = slack_rw.command("digest subscribe churn-prediction tz Europe/Berln")
    assert reply.ephemeral
    assert "Europe/Berln" in reply.text and "did you mean `Europe/Berlin`" in reply.text
    assert demo_ctx.digests.subscriptions(tenant=TEAM, target="C1") == ()


@SQLITE_ONLY
def test_korean_subscribe_answers_and_subscribes_in_korean(slack_rw: SlackDriver, demo_ctx) -> None:
    reply = slack_rw.command("다이제스트 구독 churn-prediction 매주 수요일 8:00")
    assert reply.in_channel
    assert "이 채널에 `churn-prediction` 주간 다이제스트를 *매주 수요일 08:00*" in reply.text
    (sub,) = demo_ctx.digests.subscriptions(tenant=TEAM, target="C1")
    assert (sub.weekday, sub.time_of_day, sub.language) == ("wed", "08:00", "ko")


@SQLITE_ONLY
def test_run_due_from_slack_posts_what_is_due_with_the_bots_client(slack_rw: SlackDriver) -> None:
    reply = slack_rw.command("digest run-due")
    assert reply.ephemeral and "Digest run: 0 delivered" in reply.text
