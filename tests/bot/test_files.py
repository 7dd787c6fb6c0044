"""Charts and report files through the real Bolt app: uploaded with files_upload_v2 in the answer's thread.

Uploads go through the stand-in's three steps (files.getUploadURLExternal, the POST of the bytes,
files.completeUploadExternal); failures are injected there, and the answer must arrive anyway.
"""

import pytest

from bot.rendering.files import add_note, file_note
from contexta_core.ask import answers as ask_answers
from tests.bot.harness import Reply, SlackDriver, assert_within_limits, uploads

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)
PNG = b"\x89PNG\r\n\x1a\n"
CHART = "churn-prediction-evaluate-accuracy-trend.png"


def notes(slack: SlackDriver, count: int = 1) -> list[dict]:
    """The chat.postMessage calls after the answer (the "could not attach" notes)."""
    return [c.params for c in slack.standin.wait_for("chat.postMessage", count + 1)[1:]]


def test_trend_command_posts_the_answer_and_threads_its_chart_under_it(
    slack: SlackDriver, posted: list[dict]
) -> None:
    reply = slack.command("trend")
    assert_within_limits(reply)
    assert reply.method == "chat.postMessage" and reply.in_channel and "0.821 → 0.902" in reply.content
    (upload,) = uploads(slack.standin)
    assert (upload.channel, upload.thread_ts) == ("C1", posted[0]["ts"])
    assert list(upload.files) == [CHART] and upload.files[CHART].startswith(PNG)
    assert upload.titles == ("churn-prediction · evaluate/accuracy over time",)
    assert "evaluate/accuracy over time" in upload.comment
    assert not slack.standin.responses("cmd1")  # the answer was posted, not sent to response_url


@SQLITE_ONLY
def test_a_trend_question_gets_its_chart_in_the_questions_thread(slack: SlackDriver) -> None:
    reply = slack.mention("f1 추이 보여줘", ts="1700000800.000100")
    assert reply.params["thread_ts"] == "1700000800.000100"
    (upload,) = uploads(slack.standin)
    assert upload.thread_ts == "1700000800.000100"
    assert list(upload.files) == ["churn-prediction-evaluate-f1-trend.png"]


@SQLITE_ONLY
def test_onboarding_in_a_dm_threads_the_chart_under_the_answer(
    slack: SlackDriver, posted: list[dict]
) -> None:
    reply = slack.dm("I'm new here, give me an overview")
    assert "Welcome to churn-prediction" in reply.content and "thread_ts" not in reply.params
    (upload,) = uploads(slack.standin)
    assert (upload.channel, upload.thread_ts) == ("D1", posted[0]["ts"])
    assert upload.files[CHART].startswith(PNG)


@SQLITE_ONLY
def test_onboard_command_attaches_the_chart(slack: SlackDriver, posted: list[dict]) -> None:
    slack.command("onboard churn-prediction")
    (upload,) = uploads(slack.standin)
    assert upload.thread_ts == posted[0]["ts"] and list(upload.files) == [CHART]


def test_report_command_posts_the_summary_and_the_markdown_and_html_in_its_thread(
    slack: SlackDriver, posted: list[dict]
) -> None:
    reply = slack.command("report")
    assert reply.in_channel and "Multi Run Report: 6 runs" in reply.content
    (upload,) = uploads(slack.standin)
    assert upload.thread_ts == posted[0]["ts"]
    assert sorted(upload.files) == ["churn-prediction-report.html", "churn-prediction-report.md"]
    markdown = upload.files["churn-prediction-report.md"].decode()
    html = upload.files["churn-prediction-report.html"].decode()
    assert "churn-v6-apr" in markdown and "churn-v6-apr" in html and "<html" in html.lower()
    assert "Markdown and HTML" in upload.comment


@SQLITE_ONLY
def test_answers_without_files_still_use_the_response_url(slack: SlackDriver) -> None:
    reply = slack.command("best")
    assert reply.method == "response_url" and reply.in_channel
    assert not slack.standin.calls("files.getUploadURLExternal")


