"""Questions by @mention (answered in the thread) and DM (answered in the DM), English and Korean."""

import time

import pytest

from bot.app import create_app
from contexta_core.contract import Project
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.harness import SlackDriver, assert_within_limits
from tests.support.signed_requests import event_callback

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)

QUESTIONS = [
    ("how many training runs do we have?", "runs", ["*6 runs*", "churn-v1-jan", "churn-v6-apr"]),
    ("how did accuracy change over time?", "trend", ["0.821 → 0.902", "*+0.081*", "improved"]),
    ("which model is in production?", "deployments", ["*Live now:* `prod-deploy-v6` → `churn-v6-apr`"]),
    ("what's our best run on f1?", "best", ["`churn-v6-apr` has the highest `evaluate/f1`: *0.896*"]),
    ("which run is the best?", "best", ["`churn-v6-apr`", "*0.902*", "*live in production*"]),
    ("is there a structured report comparing all runs?", "report", ["Multi Run Report: 6 runs"]),
    ("I'm new here, give me an overview", "onboard", ["Welcome to churn-prediction", "*5. Report:*"]),
    ("compare churn-v3-feb vs churn-v6-apr", "compare", ["better on *3*", "+0.041"]),
    ("학습 실행이 몇 개야?", "runs", ["*6개*", "churn-v3-feb", "완료"]),
    ("정확도는 어떻게 변했어?", "trend", ["evaluate/accuracy 추이", "0.821 → 0.902", "*+0.081*", "개선"]),
    (
        "어떤 실행이 프로덕션에 배포됐어?",
        "deployments",
        ["*현재 운영 중:* `prod-deploy-v6` → `churn-v6-apr`"],
    ),
    ("가장 좋은 실행은 뭐야?", "best", ["`churn-v6-apr`입니다: *0.902*", "현재 프로덕션에서 운영 중"]),
    ("전체 실행 비교 리포트 있어?", "report", ["Multi Run Report: 6 runs", "상위 6개"]),
    ("처음 왔는데 전반적으로 요약해줘", "onboard", ["churn-prediction 온보딩", "*4. 최고 실행:*"]),
    ("churn-v3-feb랑 churn-v6-apr 비교해줘", "compare", ["churn-v3-feb 대 churn-v6-apr", "*3*개 개선"]),
]


@pytest.mark.parametrize(("question", "intent", "expected"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_mentions_are_answered_in_the_questions_thread(
    slack: SlackDriver, question: str, intent: str, expected: list[str]
) -> None:
    reply = slack.mention(question, ts="1700000500.000100")
    assert_within_limits(reply)
    assert reply.method == "chat.postMessage"
    assert (reply.params["channel"], reply.params["thread_ts"]) == ("C1", "1700000500.000100")
    for text in expected:
        assert text in reply.content, f"{text!r} not in {reply.content!r}"


def test_a_mention_inside_a_thread_answers_in_that_thread(slack: SlackDriver) -> None:
    reply = slack.mention("what's deployed?", ts="1700000600.000200", thread_ts="1700000599.000100")
    assert reply.params["thread_ts"] == "1700000599.000100"


def test_direct_messages_are_answered_in_the_dm(slack: SlackDriver) -> None:
    reply = slack.dm("가장 좋은 실행은 뭐야?")
    assert_within_limits(reply)
    assert reply.method == "chat.postMessage" and reply.params["channel"] == "D1"
    assert "thread_ts" not in reply.params and "`churn-v6-apr`입니다" in reply.content
    threaded = slack.dm("how many runs?", thread_ts="1700000001.000100")
    assert threaded.params["thread_ts"] == "1700000001.000100"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # issue #11: small talk gets a friendly off-topic reply (still private, still no data)
        ("what's the weather like?", "I only know about your model projects"),
        ("날씨 어때?", "모델 프로젝트의 실행 기록에 대해서만"),
        ("", "I couldn't tell what you're asking"),
    ],
)
def test_unplaceable_questions_get_example_questions_in_their_language(
    slack: SlackDriver, question: str, expected: str
) -> None:
    reply = slack.mention(question)
    assert_within_limits(reply)
    assert reply.method == "chat.postEphemeral" and reply.params["user"] == "U1"
    assert expected in reply.content and "• _" in reply.content  # example questions follow


