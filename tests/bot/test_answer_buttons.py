"""The buttons on answers that bring files or a comparison: "Full report", "Trend chart", "Compare with production".

Each click is a signed block_actions payload through the real Bolt app; it is acked at once and
answered in the clicked message's thread.
"""

import json

import pytest

from tests.bot.harness import SlackDriver, assert_within_limits, uploads

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)
PNG = b"\x89PNG\r\n\x1a\n"
MESSAGE_TS = "1700001000.000100"


def test_full_report_posts_the_pages_and_the_markdown_and_html_in_the_thread(slack: SlackDriver) -> None:
    report = slack.command("report")
    uploads(slack.standin)  # the report's own files
    full = slack.click(report.buttons("full_report")[0], message_ts=MESSAGE_TS)
    assert_within_limits(full)
    assert full.params["thread_ts"] == MESSAGE_TS and "*Summary*" in full.content
    _, clicked = uploads(slack.standin, 2)
    assert clicked.thread_ts == MESSAGE_TS
    assert sorted(clicked.files) == ["churn-prediction-report.html", "churn-prediction-report.md"]


@SQLITE_ONLY
def test_trend_chart_uploads_the_chart_alone_in_the_thread(slack: SlackDriver) -> None:
    best = slack.command("best f1")
    (chart,) = best.buttons("trend_chart")
    assert json.loads(chart["value"]) == {
        "project": "churn-prediction",
        "lang": "en",
        "metric": "f1",
        "stage": "evaluate",
    }
    slack.press(chart, message_ts=MESSAGE_TS)
    (upload,) = uploads(slack.standin)
    assert (upload.channel, upload.thread_ts) == ("C1", MESSAGE_TS)
    assert upload.files["churn-prediction-evaluate-f1-trend.png"].startswith(PNG)
    assert upload.comment == ":chart_with_upwards_trend: `evaluate/f1` over time · `churn-prediction`"
    assert not slack.standin.calls("chat.postMessage")  # the chart is the answer


@SQLITE_ONLY
def test_trend_chart_in_korean_from_the_report(slack: SlackDriver) -> None:
    report = slack.command("리포트")
    uploads(slack.standin)
    slack.press(report.buttons("trend_chart")[0], message_ts=MESSAGE_TS, thread_ts="1700000999.000100")
    _, upload = uploads(slack.standin, 2)
    assert upload.thread_ts == "1700000999.000100" and "추이" in upload.comment


@SQLITE_ONLY
def test_a_chart_that_cannot_be_uploaded_becomes_its_caption_and_a_note(slack: SlackDriver) -> None:
    slack.standin.fail_next("files.getUploadURLExternal", error="missing_scope")
    best = slack.command("best")
    reply = slack.click(best.buttons("trend_chart")[0], message_ts=MESSAGE_TS)
    assert_within_limits(reply)
    assert reply.params["thread_ts"] == MESSAGE_TS
    assert "`evaluate/accuracy` over time" in reply.content
    assert "The chart could not be attached: the app lacks the `files:write` permission" in reply.content


@SQLITE_ONLY
def test_compare_with_production_is_offered_only_when_the_best_run_is_not_live(slack: SlackDriver) -> None:
    assert not slack.command("best").buttons("compare_production")  # churn-v6-apr is best and live
    best = slack.command("best --lower-is-better")
    (compare,) = best.buttons("compare_production")
    assert json.loads(compare["value"]) == {
        "project": "churn-prediction",
        "best": "run:churn-prediction.churn-v1-jan",
        "live": "run:churn-prediction.churn-v6-apr",
        "lang": "en",
    }
    reply = slack.click(compare, message_ts=MESSAGE_TS)
    assert_within_limits(reply)
    assert reply.params["thread_ts"] == MESSAGE_TS and not reply.ephemeral
    assert reply.blocks[0]["text"]["text"] == "churn-v1-jan vs churn-v6-apr"
    assert "prod-deploy-v6" in reply.content


@SQLITE_ONLY
def test_a_forged_compare_button_gets_a_private_error(slack: SlackDriver) -> None:
    reply = slack.click({"action_id": "compare_production", "value": '{"project":"churn-prediction"}'})
    assert reply.ephemeral and "this button has expired" in reply.content
