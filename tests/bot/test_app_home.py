"""The App Home tab through the real Bolt app: views.publish with the projects at a glance, and "Onboard me"."""

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_bolt import App
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from contexta_core import Contexta
from contexta_core.contract import Project
from contexta_core.synthetic import seed_demo
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver, _texts, assert_within_limits, uploads
from tests.support.slack_standin import SlackStandIn

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)
PNG = b"\x89PNG\r\n\x1a\n"


def published(standin: SlackStandIn, count: int = 1) -> dict:
    """The last view published, checked the way Slack would check it."""
    call = standin.wait_for("views.publish", count)[-1]
    assert call.params["user_id"] == "U1"
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home" and 1 <= len(view["blocks"]) <= 100
    View(**view).to_dict()  # slack_sdk's validators raise on violations
    for block in view["blocks"]:
        assert Block.parse(block).to_dict() == block
    return view


def buttons(view: dict, action_id: str) -> list[dict]:
    found = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return [e for e in found if e["action_id"] == action_id]


def test_home_lists_each_project_with_its_runs_live_deployment_best_run_and_last_update(
    slack: SlackDriver,
) -> None:
    slack.open_home()
    view = published(slack.standin)
    text = "\n".join(_texts(view["blocks"]))
    line = next(t for t in _texts(view["blocks"]) if t.startswith("*churn-prediction*"))
    assert "— Customer churn prediction model" in line and "6 runs" in line
    assert "live `prod-deploy-v6` → `churn-v6-apr`" in line
    assert "best `churn-v6-apr` (evaluate/accuracy 0.902)" in line
    assert "updated <!date^" in line and "|2025-04-19" in line
    assert "how many training runs do we have?" in text and "학습 실행이 몇 개야?" in text
    assert "전체 실행 비교 리포트 있어?" in text and "compare churn-v3-feb" not in text  # the first five
    (english,) = buttons(view, "home_onboard")
    (korean,) = buttons(view, "home_onboard_ko")
    assert json.loads(english["value"]) == {"project": "churn-prediction", "lang": "en"}
    assert json.loads(korean["value"]) == {"project": "churn-prediction", "lang": "ko"}


@SQLITE_ONLY
def test_the_messages_tab_publishes_nothing(slack: SlackDriver) -> None:
    slack.open_home(tab="messages")
    slack.open_home()
    published(slack.standin)
    time.sleep(0.1)
    assert len(slack.standin.calls("views.publish")) == 1


def test_an_empty_workspace_gets_a_home_that_says_so(app: App, standin: SlackStandIn) -> None:
    SlackDriver(app, standin).open_home()
    view = published(standin)
    assert "There are no projects yet" in "\n".join(_texts(view["blocks"]))


@SQLITE_ONLY
def test_onboard_me_sends_the_onboarding_answer_and_its_chart_to_the_dm(
    slack: SlackDriver, posted: list[dict]
) -> None:
    slack.open_home()
    view = published(slack.standin)
    reply = slack.click_home(buttons(view, "home_onboard")[0])
    assert_within_limits(reply)
    (opened,) = slack.standin.calls("conversations.open")
    assert opened.params["users"] == "U1"
    dm = reply.params["channel"]
    assert dm.startswith("D") and "thread_ts" not in reply.params
    assert "Welcome to churn-prediction" in reply.content and "*4. Best run:*" in reply.content
    (upload,) = uploads(slack.standin)
    assert (upload.channel, upload.thread_ts) == (dm, posted[0]["ts"])
    assert upload.files["churn-prediction-evaluate-accuracy-trend.png"].startswith(PNG)


@SQLITE_ONLY
def test_the_korean_onboard_button_answers_in_korean(slack: SlackDriver) -> None:
    slack.open_home()
    reply = slack.click_home(buttons(published(slack.standin), "home_onboard_ko")[0])
    assert "churn-prediction 온보딩" in reply.content and "*4. 최고 실행:*" in reply.content


@pytest.fixture
def crowded(settings, standin: SlackStandIn, tmp_path) -> Iterator[SlackDriver]:
    """120 projects besides the demo, the newest created last."""
    root = tmp_path / "crowded"
    root.mkdir()
    with Contexta(workspace=root, database_url=f"sqlite:///{root / 'contexta.db'}") as ctx:
        seed_demo(ctx)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for i in range(120):
            ctx.metadata_store.projects.put_project(
                Project(
                    project_ref=f"project:bulk-{i:03d}",
                    name=f"bulk-{i:03d}",
                    created_at=start + timedelta(hours=i),
                    description="A project with a long description " * 10,
                )
            )
        with drained_app(settings, ctx) as built:
            yield SlackDriver(built, standin)


def test_a_hundred_and_twenty_projects_show_the_most_recently_active_within_the_block_limit(
    crowded: SlackDriver,
) -> None:
    crowded.open_home()
    view = published(crowded.standin)
    lines = [t for t in _texts(view["blocks"]) if t.startswith("*bulk-") or t.startswith("*churn")]
    assert len(lines) == 20 and lines[0].startswith("*bulk-119*") and lines[-1].startswith("*bulk-100*")
    assert "*Projects* (121)" in _texts(view["blocks"])
    assert any("…and 101 more, less recently active" in t for t in _texts(view["blocks"]))
    assert len(view["blocks"]) <= 100
