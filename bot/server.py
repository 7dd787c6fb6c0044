"""HTTP mode: the bot as a WSGI app served by gunicorn (gthread workers).

Routes: POST /slack/events → Bolt (commands, events, interactivity, url_verification),
GET /slack/install and /slack/oauth_redirect → Bolt's OAuth flow (OAuth mode only: browsers, not
Slack, so unsigned; Bolt checks the one-time state instead), GET /healthz → 200 without touching
Slack, anything else → 404.

The Bolt app is built in each worker after the fork (no `preload_app`): `load()` runs in the
worker, so Bolt's listener thread pool and lazily cached auth.test belong to that process.
Settings are validated in the master first, so configuration errors stop the bot before any fork.
Gunicorn's SIGTERM handling is the graceful shutdown: stop accepting, let in-flight requests
finish within `graceful_timeout`, then exit. Events are de-duplicated through the workspace's
claim table (`Contexta.claim_once`), so several workers never answer one event twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.installs import INSTALL_PATH, REDIRECT_PATH
from bot.request_guard import guard_slack_requests
from bot.settings import BotSettings

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def create_wsgi_app(bolt_app: App) -> WSGIApp:
    """The bot's WSGI callable around an already built Bolt app; requests are checked (size,
    signature, shape) before Bolt sees them (`bot.request_guard`)."""
    secret = getattr(bolt_app, "_signing_secret", None)  # the one Bolt verifies with, set by create_app
    bolt = SlackRequestHandler(bolt_app, path=EVENTS_PATH)
    slack = guard_slack_requests(bolt, secret)
    installs = (INSTALL_PATH, REDIRECT_PATH) if bolt_app.oauth_flow is not None else ()

    def route(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if method == "POST" and path == EVENTS_PATH:
            return slack(environ, start_response)
        if method == "GET" and path in installs:
            return bolt(environ, start_response)
        if method in ("GET", "HEAD") and path == HEALTH_PATH:
            return _respond(start_response, "200 OK", json.dumps({"ok": True}), "application/json")
        return _respond(start_response, "404 Not Found", "Not Found", "text/plain; charset=utf-8")

    return route


def _respond(start_response: Callable[..., Any], status: str, text: str, content_type: str) -> list[bytes]:
    data = text.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


class BotServer(BaseApplication):
    """gunicorn, configured in code; each worker builds its own Bolt app via `app_factory`."""

    def __init__(self, settings: BotSettings, app_factory: Callable[[BotSettings], App]):
        self._settings = settings
        self._app_factory = app_factory
        super().__init__()

    def load_config(self) -> None:
        host = f"[{self._settings.host}]" if ":" in self._settings.host else self._settings.host
        options = {
            "bind": f"{host}:{self._settings.port}",
            "workers": self._settings.workers,
            "worker_class": "gthread",
            "threads": self._settings.threads,
            "preload_app": False,
            "timeout": 30,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": None,  # request lines carry no secrets, but Slack traffic is noisy
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "contexta-bot",
            # gunicorn 27 opens a control socket at one fixed path per user: two bots (or parallel
            # tests) would fight over it, and the bot needs no runtime management.
            "control_socket_disable": True,
        }
        for key, value in options.items():
            if key in self.cfg.settings:  # skip options older gunicorn releases do not know
                self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return create_wsgi_app(self._app_factory(self._settings))


def serve(settings: BotSettings, app_factory: Callable[[BotSettings], App]) -> None:
    """Run until SIGTERM/SIGINT; gunicorn exits the process when it stops."""
    BotServer(settings, app_factory).run()
