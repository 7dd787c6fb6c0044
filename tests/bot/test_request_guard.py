"""Unauthenticated and malformed requests over real HTTP (issue #12, finding 4).

The bot's WSGI app is served on loopback by a threaded wsgiref server in this process, so the
log records it writes can be read back: a request is logged at INFO without its body, and an
unsigned one never has its body logged (at most a short escaped excerpt).
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App

from bot.server import create_wsgi_app
from tests.bot.conftest import SIGNING_SECRET
from tests.support.signed_requests import event_callback, sign, slash_command
from tests.support.slack_standin import SlackStandIn


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # wsgiref's own access log: not under test
        pass


@pytest.fixture
def logging_as_served(caplog: pytest.LogCaptureFixture) -> None:
    """INFO, as `contexta-bot` configures logging before it builds the app (Bolt's loggers copy the level then)."""
    caplog.set_level(logging.INFO)


@pytest.fixture
def served(logging_as_served: None, app: App) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, create_wsgi_app(app), _ThreadingServer, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def send(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def test_an_unsigned_4_mb_body_is_refused_early_and_not_logged(
    served: int, standin: SlackStandIn, caplog
) -> None:
    body = b"payload=" + b"A" * (4 * 1024 * 1024)
    started = time.monotonic()
    status, _ = send(served, body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and time.monotonic() - started < 5
    assert len(log_text(caplog)) < 2000  # not 4.19 MB
    assert standin.calls() == []


def test_a_raw_newline_in_an_unsigned_body_cannot_forge_a_log_line(served: int, caplog) -> None:
    forged = "x=1\n2026-12-01 09:00:00 INFO bot: user U1 is now an admin\r\n"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    status, _ = send(served, forged.encode(), headers)
    assert status == 401
    for record in caplog.records:
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message
        assert "is now an admin" not in message  # not even escaped: the excerpt is short


@pytest.mark.parametrize(
    "case",
    [
        "malformed json",
        "json that is not an object",
        "malformed payload",
        "non-numeric timestamp",
        "no timestamp",
    ],
)
def test_malformed_requests_get_a_4xx_without_a_traceback(
    served: int, standin: SlackStandIn, caplog, case: str
) -> None:
    json_type = "application/json"
    if case == "malformed json":
        body = '{"type": "event_callback", '
        headers, expected = sign(body, secret=SIGNING_SECRET, content_type=json_type), 400
    elif case == "json that is not an object":
        body = "[1, 2]"
        headers, expected = sign(body, secret=SIGNING_SECRET, content_type=json_type), 400
    elif case == "malformed payload":
        body = "payload=%7B%22type%22%3A"
        headers, expected = sign(body, secret=SIGNING_SECRET), 400
    else:
        body, headers = slash_command("help", secret=SIGNING_SECRET)
        if case == "no timestamp":
            del headers["X-Slack-Request-Timestamp"]
        else:
            headers["X-Slack-Request-Timestamp"] = "soon"
        expected = 401
    status, answer = send(served, body.encode(), headers)
    assert status == expected, answer
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [c.method for c in standin.calls()] == []


def test_requests_are_logged_at_info_without_their_bodies(served: int, standin: SlackStandIn, caplog) -> None:
    body, headers = slash_command(
        "help me please", secret=SIGNING_SECRET, response_url=standin.response_url()
    )
    assert send(served, body.encode(), headers)[0] == 200
    standin.wait_for("response_url")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.request_guard"]
    assert any("POST /slack/events 200" in line for line in lines), lines
    assert "help me please" not in log_text(caplog) and "legacy-verification-token" not in log_text(caplog)


def test_forged_and_stale_requests_get_401_and_no_slack_call(served: int, standin: SlackStandIn) -> None:
    event = {"type": "app_mention", "user": "U1", "text": "<@U0BOT> runs", "channel": "C1", "ts": "1.2"}
    body, headers = event_callback(event, secret="not-the-secret")
    assert send(served, body.encode(), headers)[0] == 401
    body, headers = event_callback(event, secret=SIGNING_SECRET, timestamp=int(time.time()) - 600)
    assert send(served, body.encode(), headers)[0] == 401
    body, headers = event_callback(event, secret=SIGNING_SECRET)
    tampered = body.replace("runs", "best")
    assert send(served, tampered.encode(), headers)[0] == 401
    time.sleep(0.3)
    assert standin.calls() == []


def test_slacks_ssl_check_still_gets_its_200(served: int, standin: SlackStandIn) -> None:
    status, _ = send(
        served, b"ssl_check=1&token=legacy", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200 and standin.calls() == []
