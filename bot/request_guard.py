"""What an HTTP request must be before Bolt sees it: small, signed by Slack, and well-formed.

Slack's requests are a few kilobytes; anyone can send anything. So, in this order:

* a body over ``MAX_BODY_BYTES`` is refused with 413 without being kept (what is sent anyway is
  read and dropped, up to a bound, so the client gets the answer);
* a missing or non-numeric timestamp, a stale one or a bad signature is refused with 401 (Slack's
  ``ssl_check`` ping, which Bolt answers with an empty 200 and nothing else, passes unsigned);
* a signed body that is not the JSON object or form Slack sends is refused with 400;

each before Bolt parses anything (Bolt would answer a parse error with a 500 and a traceback, and
logs an unverified body whole at INFO). Every request is logged once at INFO: method, path,
status, size and time, never the body. A refusal adds its reason and at most a short excerpt,
escaped, so a raw newline cannot forge a log line.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # Slack's largest (a block action carrying a full message) is far below
DRAIN_LIMIT = 16 * 1024 * 1024  # read and dropped beyond the cap, so a client sees the 413
EXCERPT_CHARS = 24
WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


class Refused(Exception):
    def __init__(self, status: str, reason: str, excerpt: bytes = b""):
        super().__init__(reason)
        self.status, self.reason, self.excerpt = status, reason, excerpt


def guard_slack_requests(
    app: WSGIApp, signing_secret: str | None, *, max_body_bytes: int = MAX_BODY_BYTES
) -> WSGIApp:
    """``app`` (Bolt's WSGI handler) behind the checks above; ``signing_secret`` None skips the
    signature check here (Socket Mode has no HTTP; Bolt still verifies)."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def guarded(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.monotonic()
        status = "500 Internal Server Error"
        size = 0

        def recording_start(status_line: str, headers: list, *args: Any) -> Any:
            nonlocal status
            status = status_line
            return start_response(status_line, headers, *args)

        try:
            body = _read_body(environ, max_body_bytes)
            size = len(body)
            _check(environ, body, verifier)
        except Refused as refused:
            logger.info(
                "%s %s %s (%s; %s bytes; starts %s) in %.0f ms",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                refused.status.split()[0],
                refused.reason,
                f"{size or _declared_length(environ) or 0:,}",
                _excerpt(refused.excerpt),
                (time.monotonic() - started) * 1000,
            )
            return _refuse(start_response, refused.status)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return app(environ, recording_start)
        finally:
            logger.info(
                "%s %s %s (%s bytes) in %.0f ms",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                status.split()[0],
                f"{size:,}",
                (time.monotonic() - started) * 1000,
            )

    return guarded


def _declared_length(environ: dict) -> int | None:
    try:
        return int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _read_body(environ: dict, limit: int) -> bytes:
    stream = environ["wsgi.input"]
    declared = _declared_length(environ)
    if declared is not None and declared > limit:
        _drain(stream, declared)
        raise Refused("413 Payload Too Large", f"body over {limit:,} bytes")
    body = stream.read(declared if declared is not None else limit + 1)
    if len(body) > limit:
        _drain(stream, DRAIN_LIMIT)
        raise Refused("413 Payload Too Large", f"body over {limit:,} bytes")
    return body


def _drain(stream: Any, declared: int) -> None:
    left = min(declared, DRAIN_LIMIT)
    while left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            return
        left -= len(chunk)


def _check(environ: dict, body: bytes, verifier: SignatureVerifier | None) -> None:
    content_type = environ.get("CONTENT_TYPE", "")
    try:  # parsed here only to be judged (at most MAX_BODY_BYTES); Bolt parses it again
        text = body.decode("utf-8")
        form = {} if "application/json" in content_type else parse_qs(text)
        if form.get("ssl_check") == ["1"] and "payload" not in form and "command" not in form:
            return  # Slack's certificate check: Bolt answers it with an empty 200 and runs nothing
        if "application/json" in content_type:
            well_formed = isinstance(json.loads(text), dict)
        else:
            well_formed = not form.get("payload") or isinstance(json.loads(form["payload"][0]), dict)
    except ValueError:  # also UnicodeDecodeError and json.JSONDecodeError
        well_formed = False
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise Refused("401 Unauthorized", "no numeric X-Slack-Request-Timestamp", body)
    if verifier is not None and not verifier.is_valid(body, timestamp, signature):
        raise Refused("401 Unauthorized", "invalid or stale signature", body)
    if not well_formed:
        raise Refused("400 Bad Request", f"signed but malformed {content_type or 'body'}")


def _excerpt(body: bytes) -> str:
    """The first few characters, escaped (``\\n``, ``\\x1b``, ``\\u202e``…), or '-' for none."""
    if not body:
        return "-"
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
    return ascii(text) + ("…" if len(body) > len(text.encode("utf-8")) else "")


def _refuse(start_response: Callable[..., Any], status: str) -> list[bytes]:
    data = json.dumps({"error": status.split(" ", 1)[1].lower()}).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
