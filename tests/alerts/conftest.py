"""Fixtures for the alert tests: a clean environment and a Slack stand-in."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.slack_standin import SlackStandIn


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "CONTEXTA_")):
            monkeypatch.delenv(name)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def settings(standin: SlackStandIn, tmp_path):
    from bot.settings import load_settings
    from tests.bot.conftest import BOT_TOKEN, SIGNING_SECRET

    return load_settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        contexta_workspace=tmp_path / "bot-workspace",
    )
