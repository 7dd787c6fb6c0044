"""Build requests exactly as Slack sends them (body + signed headers), for `app.dispatch` or real HTTP.

Headers are returned as a plain `dict[str, str]` with Slack's own casing; signing uses slack_sdk's
`SignatureVerifier`, so a request built here passes Bolt's verification iff the secret matches.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

TEAM_ID = "T0TEST"
API_APP_ID = "A0TEST"
BOT_USER_ID = "U0BOT"
# Loopback "discard" port: a listener that calls respond() without a real URL fails fast, offline.
UNREACHABLE_RESPONSE_URL = "http://127.0.0.1:9/response-url-not-set"
_FORM = "application/x-www-form-urlencoded"


def sign(
    body: str, *, secret: str, timestamp: int | None = None, content_type: str = _FORM
) -> dict[str, str]:
    """Headers Slack would send with `body`, signed with `secret` at `timestamp` (default: now)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def slash_command(
    text: str,
    *,
    secret: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    response_url: str = UNREACHABLE_RESPONSE_URL,
    timestamp: int | None = None,
    command: str = "/contexta",
    team_id: str = TEAM_ID,
) -> tuple[str, dict[str, str]]:
    """A form-encoded slash command invocation (from a member of ``team_id``)."""
    body = urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": "contexta-test",
            "channel_id": channel_id,
            "channel_name": "general" if channel_id.startswith("C") else "directmessage",
            "user_id": user_id,
            "user_name": f"user-{user_id.lower()}",
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": _trigger_id(),
        }
    )
    return body, sign(body, secret=secret, timestamp=timestamp)


def event_callback(
    event: dict[str, Any],
    *,
    secret: str,
    event_id: str | None = None,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
    timestamp: int | None = None,
    team_id: str = TEAM_ID,
) -> tuple[str, dict[str, str]]:
    """An Events API envelope around `event` (delivered to ``team_id``'s install); `retry_num`
    adds Slack's retry headers."""
    now = int(time.time()) if timestamp is None else timestamp
    envelope = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    body = json.dumps(envelope)
    headers = sign(body, secret=secret, timestamp=now, content_type="application/json")
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return body, headers


def block_action(
    action_id: str,
    value: str,
    *,
    secret: str,
    user_id: str,
    channel_id: str,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    response_url: str = UNREACHABLE_RESPONSE_URL,
    block_id: str = "contexta",
    timestamp: int | None = None,
) -> tuple[str, dict[str, str]]:
    """A `block_actions` interactivity payload (a button click), form-encoded as `payload=<json>`."""
    container: dict[str, Any] = {"type": "message", "channel_id": channel_id, "is_ephemeral": False}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": f"user-{user_id.lower()}", "team_id": TEAM_ID},
        "api_app_id": API_APP_ID,
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": _trigger_id(),
        "team": {"id": TEAM_ID, "domain": "contexta-test"},
        "channel": {"id": channel_id, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "text": {"type": "plain_text", "text": value},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if message_ts is not None:
        container["message_ts"] = message_ts
        message = {"type": "message", "ts": message_ts, "user": BOT_USER_ID, "text": ""}
        if thread_ts is not None:
            container["thread_ts"] = message["thread_ts"] = thread_ts
        payload["message"] = message
    body = "payload=" + quote(json.dumps(payload))
    return body, sign(body, secret=secret, timestamp=timestamp)


def to_bolt_request(body: str, headers: dict[str, str]) -> BoltRequest:
    """Wrap a built request for `app.dispatch` (HTTP mode, so the signature is checked)."""
    return BoltRequest(body=body, headers=dict(headers))


def post(
    url: str, body: str, headers: dict[str, str], timeout: float = 5.0
) -> tuple[int, str, dict[str, str]]:
    """POST over real HTTP; returns (status, body, headers) also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers.items())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers.items())


def _trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:16]}"
