"""Fixtures every test that talks to the Slack stand-in shares (the bot's and the digests' conftests
import them): a clean environment and the stand-in itself."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.slack_standin import SlackStandIn


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real SLACK_*/CONTEXTA_* variables must not leak in (SLACK_CLIENT_ID would turn on Bolt's OAuth)."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "CONTEXTA_")):
            monkeypatch.delenv(name)
    from bot import people

    people._zones.clear()  # a person's Slack time zone, kept an hour per process: one test's is not the next's


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server
