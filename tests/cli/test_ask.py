"""`ask`: the bot's question router from the terminal."""

from __future__ import annotations

import json
import sys

from .checks import ok, ok_json, refused


def test_ask_without_the_router_says_what_is_missing(run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "bot.answers", None)  # makes `import bot.answers` fail
    result = run_cli("ask", "how many runs are there?")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "error: `contexta ask` needs the bot's question router (bot.answers), which is not installed\n"
    )


def test_ask_answers_from_the_demo_history(demo_cli):
    data = ok_json(demo_cli("ask", "how many runs are there?", "--project", "churn-prediction", "--json"))
    assert set(data) == {"intent", "project", "language", "text", "blocks"}
    assert (data["intent"], data["project"], data["language"]) == ("runs", "churn-prediction", "en")
    assert "6" in data["text"]
    assert isinstance(data["blocks"], list) and data["blocks"]
    text = ok(demo_cli("ask", "which run is the best?", "-p", "churn-prediction"))
    assert "churn-v6-apr" in text


def test_ask_about_an_unknown_run_is_refused_like_any_command(demo_cli):
    result = demo_cli("ask", "compare churn-v3-feb and churn-v9-apr")
    line = refused(result)
    assert line.startswith("error: no run `") and "did you mean" in line and "churn-v6-apr" in line
    result = demo_cli("ask", "compare churn-v3-feb and churn-v9-apr", "--json")
    assert result.exit_code == 2
    assert "did you mean" in json.loads(result.stdout)["text"]
