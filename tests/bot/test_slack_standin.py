"""The stand-in must behave like Slack for the real slack_sdk client, or bot tests prove nothing."""

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack_client import retry_handlers
from tests.support.slack_standin import BOT_USER_ID, UPLOAD_METHOD, SlackStandIn


def client_for(standin: SlackStandIn, **kwargs) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url, **kwargs)


def test_auth_test_and_json_post_message(standin: SlackStandIn) -> None:
    client = client_for(standin)
    assert client.auth_test()["user_id"] == BOT_USER_ID
    first = client.chat_postMessage(channel="C1", text="hello", thread_ts="1.000001")
    second = client.chat_postMessage(channel="C1", text="again")
    assert first["channel"] == "C1" and first["message"]["text"] == "hello"
    assert float(second["ts"]) > float(first["ts"])
    call = standin.calls("chat.postMessage")[0]
    assert call.params == {"channel": "C1", "text": "hello", "thread_ts": "1.000001"}  # JSON body parsed
    assert call.headers["authorization"] == "Bearer xoxb-test"


def test_form_encoded_methods_and_realistic_answers(standin: SlackStandIn) -> None:
    client = client_for(standin)
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert dm.startswith("D") and client.conversations_open(users="U1")["channel"]["id"] == dm
    assert client.users_info(user="U1")["user"]["id"] == "U1"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert client.chat_update(channel="C1", ts="5.000001", text="edited")["ts"] == "5.000001"
    view = client.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]
    assert view["type"] == "home" and view["id"].startswith("V")
    assert standin.calls("users.info")[0].params["user"] == "U1"  # form body parsed


def test_unknown_method_and_missing_token(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as unknown:
        client_for(standin).api_call("bogus.method")
    assert unknown.value.response["error"] == "unknown_method"
    with pytest.raises(SlackApiError) as anonymous:
        WebClient(base_url=standin.api_url).auth_test()
    assert anonymous.value.response["error"] == "not_authed"


def test_files_upload_v2_round_trip(standin: SlackStandIn) -> None:
    response = client_for(standin).files_upload_v2(
        channel="C1", content=b"a,b\n1,2\n", filename="runs.csv", title="Runs", initial_comment="here"
    )
    file_id = response["file"]["id"]
    assert standin.uploads == {file_id: b"a,b\n1,2\n"}
    assert standin.files[file_id].filename == "runs.csv" and standin.files[file_id].channel == "C1"
    methods = [c.method for c in standin.calls()]
    assert methods == ["files.getUploadURLExternal", UPLOAD_METHOD, "files.completeUploadExternal"]
    assert standin.calls("files.getUploadURLExternal")[0].params == {"filename": "runs.csv", "length": "8"}
    assert json.loads(standin.calls("files.completeUploadExternal")[0].params["files"]) == [
        {"id": file_id, "title": "Runs"}
    ]


def test_rate_limit_retry_after_is_honoured(standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    client = client_for(standin, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    limited, accepted = standin.calls("chat.postMessage")
    assert (limited.status, accepted.status) == (429, 200)
    assert accepted.at - limited.at >= 1.0


def test_server_error_is_retried_by_the_bot_client(standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", status=500)
    client = client_for(standin, retry_handlers=retry_handlers())
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.status for c in standin.calls("chat.postMessage")] == [500, 200]


def test_api_errors_are_http_200_with_ok_false(standin: SlackStandIn) -> None:
    client = client_for(standin)
    standin.set_channel_error("C404", "channel_not_found")
    standin.fail_next("chat.postMessage", error="not_in_channel", times=1)
    for channel, expected in [
        ("C1", "not_in_channel"),
        ("C404", "channel_not_found"),
        ("C404", "channel_not_found"),
    ]:
        with pytest.raises(SlackApiError) as error:
            client.chat_postMessage(channel=channel, text="hi")
        assert (error.value.response.status_code, error.value.response["error"]) == (200, expected)
    assert client.chat_postMessage(channel="C1", text="works again")["ok"]


def test_response_url_wait_for_and_reset(standin: SlackStandIn) -> None:
    request = urllib.request.Request(
        standin.response_url("cmd"),
        data=json.dumps({"text": "answer"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.read() == b"ok"
    assert standin.wait_for("response_url")[0].params == {"text": "answer"}
    assert [c.params["text"] for c in standin.responses("cmd")] == ["answer"]
    with pytest.raises(AssertionError, match=r"got 0; received: response_url \{'text': 'answer'\}"):
        standin.wait_for("chat.postMessage", timeout=0.05)
    standin.reset()
    assert standin.calls() == []
