"""Drive the real Bolt app with signed Slack requests and read what it sent to the Slack stand-in.

`SlackDriver` sends one slash command / event / click at a time and returns the `Reply` it
caused (a response_url POST, chat.postMessage or chat.postEphemeral). `assert_within_limits`
checks what Slack itself would reject, and that nothing typed by a person came back raw.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from slack_bolt import App
from slack_sdk.models.blocks import Block

from bot.rendering.blocks import block_text_length
from tests.bot.conftest import SIGNING_SECRET
from tests.support.signed_requests import (
    API_APP_ID,
    TEAM_ID,
    block_action,
    event_callback,
    sign,
    slash_command,
    to_bolt_request,
)
from tests.support.slack_standin import RESPONSE_URL_METHOD, Call, SlackStandIn

POSTS = ("chat.postMessage", "chat.postEphemeral", RESPONSE_URL_METHOD)
ANY_THREAD = object()
BUILDING = ":hourglass_flowing_sand:"  # how a heavy answer's placeholder begins
ACK_SECONDS = 1.5  # Slack allows 3 s; a lazy listener makes the ack independent of the answer


@dataclass(frozen=True)
class Reply:
    method: str
    params: dict[str, Any]
    ack_seconds: float = 0.0
    ts: str | None = None  # of a posted message

    @property
    def text(self) -> str:
        return self.params.get("text") or ""

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.params.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    @property
    def ephemeral(self) -> bool:
        if self.method == RESPONSE_URL_METHOD:
            return self.params.get("response_type") == "ephemeral"
        return self.method == "chat.postEphemeral"

    @property
    def in_channel(self) -> bool:
        """Seen by everyone: posted, or sent to a response_url as in_channel."""
        if self.method == RESPONSE_URL_METHOD:
            return self.params.get("response_type") == "in_channel"
        return self.method == "chat.postMessage"

    @property
    def content(self) -> str:
        """The fallback text and every text inside the blocks, for content assertions."""
        return "\n".join([self.text, *_texts(self.blocks)])

    def buttons(self, action_id: str | None = None) -> list[dict[str, Any]]:
        found = []
        for block in self.blocks:
            elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory")]
            found += [e for e in elements if e and e.get("type") == "button"]
        return [b for b in found if action_id is None or b["action_id"] == action_id]


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += [item] if key == "text" and isinstance(item, str) else _texts(item)
        return found
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


class SlackDriver:
    """Requests of one team (`team`, the stand-in's default team unless given)."""

    def __init__(self, app: App, standin: SlackStandIn, team: str = TEAM_ID):
        self.app = app
        self.standin = standin
        self.team = team
        self._ids = itertools.count(1)

    def command(self, text: str, *, channel: str = "C1", user: str = "U1", team: str | None = None) -> Reply:
        key = f"cmd{next(self._ids)}"
        built = slash_command(
            text,
            secret=SIGNING_SECRET,
            channel_id=channel,
            user_id=user,
            response_url=self.standin.response_url(key),
            team_id=team or self.team,
        )
        return self._send(built, thread=None)

    def mention(
        self,
        text: str,
        *,
        channel: str = "C1",
        ts: str | None = None,
        thread_ts: str | None = None,
        user: str = "U1",
        **kw: Any,
    ) -> Reply:
        event = {"type": "app_mention", "user": user, "text": f"<@U0BOT> {text}", "channel": channel}
        event["ts"] = ts or self._ts()
        if thread_ts:
            event["thread_ts"] = thread_ts
        built = event_callback(event, secret=SIGNING_SECRET, team_id=self.team, **kw)
        return self._send(built, thread=thread_ts or event["ts"])

    def dm(self, text: str, **extra: Any) -> Reply:
        event = {"type": "message", "user": "U1", "text": text, "channel": "D1", "channel_type": "im"}
        event.update({"ts": self._ts(), **extra})
        return self._send(
            event_callback(event, secret=SIGNING_SECRET, team_id=self.team), thread=event.get("thread_ts")
        )

    def click(
        self,
        button: dict[str, Any],
        *,
        channel: str = "C1",
        message_ts: str | None = "1700000000.000100",
        thread_ts: str | None = None,
    ) -> Reply:
        thread = (thread_ts or message_ts) if message_ts else ANY_THREAD
        return self._send(self._click(button, channel, message_ts, thread_ts), thread=thread)

    def press(
        self,
        button: dict[str, Any],
        *,
        channel: str = "C1",
        message_ts: str | None = "1700000000.000100",
        thread_ts: str | None = None,
    ) -> None:
        """A click whose answer may be a file alone (no message): acked in time, nothing awaited."""
        status, seconds = self.dispatch(self._click(button, channel, message_ts, thread_ts))
        assert status == 200 and seconds < ACK_SECONDS

    def _click(
        self, button: dict[str, Any], channel: str, message_ts: str | None, thread_ts: str | None
    ) -> tuple[str, dict[str, str]]:
        return block_action(
            button["action_id"],
            button["value"],
            secret=SIGNING_SECRET,
            user_id="U1",
            channel_id=channel,
            message_ts=message_ts,
            thread_ts=thread_ts,
            response_url=self.standin.response_url(f"click{next(self._ids)}"),
        )

    def open_home(self, *, tab: str = "home", user: str = "U1", team: str | None = None) -> None:
        """`app_home_opened`, as Slack sends it each time a person opens the app's Home or Messages tab."""
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0HOME",
            "tab": tab,
            "event_ts": self._ts(),
        }
        status, _ = self.dispatch(event_callback(event, secret=SIGNING_SECRET, team_id=team or self.team))
        assert status == 200

    def click_home(self, button: dict[str, Any], *, user: str = "U1") -> Reply:
        """A click on a Home tab button: a `block_actions` payload from a view, with no channel or message."""
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": f"user-{user.lower()}", "team_id": TEAM_ID},
            "api_app_id": API_APP_ID,
            "token": "legacy-verification-token",
            "container": {"type": "view", "view_id": "V0HOME"},
            "trigger_id": f"{int(time.time())}.1.home",
            "team": {"id": TEAM_ID, "domain": "contexta-test"},
            "view": {"id": "V0HOME", "type": "home", "blocks": []},
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "home",
                    "value": button["value"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = "payload=" + quote(json.dumps(payload))
        return self._send((body, sign(body, secret=SIGNING_SECRET)))

    def dispatch(self, built: tuple[str, dict[str, str]]) -> tuple[int, float]:
        started = time.monotonic()
        response = self.app.dispatch(to_bolt_request(*built))
        return response.status, time.monotonic() - started

    def posts(self) -> list[Call]:
        return [c for c in self.standin.calls() if c.method in POSTS]

    def _send(self, built: tuple[str, dict[str, str]], *, thread: str | object | None = None) -> Reply:
        """Dispatch and return the reply: the first post in `thread` (None: top level) or via response_url.

        Earlier answers may still be posting in their own threads (a heavy answer's "building…" note).
        """
        before = len(self.posts())
        status, seconds = self.dispatch(built)
        assert status == 200
        assert seconds < ACK_SECONDS, f"ack took {seconds:.2f}s"
        call = self.wait_for_post(before, thread=thread)
        ts = call.result.get("ts") if isinstance(call.result, dict) else None
        return Reply(call.method, call.params, seconds, ts)

    def settled(self, reply: Reply, timeout: float = 60.0) -> Reply:
        """What `reply` became: itself, or (a heavy answer's "building…" placeholder) the answer it was
        updated to with chat.update."""
        if BUILDING not in reply.text:
            return reply
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [c for c in self.standin.calls("chat.update") if c.params.get("ts") == reply.ts]
            if done:
                return Reply(done[-1].method, done[-1].params, reply.ack_seconds, reply.ts)
            time.sleep(0.01)
        raise AssertionError(f"the building message {reply.ts} was never updated")

    def wait_for_post(
        self, before: int, timeout: float = 10.0, *, thread: str | object | None = ANY_THREAD
    ) -> Call:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = [
                c
                for c in self.posts()[before:]
                if thread is ANY_THREAD
                or c.method == RESPONSE_URL_METHOD
                or c.params.get("thread_ts") == thread
            ]
            if posts:
                return posts[0]
            time.sleep(0.005)
        raise AssertionError(f"no reply within {timeout}s; calls: {[c.method for c in self.standin.calls()]}")

    def _ts(self) -> str:
        return f"1700000{next(self._ids):03d}.000100"


def assert_within_limits(reply: Reply) -> None:
    """What Slack would reject (or truncate), and raw mentions/links anywhere in the message."""
    blocks = reply.blocks
    assert reply.text.strip(), "every message needs a text fallback"
    assert 1 <= len(blocks) <= 50
    assert block_text_length(blocks) <= 10_000
    for block in blocks:
        assert Block.parse(block).to_dict() == block  # slack_sdk's validators raise on violations
        if block["type"] == "section":
            assert 1 <= len(block.get("text", {}).get("text", " ")) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text" and len(block["text"]["text"]) <= 150
    assert "<" not in reply.content and ">" not in reply.content.replace("&gt;", ""), (
        "raw < or > would ping or link"
    )


@dataclass(frozen=True)
class Upload:
    """One files_upload_v2 call as the stand-in saw it: where it went and the files' names and bytes."""

    channel: str
    thread_ts: str | None
    comment: str
    files: dict[str, bytes]  # filename → content
    titles: tuple[str, ...]


def uploads(standin: SlackStandIn, count: int = 1, timeout: float = 10.0) -> list[Upload]:
    """Wait for `count` completed uploads (files.completeUploadExternal) and read them back."""
    done = []
    for call in standin.wait_for("files.completeUploadExternal", count, timeout):
        entries = json.loads(call.params["files"])
        stored = [standin.files[e["id"]] for e in entries]
        done.append(
            Upload(
                channel=call.params.get("channel_id"),
                thread_ts=call.params.get("thread_ts"),
                comment=call.params.get("initial_comment") or "",
                files={f.filename: f.content for f in stored},
                titles=tuple(e.get("title") for e in entries),
            )
        )
    return done