@SQLITE_ONLY
def test_a_further_page_does_not_upload_the_chart_again(slack: SlackDriver) -> None:
    button = {"action_id": "show_more", "value": '{"kind":"trend","project":"churn-prediction","page":2}'}
    slack.click(button)
    assert not slack.standin.calls("files.getUploadURLExternal")


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("command", "failure", "expected"),
    [
        (
            "trend",
            {"error": "missing_scope"},
            "The chart could not be attached: the app lacks the `files:write`",
        ),
        (
            "추세",
            {"error": "missing_scope"},
            "차트를 첨부하지 못했습니다: 앱에 `files:write` 권한이 없습니다",
        ),
        (
            "trend",
            {"status": 500, "times": 2},
            "The chart could not be attached: Slack answered `internal_error`",
        ),
        ("report", {"error": "missing_scope"}, "The report files could not be attached"),
    ],
)
def test_a_failed_upload_leaves_the_answer_and_says_so_in_the_thread(
    slack: SlackDriver, posted: list[dict], command: str, failure: dict, expected: str
) -> None:
    slack.standin.fail_next("files.getUploadURLExternal", **failure)
    reply = slack.command(command)
    assert_within_limits(reply)
    assert reply.in_channel and "could not" not in reply.content and "첨부하지" not in reply.content
    (note,) = notes(slack)
    assert note["thread_ts"] == posted[0]["ts"] and expected in note["text"]
    assert not slack.standin.calls("files.completeUploadExternal")


@SQLITE_ONLY
def test_a_failure_after_the_bytes_were_sent_is_reported_too(slack: SlackDriver) -> None:
    slack.standin.fail_next("files.completeUploadExternal", error="not_in_channel")
    slack.mention("how did accuracy change over time?", ts="1700000900.000100")
    (note,) = notes(slack)
    assert note["thread_ts"] == "1700000900.000100" and "invite @Contexta" in note["text"]


@SQLITE_ONLY
def test_where_the_bot_cannot_post_the_command_answer_falls_back_to_response_url(slack: SlackDriver) -> None:
    slack.standin.set_channel_error("C9", "not_in_channel")
    refused = slack.command("trend", channel="C9")
    assert refused.method == "chat.postMessage"  # tried first, so the chart could be threaded under it
    (call,) = slack.standin.wait_for("response_url")
    reply = Reply(call.method, call.params)
    assert_within_limits(reply)
    assert reply.in_channel and "0.821 → 0.902" in reply.content
    assert "The chart could not be attached: the bot cannot post in this conversation" in reply.content
    assert not slack.standin.calls("files.getUploadURLExternal")


@SQLITE_ONLY
def test_a_chart_that_cannot_be_drawn_is_a_note_in_the_answer(
    slack: SlackDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("matplotlib exploded")

    monkeypatch.setattr(ask_answers, "trend_chart", broken)
    monkeypatch.setattr(ask_answers, "_reused", lambda ctx, key, make: make(ctx, *key[1:]))  # no cached chart
    reply = slack.command("onboard")
    assert_within_limits(reply)
    assert reply.method == "response_url" and reply.in_channel  # no files: the usual response_url
    assert "The chart could not be attached: something went wrong on my side" in reply.content
    assert "matplotlib" not in reply.content


@pytest.mark.parametrize(
    ("error", "lang", "expected"),
    [
        ("missing_scope", "en", "the app lacks the `files:write` permission"),
        ("not_in_channel", "ko", "먼저 @Contexta를 초대하세요"),
        ("network", "en", "Slack could not be reached"),
        ("ratelimited", "en", "Slack answered `ratelimited`"),
        ("<!channel>", "en", "Slack answered `&lt;!channel&gt;`"),
    ],
)
def test_file_notes_name_the_likely_cause(error: str, lang: str, expected: str) -> None:
    assert expected in file_note("chart", error, lang)


def test_a_note_fits_even_a_full_answer() -> None:
    full = [{"type": "divider"}] * 50
    text, blocks = add_note("answer", full, "note")
    assert len(blocks) == 50 and blocks[-1]["type"] == "context" and text == "answer\nnote"
    text, blocks = add_note("caption", [], "note")
    assert [b["type"] for b in blocks] == ["section", "context"] and blocks[0]["text"]["text"] == "caption"
