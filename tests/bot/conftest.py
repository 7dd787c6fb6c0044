"""Fixtures for bot tests: a clean environment, a Slack stand-in and a Bolt app pointed at it.

`slack` answers from one seeded demo workspace per backend, shared by the whole session: answers
only read (event claims use unique keys), and seeding once per test would dominate the run time.
Tests that change the workspace use `slack_rw`, whose app answers from the per-test `demo_ctx`.
Every app gets its own listener pool, drained at teardown while the stand-in still runs: an answer's
files are uploaded after the answer is posted (heavy ones once a worker built them), so a test may
end while they are on their way.
"""

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from slack_bolt import App

from bot.access import SlackAccess
from bot.app import create_app, open_contexta
from bot.listeners.later import wait_until_delivered
from bot.settings import BotSettings, load_settings
from contexta_core import Contexta
from contexta_core.synthetic import seed_demo
from tests.support import fixtures
from tests.support.slack_standin import SlackStandIn

isolated_env = fixtures.isolated_env  # shared with the other Slack tests (tests/support/fixtures.py)
standin = fixtures.standin

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
def settings(standin: SlackStandIn, tmp_path: Path) -> BotSettings:
    return load_settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        contexta_workspace=tmp_path / "bot-workspace",
    )


@contextmanager
def drained_app(
    settings: BotSettings, contexta: Contexta, access: SlackAccess | None = None
) -> Iterator[App]:
    """`create_app` whose lazy listeners (file uploads included) have all finished when the block
    exits; ``access``: the app's Slack facts (a test sharing them with a dispatcher passes its own)."""
    executor = ThreadPoolExecutor(max_workers=5, thread_name_prefix="bolt-listener")
    try:
        yield create_app(settings, contexta=contexta, listener_executor=executor, access=access)
    finally:
        executor.shutdown(wait=True)
        wait_until_delivered(timeout=120)  # heavy answers still building in a worker (bot.listeners.later)


@pytest.fixture
def app(settings: BotSettings) -> Iterator[App]:
    """The app as `contexta-bot` builds it, over an empty SQLite workspace."""
    contexta = open_contexta(settings)
    with drained_app(settings, contexta) as built:
        yield built
    contexta.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def shared_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Contexta]:
    """The churn-prediction demo, seeded once per backend; tests using it must not write to it."""
    if request.param == "sqlite":
        root = tmp_path_factory.mktemp("shared-demo")
        with Contexta(workspace=root, database_url=f"sqlite:///{root / 'contexta.db'}") as ctx:
            seed_demo(ctx)
            yield ctx
        return
    with (
        _postgres_schema() as url,
        Contexta(workspace=tmp_path_factory.mktemp("pg"), database_url=url) as ctx,
    ):
        seed_demo(ctx)
        yield ctx


@contextmanager
def _postgres_schema() -> Iterator[str]:
    """A fresh schema on the test server (skipped locally when unreachable, required under CI)."""
    import psycopg

    from tests.conftest import PG_ADMIN_URL

    plain = PG_ADMIN_URL.replace("+psycopg", "")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def slack(settings: BotSettings, standin: SlackStandIn, shared_demo: Contexta):
    """Drives a fresh app over the shared, read-only demo workspace."""
    from tests.bot.harness import SlackDriver

    with drained_app(settings, shared_demo) as built:
        yield SlackDriver(built, standin)


@contextmanager
def team_app(standin: SlackStandIn, ctx: Contexta, settings: BotSettings, team: str):
    """A single-workspace bot of its own team ``team`` (its own token, whose ``auth.test`` names
    that team) over ``ctx``: several of them on one database are several workspaces' bots."""
    from pydantic import SecretStr

    from tests.bot.harness import SlackDriver

    token = standin.add_team(team)
    with drained_app(settings.model_copy(update={"slack_bot_token": SecretStr(token)}), ctx) as app:
        yield SlackDriver(app, standin, team=team)


@pytest.fixture
def slack_rw(settings: BotSettings, standin: SlackStandIn, demo_ctx: Contexta):
    """Drives an app over this test's own demo workspace (`demo_ctx`), which the test may change."""
    from tests.bot.harness import SlackDriver

    with drained_app(settings, demo_ctx) as built:
        yield SlackDriver(built, standin)


@pytest.fixture
def posted(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What Slack answered to each of the bot's chat.postMessage calls (the `ts` files must thread under).

    Bolt hands every request its own WebClient, so the method is recorded on the class.
    """
    from slack_sdk import WebClient

    answers: list[dict] = []
    original = WebClient.chat_postMessage

    def recording(self: WebClient, **kwargs: object):
        response = original(self, **kwargs)
        answers.append(response.data)
        return response

    monkeypatch.setattr(WebClient, "chat_postMessage", recording)
    return answers
