"""`contexta-bot` start-up: failures give one readable line and exit status 2 (never a traceback or a
secret); a serving process starts its digest clock unless CONTEXTA_DIGESTS=off, a test-built app never."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from slack_bolt import App
from slack_bolt.adapter import socket_mode
from slack_sdk import WebClient

import bot.app
from bot.access import SlackAccess
from bot.app import create_app, create_serving_app, main
from bot.settings import BotSettings
from bot.slack_client import TokenClients
from tests.support.slack_standin import SlackStandIn


class FakeScheduler:
    def __init__(self, ctx: object, client: object, **options: object) -> None:
        self.ctx, self.client, self.options, self.stopped = ctx, client, options, False

    def shutdown(self) -> None:
        self.stopped = True


class FakeDispatcher:
    def __init__(self, ctx: object, clients, **options: object) -> None:
        self.ctx, self.clients, self.options = ctx, clients, options

    def shutdown(self) -> None:
        pass


@dataclass
class Started:
    schedulers: list[FakeScheduler] = field(default_factory=list)
    dispatchers: list[FakeDispatcher] = field(default_factory=list)
    at_exit: list = field(default_factory=list)


@pytest.fixture(autouse=True)
def digest_clock(monkeypatch: pytest.MonkeyPatch) -> Started:
    """Digest schedulers and alert dispatchers started (fakes: no thread) and what was registered
    to run at exit."""
    seen = Started()

    def start(ctx: object, client: object, **options: object) -> FakeScheduler:
        seen.schedulers.append(FakeScheduler(ctx, client, **options))
        return seen.schedulers[-1]

    def dispatch(ctx: object, clients, **options: object) -> FakeDispatcher:
        seen.dispatchers.append(FakeDispatcher(ctx, clients, **options))
        return seen.dispatchers[-1]

    monkeypatch.setattr(bot.app, "start_digest_scheduler", start)
    monkeypatch.setattr(bot.app, "start_alert_dispatcher", dispatch)
    monkeypatch.setattr(bot.app.atexit, "register", seen.at_exit.append)
    return seen


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
    monkeypatch: pytest.MonkeyPatch, standin: SlackStandIn, tmp_path: Path, digest_clock: Started
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
    (scheduler,) = digest_clock.schedulers  # Socket Mode runs the digest clock in its one process
    assert scheduler.client.client.base_url == standin.api_url  # the bot's team's client (TokenClients)


def test_a_serving_app_starts_the_digest_clock_with_a_client_without_retry_handlers(
    settings: BotSettings, digest_clock: Started, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering = []  # the Slack facts the listeners answer by
    register = bot.app.register_listeners
    monkeypatch.setattr(
        bot.app,
        "register_listeners",
        lambda app, ctx, access: register(app, ctx, answering.append(access) or access),
    )
    app = create_serving_app(settings)
    (scheduler,) = digest_clock.schedulers
    # the digest clock asks who may read a restricted project's DM digest of the same cache
    assert scheduler.options == {"access": answering[0]} and isinstance(answering[0], SlackAccess)
    clients = scheduler.client  # token mode: the bot's own team, learned from auth.test
    assert isinstance(clients, TokenClients) and isinstance(clients.client, WebClient)
    assert clients.client is not app.client
    assert clients.client.base_url == standin.api_url and clients.client.retry_handlers == []
    (dispatcher,) = digest_clock.dispatchers
    assert dispatcher.clients is clients  # digests and alerts post for the same teams
    assert digest_clock.at_exit == [scheduler.shutdown, dispatcher.shutdown]  # stopped when the process exits


def test_a_serving_app_starts_the_alert_dispatcher_posting_without_client_retries(
    settings: BotSettings, digest_clock: Started, standin: SlackStandIn
) -> None:
    from contexta_core.tenancy import Tenant

    tuned = settings.model_copy(update={"alert_poll_seconds": 0.5, "alert_min_interval_seconds": 120})
    app = create_serving_app(tuned)
    (dispatcher,) = digest_clock.dispatchers
    assert dispatcher.clients.tenants() == [Tenant("T0TEST")]  # the token's team (auth.test), only it
    client = dispatcher.clients.client_for(Tenant("T0TEST"))
    assert isinstance(client, WebClient) and client is not app.client and client.retry_handlers == []
    assert client.base_url == standin.api_url
    assert dispatcher.options["poll_seconds"] == 0.5
    assert dispatcher.options["timing"].min_interval.total_seconds() == 120


def test_alerts_off_starts_no_dispatcher(settings: BotSettings, digest_clock: Started) -> None:
    create_serving_app(settings.model_copy(update={"contexta_alerts": False}))
    assert digest_clock.dispatchers == [] and len(digest_clock.schedulers) == 1


def test_digests_off_leaves_them_to_cron(settings: BotSettings, digest_clock: Started) -> None:
    create_serving_app(settings.model_copy(update={"contexta_digests": False}))
    assert digest_clock.schedulers == []


def test_a_serving_app_has_its_chart_fonts_ready_before_the_first_question(
    settings: BotSettings, digest_clock: Started
) -> None:
    from contexta_core.render import charts

    charts._covered.cache_clear()
    create_serving_app(settings.model_copy(update={"contexta_digests": False}))
    assert charts._covered.cache_info().currsize == 1


def test_apps_built_for_tests_start_no_scheduler(settings: BotSettings, digest_clock: Started) -> None:
    create_app(settings)
    assert digest_clock.schedulers == []


@pytest.mark.parametrize(("value", "expected"), [("off", False), ("on", True), ("false", False)])
def test_contexta_digests_reads_on_and_off(
    monkeypatch: pytest.MonkeyPatch, settings: BotSettings, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CONTEXTA_DIGESTS", value)
    assert BotSettings(slack_bot_token="xoxb-1", slack_signing_secret="s").contexta_digests is expected


def test_a_bad_contexta_digests_value_is_named(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("CONTEXTA_DIGESTS", "sometimes")
    assert main([]) == 2
    assert "CONTEXTA_DIGESTS is invalid" in capsys.readouterr().err
