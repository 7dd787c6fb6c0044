"""`ask`: a question answered by the shared asking package, rendered for the terminal."""

from __future__ import annotations

import json

import pytest

from .checks import ok, ok_json, refused

# issue #11 adds `chosen_by`: where the metric came from (asked, stored, inferred)
READING = {"intent", "project", "language", "metric", "stage", "higher_is_better", "chosen_by", "result"}


def test_ask_prints_how_it_read_the_question_and_the_answers_data(demo_cli):
    data = ok_json(demo_cli("ask", "how many runs are there?", "--project", "churn-prediction", "--json"))
    assert set(data) == READING
    assert (data["intent"], data["project"], data["language"]) == ("runs", "churn-prediction", "en")
    assert data["result"]["page"]["total"] == 6 and len(data["result"]["runs"]) == 6
    assert data["result"]["status_counts"]["completed"] == 6

    best = ok_json(demo_cli("ask", "가장 좋은 실행은 뭐야?", "--json"))
    assert (best["intent"], best["language"], best["project"]) == ("best", "ko", "churn-prediction")
    assert (best["metric"], best["stage"], best["higher_is_better"]) == ("accuracy", "evaluate", True)
    assert best["result"]["best"]["run_name"] == "churn-v6-apr"

    text = ok(demo_cli("ask", "which run is the best?", "-p", "churn-prediction"))
    assert "churn-v6-apr" in text and "higher is better" in text


def test_a_stated_direction_and_a_metric_name_reach_the_answer(demo_cli):
    lowest = ok_json(demo_cli("ask", "which run has the lowest accuracy?", "--json"))
    assert (lowest["metric"], lowest["higher_is_better"]) == ("accuracy", False)
    assert lowest["result"]["best"]["run_name"] == "churn-v1-jan"
    trend = ok_json(demo_cli("ask", "how did f1 change over time?", "--json"))
    assert (trend["intent"], trend["metric"], trend["stage"]) == ("trend", "f1", "evaluate")
    assert len(trend["result"]["trend"]["points"]) == 6


def test_asking_back_keeps_the_reading_and_lists_the_choices(demo_ctx, demo_cli):
    with demo_ctx.run("second-run", project="fraud-detection") as run:
        run.log_metric("accuracy", 0.5)
    data = ok_json(demo_cli("ask", "what's our best run on f1?", "--json"))
    assert (data["intent"], data["project"], data["metric"], data["result"]) == ("best", None, "f1", None)
    assert data["choices"] == ["churn-prediction", "fraud-detection"] and data["ambiguous"] is False
    text = ok(demo_cli("ask", "what's our best run on f1?"))
    assert "Which project do you mean?" in text and "fraud-detection" in text


def test_a_question_nothing_matched_gets_examples(demo_cli):
    data = ok_json(demo_cli("ask", "what's the weather?", "--json"))
    assert (data["intent"], data["understood"], data["result"]) == ("help", False, None)
    assert "which run is the best on f1?" in ok(demo_cli("ask", "what's the weather?"))


def test_ask_about_an_unknown_run_is_refused_like_any_command(demo_cli):
    result = demo_cli("ask", "compare churn-v3-feb and churn-v9-apr")
    line = refused(result)
    assert line.startswith("error: no run `") and "did you mean" in line and "churn-v6-apr" in line
    result = demo_cli("ask", "compare churn-v3-feb and churn-v9-apr", "--json")
    assert "did you mean" in refused(result)


def test_ask_in_an_empty_workspace_says_there_is_nothing_yet(run_cli):
    assert "no projects yet" in refused(run_cli("ask", "which run is the best?"))
    assert json.loads(ok(run_cli("ask", "help", "--json")))["intent"] == "help"


@pytest.mark.parametrize(
    ("question", "shows"),
    [
        ("학습 실행이 몇 개야?", "6 runs"),
        ("how did accuracy change over time?", "churn-v1-jan → churn-v6-apr"),
        ("which model is in production?", "live:"),
        ("what's our best run on f1?", "churn-v6-apr"),
        ("is there a report comparing all runs?", "Multi Run Report: 6 runs"),
        ("I'm new here, catch me up", "1. Training runs: 6"),
        ("compare churn-v3-feb and churn-v6-apr", "churn-v3-feb"),
        ("what can you do?", "I can answer questions"),
    ],
)
def test_every_kind_of_question_has_a_terminal_view(demo_cli, question, shows):
    assert shows in ok(demo_cli("ask", question))


def test_slack_adds_the_message_the_bot_would_post(demo_cli):
    data = ok_json(demo_cli("ask", "how many runs are there?", "--slack"))
    assert set(data) == READING | {"slack"}
    assert (
        "6" in data["slack"]["text"] and isinstance(data["slack"]["blocks"], list) and data["slack"]["blocks"]
    )
    nudge = ok_json(demo_cli("ask", "what's the weather?", "--slack"))
    assert nudge["slack"]["text"] and nudge["result"] is None


def test_slack_without_the_bots_renderer_says_what_is_missing(run_cli, monkeypatch):
    from contexta_cli.commands import ask

    monkeypatch.setattr(ask, "entry_points", lambda **_: ())
    result = run_cli("ask", "how many runs are there?", "--slack")
    assert result.exit_code == 1 and result.stdout == ""
    assert "`--slack` needs the Slack app's renderer" in result.stderr
