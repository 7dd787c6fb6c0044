"""`/contexta digest …` as the listener calls it: replies, defaults, and mistakes explained."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.digests.commands import handle_digest_command

from .helpers import R, add_project, add_runs, posts, utc

NOW = utc("2026-03-20T10:00:00Z")  # Friday


@pytest.fixture
def ws(sqlite_ctx):
    add_project(sqlite_ctx, "churn-prediction")
    add_project(sqlite_ctx, "fraud")
    add_runs(sqlite_ctx, "churn-prediction", [R("v1", NOW - timedelta(days=2), accuracy=0.9)])
    return sqlite_ctx


def digest(ctx, *words, channel="C1", language="en", now=NOW, client=None):
    return handle_digest_command(
        ctx, tuple(words), channel_id=channel, user_id="U1", language=language, client=client, now=now
    )


def test_subscribe_with_defaults_says_which_zone_and_when(ws):
    reply = digest(ws, "subscribe", "churn-prediction")
    assert not reply.ephemeral
    assert reply.text == (
        ":white_check_mark: This channel will get the weekly digest of `churn-prediction` every *Monday at 09:00* "
        "(Asia/Seoul: Contexta's default zone; add `tz &lt;zone&gt;` to change it), in English. "
        "First digest: Mon, Mar 23, 09:00."
    )
    [sub] = ws.digests.subscriptions(target="C1")
    assert (sub.weekday, sub.time_of_day, sub.timezone, sub.language, sub.created_by) == (
        "mon",
        "09:00",
        "Asia/Seoul",
        "en",
        "U1",
    )


def test_the_workspace_zone_is_used_and_named_when_set(ws):
    ws.digests.set_workspace_timezone("europe/berlin")
    reply = digest(ws, "subscribe", "fraud")
    assert "(Europe/Berlin: the workspace's zone)" in reply.text


def test_subscribe_with_schedule_zone_and_language_in_any_order(ws):
    reply = digest(ws, "subscribe", "tz", "Europe/Berlin", "weekly", "fri", "17:30", "fraud", "lang", "ko")
    assert "매주 금요일 17:30" not in reply.text  # the reply follows the command's language (English)…
    assert "every *Friday at 17:30* (Europe/Berlin), in Korean" in reply.text
    [sub] = ws.digests.subscriptions(target="C1")
    assert (sub.project_name, sub.weekday, sub.time_of_day, sub.timezone, sub.language) == (
        "fraud",
        "fri",
        "17:30",
        "Europe/Berlin",
        "ko",
    )


def test_korean_commands_subscribe_in_korean_by_default(ws):
    reply = digest(ws, "구독", "churn-prediction", "매주", "수요일", "8:00", language="ko")
    assert reply.text.startswith(
        ":white_check_mark: 이 채널에 `churn-prediction` 주간 다이제스트를 *매주 수요일 08:00*"
    )
    assert ws.digests.subscriptions(target="C1")[0].language == "ko"


def test_subscribing_again_updates_instead_of_duplicating(ws):
    digest(ws, "subscribe", "churn-prediction", "tz", "Europe/Berlin")
    reply = digest(ws, "subscribe", "churn-prediction", "weekly", "tue", "10:00")
    assert reply.text.startswith(
        ":white_check_mark: Updated: the digest of `churn-prediction` now comes every"
    )
    assert "(Europe/Berlin)" in reply.text  # the zone it had is kept
    [sub] = ws.digests.subscriptions(target="C1")
    assert (sub.weekday, sub.time_of_day, sub.timezone) == ("tue", "10:00", "Europe/Berlin")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("tz", "Asia/Seol"), "unknown time zone `Asia/Seol`; did you mean `Asia/Seoul`?"),
        (("weekly", "funday", "09:00"), "`funday` is not a day of the week"),
        (("weekly", "mon", "25:00"), "`25:00` is not a time of day; use 24-hour `HH:MM`, e.g. `09:00`"),
        (("weekly",), "`weekly` needs a day and a time, e.g. `weekly mon 09:00`"),
        (("lang", "fr"), "`fr` is not a digest language; use `en` or `ko`"),
        (("churn-prediction", "fraud"), "unexpected `fraud`"),
    ],
)
def test_mistakes_are_explained(ws, words, message):
    reply = (
        digest(ws, "subscribe", "churn-prediction", *words)
        if words[0] != "churn-prediction"
        else digest(ws, "subscribe", *words)
    )
    assert reply.ephemeral and message in reply.text and reply.text.startswith(":warning: ")
    assert ws.digests.subscriptions() == ()


def test_unknown_project_gets_a_suggestion_and_a_missing_one_a_list(ws):
    assert (
        "no project `churn-predicton`; did you mean `churn-prediction`?"
        in digest(ws, "subscribe", "churn-predicton").text
    )
    reply = digest(ws, "subscribe")
    assert "name a project, e.g. `/contexta digest subscribe churn-prediction`" in reply.text
    assert "`fraud`" in reply.text


def test_the_channels_project_is_used_when_none_is_named(ws):
    ws.set_preference("slack-channel:C7", "default_project", "fraud")
    digest(ws, "subscribe", "weekly", "thu", "9am", channel="C7")
    assert ws.digests.subscriptions(target="C7")[0].project_name == "fraud"


def test_unknown_action(ws):
    assert "unknown digest action `subscibe`" in digest(ws, "subscibe").text
    assert "*Weekly digests*" in digest(ws).text


def test_list_shows_schedule_next_digest_and_other_channels(ws, client):
    digest(ws, "subscribe", "churn-prediction", "tz", "Europe/Berlin")
    digest(ws, "subscribe", "fraud", channel="C2")
    reply = digest(ws, "list", client=client)  # the stand-in's channels are public: C2 is counted
    assert reply.ephemeral
    body = json.dumps(reply.blocks, ensure_ascii=False)
    assert "Digest subscriptions" in body
    assert "`churn-prediction`: every Monday 09:00 Europe/Berlin · English" in body
    assert "next: Mon, Mar 23, 09:00 · not sent yet" in body
    assert "1 more in other channels: `/contexta digest list all`" in body
    everything = json.dumps(digest(ws, "list", "all", client=client).blocks)
    assert "<#C1>" in everything and "<#C2>" in everything
    assert "no digest subscriptions" in digest(ws, "list", channel="C3").text


def test_unsubscribe(ws):
    digest(ws, "subscribe", "churn-prediction")
    digest(ws, "subscribe", "fraud")
    reply = digest(ws, "unsubscribe")
    assert (
        "this channel has 2 digest subscriptions (`churn-prediction`, `fraud`); name the project"
        in reply.text
    )
    assert "no digest subscription for `nope`" in digest(ws, "unsubscribe", "nope").text
    reply = digest(ws, "unsubscribe", "fraud")
    assert (
        reply.text == ":wave: This channel will no longer get the weekly digest of `fraud`."
        and not reply.ephemeral
    )
    assert digest(ws, "unsubscribe").text.endswith("`churn-prediction`.")  # the only one left
    assert "there is no digest subscription here" in digest(ws, "unsubscribe").text
    digest(ws, "subscribe", "churn-prediction")
    digest(ws, "subscribe", "fraud")
    assert "`churn-prediction`, `fraud`" in digest(ws, "unsubscribe", "all").text
    assert ws.digests.subscriptions() == ()


def test_preview_is_ephemeral_and_records_nothing(ws, standin, client):
    digest(ws, "subscribe", "churn-prediction", "lang", "ko")
    reply = digest(ws, "preview")
    assert reply.ephemeral
    body = json.dumps(reply.blocks, ensure_ascii=False)
    assert "주간 다이제스트 · churn-prediction" in body and "미리보기" in body  # the subscription's language
    assert "새 실행 1개" in body
    assert ws.digests.deliveries() == [] and standin.calls() == []
    english = digest(ws, "preview", "fraud")
    assert "Preview: only you can see this" in json.dumps(
        english.blocks
    ) and "Nothing new this week" in english.text + json.dumps(english.blocks)


def test_run_due_from_slack_uses_the_client(ws, standin, client):
    assert "not available here" in digest(ws, "run-due").text
    digest(ws, "subscribe", "churn-prediction")
    reply = digest(ws, "run-due", client=client, now=utc("2026-03-23T00:00:05Z"))
    assert reply.text == "Digest run: 1 delivered, 0 retrying, 0 paused, 0 failed."
    assert len(posts(standin)) == 1


def test_changing_only_the_language_keeps_a_retrying_week_but_a_new_schedule_drops_it(ws):
    digest(ws, "subscribe", "churn-prediction")
    fire = utc("2026-03-23T00:00:00Z")
    claim = ws.digests.claim_due(now=fire, holder="h").claims[0]
    ws.digests.defer(claim, retry_at=fire + timedelta(minutes=5), error="ratelimited")
    digest(ws, "subscribe", "churn-prediction", "lang", "ko", now=fire + timedelta(minutes=1))
    assert [r["status"] for r in ws.digests.deliveries()] == ["pending"]
    assert len(ws.digests.claim_due(now=fire + timedelta(minutes=5), holder="h").claims) == 1
    ws.digests.defer(claim, retry_at=fire + timedelta(minutes=10), error="ratelimited")
    digest(ws, "subscribe", "churn-prediction", "weekly", "tue", "09:00", now=fire + timedelta(minutes=6))
    assert [r["status"] for r in ws.digests.deliveries()] == ["superseded"]
    assert ws.digests.claim_due(now=fire + timedelta(minutes=10), holder="h").claims == ()
