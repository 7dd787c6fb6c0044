"""A bot pointed at a folder holding the original Contexta library's workspace (and nothing of
ours) says so and gives the import command, in every place it would say "no projects yet"."""

from __future__ import annotations

import json
import shutil

import pytest
from slack_bolt import App

from bot.settings import BotSettings
from contexta_core.importers import open_importer, run_import
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver, _texts
from tests.importers.conftest import CONTEXTA1
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
def legacy_app(settings: BotSettings):
    from bot.app import open_contexta

    shutil.copytree(CONTEXTA1, settings.contexta_workspace, dirs_exist_ok=True)
    contexta = open_contexta(settings)
    with drained_app(settings, contexta) as built:
        yield built, contexta
    contexta.close()


def test_every_empty_answer_names_the_import_command(legacy_app: tuple[App, object], standin: SlackStandIn):
    app, contexta = legacy_app
    slack = SlackDriver(app, standin)
    command = f"contexta import contexta {contexta.workspace}"
    for reply in (slack.command("projects"), slack.command("runs"), slack.dm("how many training runs are there?")):
        assert command in reply.content and "no projects yet" not in reply.content.lower()
    korean = slack.dm("학습 실행이 몇 개야?")
    assert command in korean.content and "가져오지 않은 Contexta 1.x 기록" in korean.content
    slack.open_home()
    view = standin.wait_for("views.publish")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert command in "\n".join(_texts(view["blocks"]))

    run_import(contexta, open_importer("contexta", contexta.workspace))
    assert "churn-prediction" in slack.command("projects").content
