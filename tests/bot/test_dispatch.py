"""Signed requests through `app.dispatch`: verification, acks, answers and event de-duplication."""

import json
import time

from slack_bolt import Ack, App

from bot.app import AUTH_FAILURE_MESSAGE, create_app
from bot.settings import BotSettings
from tests.bot.conftest import SIGNING_SECRET
from tests.support.signed_requests import (
    block_action,
    event_callback,
    sign,
    slash_command,
    to_bolt_request,
)
from tests.support.slack_standin import SlackStandIn


def dispatch(app: App, built: tuple[str, dict[str, str]]):
    return app.dispatch(to_bolt_request(*built))


def mention(ts: str = "1700000000.000100") -> dict:
    return {"type": "app_mention", "user": "U1", "text": "<@U0BOT> best churn", "ts": ts, "channel": "C1"}


def test_slash_command_acks_then_answers_via_response_url(app: App, standin: SlackStandIn) -> None:
    built = slash_command("help", secret=SIGNING_SECRET, response_url=standin.response_url("cmd"))
    response = dispatch(app, built)
    assert response.status == 200
    (answer,) = standin.wait_for("response_url")
    assert "/contexta help" in answer.params["text"] and answer.params["response_type"] == "ephemeral"


def test_app_creation_calls_no_slack_method_and_auth_test_runs_once(
    settings: BotSettings, standin: SlackStandIn
) -> None:
    app = create_app(settings)
    assert standin.calls() == []
    for _ in range(2):
        built = slash_command("help", secret=SIGNING_SECRET, response_url=standin.response_url())
        assert dispatch(app, built).status == 200
    standin.wait_for("response_url", count=2)
    assert len(standin.calls("auth.test")) == 1


def test_failed_auth_test_gets_a_truthful_message_and_is_retried_later(
    app: App, standin: SlackStandIn
) -> None:
    standin.fail_next("auth.test", error="invalid_auth")
    built = slash_command("help", secret=SIGNING_SECRET, response_url=standin.response_url())
    assert dispatch(app, built).body == AUTH_FAILURE_MESSAGE
    assert dispatch(app, built).status == 200
    assert "/contexta help" in standin.wait_for("response_url")[0].params["text"]


def test_bad_signatures_and_stale_timestamps_are_rejected(app: App, standin: SlackStandIn) -> None:
    body, headers = slash_command("help", secret="not-the-secret")
    assert dispatch(app, (body, headers)).status == 401
    body, headers = slash_command("help", secret=SIGNING_SECRET)
    assert dispatch(app, (body.replace("help", "best"), headers)).status == 401  # tampered after signing
    stale = slash_command("help", secret=SIGNING_SECRET, timestamp=int(time.time()) - 301)
    assert dispatch(app, stale).status == 401
    assert standin.calls() == []  # rejected before authorization (auth.test) or any listener


def test_url_verification_echoes_the_challenge(app: App) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
    response = dispatch(app, (body, sign(body, secret=SIGNING_SECRET, content_type="application/json")))
    assert (response.status, json.loads(response.body)) == (200, {"challenge": "c-123"})


def test_duplicate_and_retried_events_answer_once(app: App, standin: SlackStandIn) -> None:
    deliveries = [
        event_callback(mention(), secret=SIGNING_SECRET, event_id="Ev0001"),
        event_callback(mention(), secret=SIGNING_SECRET, event_id="Ev0001"),
        event_callback(mention(), secret=SIGNING_SECRET, event_id="Ev0001", retry_num=1),
    ]
    assert [dispatch(app, built).status for built in deliveries] == [200, 200, 200]
    (reply,) = standin.wait_for("chat.postEphemeral")  # the empty workspace has no projects: an error
    assert (reply.params["channel"], reply.params["user"]) == ("C1", "U1")
    assert "no projects yet" in reply.params["text"]
    assert reply.params["thread_ts"] == "1700000000.000100"
    time.sleep(0.2)
    assert len(standin.calls("chat.postEphemeral")) == 1 and not standin.calls("chat.postMessage")


def test_direct_messages_from_people_only(app: App, standin: SlackStandIn) -> None:
    base = {"type": "message", "user": "U1", "text": "hi", "channel": "D1", "channel_type": "im"}
    ignored = [
        {**base, "ts": "1.000001", "bot_id": "B9"},
        {**base, "ts": "1.000002", "subtype": "message_changed"},
        {**base, "ts": "1.000003", "channel": "C1", "channel_type": "channel"},
    ]
    for event in [*ignored, {**base, "ts": "1.000004"}]:
        assert dispatch(app, event_callback(event, secret=SIGNING_SECRET)).status == 200
    (reply,) = standin.wait_for("chat.postMessage")
    assert reply.params["channel"] == "D1" and "thread_ts" not in reply.params  # a DM is answered in the DM
    time.sleep(0.2)
    assert len(standin.calls("chat.postMessage")) == 1


def test_app_home_opened_publishes_a_home_view(app: App, standin: SlackStandIn) -> None:
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    assert dispatch(app, event_callback(event, secret=SIGNING_SECRET)).status == 200
    (publish,) = standin.wait_for("views.publish")
    assert publish.params["user_id"] == "U1" and publish.params["view"]["type"] == "home"


def test_block_action_payload_reaches_action_listeners(app: App) -> None:
    seen: list[dict] = []

    def on_click(ack: Ack, body: dict) -> None:
        ack()
        seen.append(body)

    app.action("show_runs")(on_click)
    built = block_action(
        "show_runs", "churn", secret=SIGNING_SECRET, user_id="U1", channel_id="C1", message_ts="2.000001"
    )
    assert dispatch(app, built).status == 200
    (body,) = seen
    assert body["actions"][0]["value"] == "churn" and body["container"]["message_ts"] == "2.000001"


def test_the_workspace_claim_dedupes_events_unless_the_core_has_none(app: App) -> None:
    from bot.app import default_claim
    from bot.middleware import InMemoryClaims

    class Workspace:
        def claim_once(self, key: str) -> bool:
            return True

    workspace = Workspace()
    assert default_claim(workspace) == workspace.claim_once
    assert isinstance(default_claim(object()), InMemoryClaims)
