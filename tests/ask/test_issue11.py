"""Issue #11 end to end without Slack: any metric, the workspace's own names, follow-ups, small talk.

Runs on SQLite and PostgreSQL: a workspace with four projects measured in different ways
(``bench/questions/workspace.py``: map50, wer, f1 …, none of them accuracy but the demo).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.questions.workspace import build_question_workspace
from bot.answers import answer_command, answer_question
from contexta_core.ask.answers import Ask, answer
from contexta_core.ask.commands import parse_command
from contexta_core.ask.requests import Clarify, OffTopic, Unclear, ask_for_question
from contexta_core.direction import lower_is_better
from contexta_core.store import schema as t


@pytest.fixture
def ws(ctx):
    build_question_workspace(ctx)
    return ctx


def asked(ctx, text, conversation=None, default=None):
    return ask_for_question(ctx, text, default_project=default, conversation=conversation)


# -- 1. a primary metric for any project ----------------------------------------------------------


def test_a_project_measured_by_map50_answers_every_question(ws):
    for command in ("best pedestrian-detector", "trend pedestrian-detector", "onboard pedestrian-detector",
                    "report pedestrian-detector", "deployments pedestrian-detector"):  # fmt: skip
        reply = answer_command(ws, parse_command(command), channel_default=None)
        assert reply.error is None and "no metric" not in reply.text, command
        assert "`map50` on `validate` · higher is better (the metric most of its runs record)" in reply.text
    best = answer_command(ws, parse_command("best pedestrian-detector"), channel_default=None)
    assert "ped-rtdetr-0415" in best.text
    ko = answer_command(ws, parse_command("best call-center-asr"), channel_default=None, language="ko")
    assert "asr-whisper-ft-v2" in ko.text and "`wer` (`eval` 단계) · 낮을수록 좋음" in ko.text


def test_pedestrian_detector_best_map50_question(ws):
    reply = answer_question(ws, "pedestrian-detector: best map50?")
    assert (
        reply.intent == "best" and "ped-rtdetr-0415" in reply.text and "`map50` on `validate`" in reply.text
    )
    assert "Also recorded:" in reply.text and "`latency_ms`" in reply.text


@pytest.mark.parametrize(
    ("metric", "lower"),
    [("map50", False), ("wer", True), ("ndcg_10", False), ("perplexity", True), ("latency_ms", True),
     ("top5_acc", False), ("val_loss", True), ("logloss", True), ("rtf", True)],
)  # fmt: skip
def test_directions_from_metric_names(metric, lower):
    assert lower_is_better(metric) is lower


# -- 2. the workspace's own vocabulary ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "project"),
    [
        ("how many runs does the churn project have?", "runs", "churn-prediction"),
        ("churn prediction deployments", "deployments", "churn-prediction"),
        ("churn_prediction report", "report", "churn-prediction"),
        ("fraud 프로젝트 실행 목록 보여줘", "runs", "fraud-detection"),
        ("which churn runs were deplyed?", "deployments", "churn-prediction"),
        ("reprot for the fraud project", "report", "fraud-detection"),
        ("comapre churn-v3-feb and churn-v6-apr", "compare", "churn-prediction"),
        ("보행자 검출기 배포 현황", "deployments", "pedestrian-detector"),
        ("콜센터 asr 실행 몇 개야?", "runs", "call-center-asr"),
    ],
)
def test_loose_names_and_typos(ws, text, intent, project):
    request = asked(ws, text)
    assert (request.intent, request.project) == (intent, project)


def test_metric_typos_and_code_switching(ws):
    assert asked(ws, "churn best by accuary").metric == "accuracy"
    mixed = asked(ws, "churn-prediction best f1 run 어떤 거예요?")
    assert (mixed.intent, mixed.project, mixed.metric, mixed.language) == (
        "best",
        "churn-prediction",
        "f1",
        "ko",
    )
    assert asked(ws, "보행자 검출기 latency 제일 낮은 런").metric == "latency_ms"


def test_a_slash_command_near_miss_is_the_project_not_a_metric(ws):
    reply = answer_command(ws, parse_command("best churn-predction"), channel_default=None)
    assert reply.error is None and "Taking `churn-predction` as `churn-prediction`" in reply.text
    assert "churn-v6-apr" in reply.text


# -- 3. small talk stays off; the unplaced get two readings -------------------------------------


@pytest.mark.parametrize(
    "text", ["hi there!", "thanks 🙏", "점심 뭐 먹지?", "고마워요", "what's the weather like?"]
)
def test_small_talk_never_gets_data(ws, text):
    assert isinstance(asked(ws, text), OffTopic)
    reply = answer_question(ws, text)
    assert reply.intent == "off_topic" and "churn-v" not in reply.text and reply.ephemeral


@pytest.mark.parametrize("text", ["pedestrian-detector map50_95?", "보행자 검출기 map50_95는"])
def test_an_unplaced_question_about_a_project_gets_two_readings_as_buttons(ws, monkeypatch, text):
    monkeypatch.setenv("CONTEXTA_SEMANTIC", "off")  # what the rules alone cannot place
    monkeypatch.setattr("contexta_core.ask.requests.shared_matcher", lambda: None)
    request = asked(ws, text)
    assert isinstance(request, Unclear) and [r.intent for r in request.readings] == ["best", "trend"]
    assert {(r.project, r.metric) for r in request.readings} == {("pedestrian-detector", "map50_95")}
    reply = answer_question(ws, text)
    buttons = [b["accessory"] for b in reply.blocks if b.get("accessory")]
    assert len(buttons) == 2 and all(b["action_id"] == "choose_reading" for b in buttons)


# -- 4. follow-ups, per conversation, in the database, expiring ---------------------------------


def test_follow_ups_take_what_they_leave_out(ws):
    first = asked(ws, "what's the best run in churn-prediction?", "dm:1")
    assert (first.intent, first.project, first.metric) == ("best", "churn-prediction", None)
    on_f1 = asked(ws, "and on f1?", "dm:1")
    assert (on_f1.intent, on_f1.project, on_f1.metric, on_f1.follow_up) == (
        "best",
        "churn-prediction",
        "f1",
        True,
    )
    other = asked(ws, "what about fraud-detection?", "dm:1")
    assert (other.intent, other.project, other.metric) == ("best", "fraud-detection", "f1")
    deployed = asked(ws, "그럼 배포된 건?", "dm:1")
    assert (deployed.intent, deployed.project, deployed.language) == ("deployments", "fraud-detection", "ko")
    # another conversation knows nothing of it
    assert isinstance(asked(ws, "and on f1?", "dm:2"), Unclear | Clarify)


def test_korean_follow_ups(ws):
    asked(ws, "call-center-asr 실행 몇 개야?", "thread:ko")
    trend = asked(ws, "그럼 추이는?", "thread:ko")
    assert (trend.intent, trend.project) == ("trend", "call-center-asr")
    best = asked(ws, "cer 기준으로 가장 좋은 건?", "thread:ko")
    assert (best.intent, best.project, best.metric) == ("best", "call-center-asr", "cer")


def test_follow_up_context_survives_a_restart_and_expires(ws, database_url, tmp_path):
    from contexta_core import Contexta

    asked(ws, "best run of pedestrian-detector", "C1:1700.1")
    with Contexta(workspace=tmp_path / "ws", database_url=database_url) as other_process:
        follow = asked(other_process, "and on recall?", "C1:1700.1")
        assert (follow.intent, follow.project, follow.metric) == ("best", "pedestrian-detector", "recall")
    c = t.conversation_context
    with ws.database.writing(bump_version=False) as conn:
        conn.execute(c.update().values(updated_at=datetime.now(UTC) - timedelta(minutes=31)))
    assert ws.recall_question("C1:1700.1") is None
    assert not isinstance(asked(ws, "and on recall?", "C1:1700.1"), Ask)


def test_follow_ups_in_a_mention_thread_through_the_bot(ws):
    answer_question(ws, "best run of pedestrian-detector?", conversation="slack:T:C1:1.0")
    reply = answer_question(ws, "and on recall?", conversation="slack:T:C1:1.0")
    assert reply.intent == "best" and "`recall`" in reply.text
    assert "Following up on your previous question" in reply.text


def test_remembering_does_not_invalidate_cached_answers(ws):
    with ws.database.reading() as conn:
        before = ws.database.data_version(conn)
    asked(ws, "best run of fraud-detection", "dm:cache")
    with ws.database.reading() as conn:
        assert ws.database.data_version(conn) == before


def test_answers_are_results_for_any_surface(ws):
    result = answer(ws, asked(ws, "fraud-detection best"))
    assert result.scope.metric_key == "precision" and result.scope.chosen_by == "inferred"


def test_app_home_and_the_digest_use_the_primary_metric(ws):
    from bot.home import home_view

    home = str(home_view(ws).to_dict())
    assert "ped-rtdetr-0415" in home and "validate/map50" in home
    assert "asr-whisper-ft-v2" in home and "eval/wer" in home
    summary = ws.digests.summary("pedestrian-detector", datetime(2020, 1, 1, tzinfo=UTC), datetime.now(UTC))
    assert "map50" in str(summary)
