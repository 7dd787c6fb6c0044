"""Fixtures for bot tests: a clean environment, a Slack stand-in and a Bolt app pointed at it."""

import os
from collections.abc import Iterator

import pytest
from slack_bolt import App

from bot.app import create_app
from bot.settings import BotSettings, load_settings
from tests.support.slack_standin import SlackStandIn

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real SLACK_*/CONTEXTA_* variables must not leak in (SLACK_CLIENT_ID would turn on Bolt's OAuth)."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "CONTEXTA_")):
            monkeypatch.delenv(name)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def settings(standin: SlackStandIn) -> BotSettings:
    return load_settings(
        slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=standin.api_url
    )


@pytest.fixture
def app(settings: BotSettings) -> App:
    return create_app(settings)
