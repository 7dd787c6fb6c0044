"""Configuration errors must name the variable to fix and never echo a secret."""

from pathlib import Path

import pytest

from bot.settings import BotConfigError, load_settings


def config_error(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(BotConfigError) as error:
        load_settings()
    return str(error.value)


def test_missing_bot_token_says_where_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    message = config_error(monkeypatch, SLACK_SIGNING_SECRET="s3cr3t")
    assert message.startswith("SLACK_BOT_TOKEN is not set: export the bot token (xoxb-…)")
    assert "OAuth & Permissions" in message


def test_empty_bot_token_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "SLACK_BOT_TOKEN is not set" in config_error(
        monkeypatch, SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="s"
    )


def test_wrong_token_kinds_are_named_without_leaking_values(monkeypatch: pytest.MonkeyPatch) -> None:
    user_token, bad_app_token = "xoxp-very-secret-user-token", "xoxb-not-an-app-token-secret"
    message = config_error(
        monkeypatch, SLACK_BOT_TOKEN=user_token, SLACK_APP_TOKEN=bad_app_token, SLACK_SIGNING_SECRET="s"
    )
    assert "SLACK_BOT_TOKEN must be a bot token starting with xoxb-" in message
    assert "SLACK_APP_TOKEN must be an app-level token starting with xapp-" in message
    assert user_token not in message and bad_app_token not in message


def test_http_mode_requires_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    message = config_error(monkeypatch, SLACK_BOT_TOKEN="xoxb-1")
    assert message.startswith("SLACK_SIGNING_SECRET is not set: HTTP mode")


def test_bad_api_url_and_port_are_reported_together(monkeypatch: pytest.MonkeyPatch) -> None:
    message = config_error(
        monkeypatch,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL="slack.example",
        CONTEXTA_BOT_PORT="http",
    )
    assert "SLACK_API_URL must be an http(s) URL" in message and "CONTEXTA_BOT_PORT is invalid" in message


def test_modes_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    http = load_settings(port=4000)
    assert (http.mode, http.port, http.host, http.workers) == ("http", 4000, "0.0.0.0", 1)
    assert http.slack_api_url == "http://127.0.0.1:9/api/"  # WebClient appends method names
    assert http.contexta_workspace == Path(".contexta")
    assert "xoxb-1" not in repr(http)
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().mode == "socket"  # Socket Mode needs no signing secret


def test_access_admins_are_slack_user_ids_listed_any_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert load_settings().contexta_access_admins == ()
    monkeypatch.setenv("CONTEXTA_ACCESS_ADMINS", "U012ABC, W0ORG9  U012ABC")
    assert load_settings().contexta_access_admins == ("U012ABC", "W0ORG9")
    message = config_error(monkeypatch, CONTEXTA_ACCESS_ADMINS="U012ABC,@alice,bob")
    assert message.startswith("CONTEXTA_ACCESS_ADMINS 2 entries are not a Slack user id: list Slack user ids")
    assert "alice" not in message


def test_oauth_mode_needs_all_three_and_excludes_the_bot_token(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "oauth-client-secret-xyz"
    partial = config_error(monkeypatch, SLACK_CLIENT_ID="1.2", SLACK_SIGNING_SECRET="s")
    assert partial.startswith("SLACK_CLIENT_SECRET, SLACK_SCOPES are not set: installing in many workspaces")
    both = config_error(
        monkeypatch, SLACK_CLIENT_SECRET=secret, SLACK_SCOPES="commands,chat:write", SLACK_BOT_TOKEN="xoxb-1"
    )
    assert "SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID" in both and secret not in both
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert "installs in many workspaces need HTTP mode" in config_error(monkeypatch)
    monkeypatch.delenv("SLACK_APP_TOKEN")
    assert "SLACK_SCOPES must be scope names" in config_error(
        monkeypatch, SLACK_SCOPES="commands,,chat:write"
    )
    monkeypatch.setenv("SLACK_SCOPES", " commands , chat:write")
    settings = load_settings()
    assert settings.oauth and settings.mode == "http" and settings.scopes() == ["commands", "chat:write"]
    assert secret not in repr(settings) and settings.scopes(user=True) == []
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    assert config_error(monkeypatch).startswith("SLACK_SIGNING_SECRET is not set")
