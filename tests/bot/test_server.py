"""WSGI routing and the gunicorn configuration, checked in-process."""

import io
import json
from wsgiref.util import setup_testing_defaults

from slack_bolt import App

from bot.app import create_app
from bot.server import BotServer, create_wsgi_app
from bot.settings import BotSettings
from tests.bot.conftest import SIGNING_SECRET
from tests.support.signed_requests import slash_command
from tests.support.slack_standin import SlackStandIn


def call_wsgi(app: App, method: str, path: str, body: str = "", headers: dict[str, str] | None = None):
    environ: dict = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    data = body.encode()
    environ.update({"wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))})
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    started: list = []
    chunks = create_wsgi_app(app)(environ, lambda status, hdrs: started.append(status))
    return int(started[0].split()[0]), b"".join(chunks)


def test_health_and_unknown_routes(app: App) -> None:
    assert call_wsgi(app, "GET", "/healthz") == (200, json.dumps({"ok": True}).encode())
    assert call_wsgi(app, "GET", "/slack/events")[0] == 404
    assert call_wsgi(app, "POST", "/elsewhere")[0] == 404


def test_slack_events_route_dispatches_signed_requests(app: App, standin: SlackStandIn) -> None:
    body, headers = slash_command("help", secret=SIGNING_SECRET, response_url=standin.response_url())
    assert call_wsgi(app, "POST", "/slack/events", body, headers)[0] == 200
    standin.wait_for("response_url")
    assert call_wsgi(app, "POST", "/slack/events", body, {**headers, "X-Slack-Signature": "v0=bad"})[0] == 401


def test_gunicorn_is_configured_for_threads_and_per_worker_apps(settings: BotSettings) -> None:
    server = BotServer(settings.model_copy(update={"host": "127.0.0.1", "port": 3999}), create_app)
    assert server.cfg.bind == ["127.0.0.1:3999"]
    assert (server.cfg.worker_class_str, server.cfg.threads, server.cfg.preload_app) == ("gthread", 8, False)
    assert BotServer(settings.model_copy(update={"host": "::"}), create_app).cfg.bind == ["[::]:3000"]