@SQLITE_ONLY
def test_help_questions_get_the_full_help(slack: SlackDriver) -> None:
    for question, expected in (("help", "*Commands*"), ("사용법 알려줘", "*명령어*")):
        reply = slack.mention(question)
        assert reply.ephemeral and expected in reply.content


def add_project(ctx, name: str) -> None:
    ctx.metadata_store.projects.put_project(
        Project(project_ref=f"project:{name}", name=name, created_at="2025-01-01T00:00:00Z")
    )


def test_an_ambiguous_project_is_asked_back_with_one_button_each(slack_rw: SlackDriver, demo_ctx) -> None:
    slack = slack_rw
    add_project(demo_ctx, "fraud-detection")
    reply = slack.mention("best f1 run in churn-prediction or fraud-detection?", ts="1700000700.000100")
    assert_within_limits(reply)
    assert reply.method == "chat.postMessage" and reply.params["thread_ts"] == "1700000700.000100"
    assert "more than one project" in reply.content
    buttons = reply.buttons("choose_project")
    assert [b["value"] for b in buttons] == [
        '{"project":"churn-prediction","intent":"best","metric":"f1","lang":"en"}',
        '{"project":"fraud-detection","intent":"best","metric":"f1","lang":"en"}',
    ]
    answer = slack.click(buttons[0], message_ts="1700000701.000100", thread_ts="1700000700.000100")
    assert_within_limits(answer)
    assert answer.method == "chat.postMessage" and answer.params["thread_ts"] == "1700000700.000100"
    assert "`churn-v6-apr` has the highest `evaluate/f1`: *0.896*" in answer.content


def test_a_question_naming_no_project_asks_which_one_in_its_language(slack_rw: SlackDriver, demo_ctx) -> None:
    slack = slack_rw
    add_project(demo_ctx, "fraud-detection")
    reply = slack.mention("학습 실행이 몇 개야?")
    assert "어느 프로젝트를 말씀하시나요?" in reply.content
    assert len(reply.buttons("choose_project")) == 2
    answer = slack.click(reply.buttons("choose_project")[0])
    assert "*6개*" in answer.content  # the click keeps the question's language


@SQLITE_ONLY
def test_hostile_text_in_questions_is_never_echoed(slack: SlackDriver) -> None:
    for question in ("<!channel> what's our best run?", "<@U1> `x` how many runs?", "<!here> 배포 현황"):
        reply = slack.mention(question)
        assert_within_limits(reply)
        assert "!channel" not in reply.content and "@U1" not in reply.content


@SQLITE_ONLY
def test_a_five_thousand_character_question_still_gets_one_answer(slack: SlackDriver) -> None:
    reply = slack.mention("which run is the best? " + "really " * 800)
    assert_within_limits(reply)
    assert "`churn-v6-apr`" in reply.content


def test_retried_and_duplicate_events_are_answered_once(slack: SlackDriver, settings, shared_demo) -> None:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@U0BOT> best?",
        "ts": "1700000800.000100",
        "channel": "C1",
    }
    slack.dispatch(event_callback(event, secret=SIGNING_SECRET, event_id="EvRETRY1"))
    slack.wait_for_post(0)
    # A second worker (another process in production) shares the claim through the database.
    second_worker = SlackDriver(create_app(settings, contexta=shared_demo), slack.standin)
    for retry in (1, 2):
        assert (
            second_worker.dispatch(
                event_callback(event, secret=SIGNING_SECRET, event_id="EvRETRY1", retry_num=retry)
            )[0]
            == 200
        )
    assert slack.dispatch(event_callback(event, secret=SIGNING_SECRET, event_id="EvRETRY1"))[0] == 200
    time.sleep(0.3)
    assert len(slack.posts()) == 1
