"""`contexta-bot` start-up failures: one readable line and exit status 2, never a traceback or a secret."""

from pathlib import Path

import pytest
from slack_bolt import App
from slack_bolt.adapter import socket_mode
from slack_sdk import WebClient

from bot.app import main
from tests.support.slack_standin import SlackStandIn


def test_missing_configuration_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "3999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("contexta-bot: SLACK_BOT_TOKEN is not set: export the bot token")


def test_bad_token_is_named_not_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-do-not-print-me")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "also-secret")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN must be a bot token starting with xoxb-" in err
    assert "do-not-print-me" not in err and "also-secret" not in err


def test_app_token_selects_socket_mode_against_the_configured_api(
    monkeypatch: pytest.MonkeyPatch, standin: SlackStandIn, tmp_path: Path
) -> None:
    started: list[dict] = []

    class FakeSocketModeHandler:
        def __init__(self, app: App, app_token: str, web_client: WebClient) -> None:
            started.append({"app": app, "app_token": app_token, "base_url": web_client.base_url})

        def start(self) -> None:
            started[-1]["started"] = True

    monkeypatch.setattr(socket_mode, "SocketModeHandler", FakeSocketModeHandler)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_API_URL", standin.api_url)
    monkeypatch.setenv("CONTEXTA_WORKSPACE", str(tmp_path / "ws"))  # the app opens its workspace
    assert main([]) == 0
    (handler,) = started
    assert (handler["app_token"], handler["base_url"], handler["started"]) == (
        "xapp-1",
        standin.api_url,
        True,
    )
    assert handler["app"].client.base_url == standin.api_url
    assert standin.calls() == []
