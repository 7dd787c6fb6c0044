"""A loopback stand-in for the Slack Web API, so the bot's real Bolt/slack-sdk code can be tested offline.

Each request is recorded as a `Call` (also failed ones); answers have the shapes Slack documents.
Upload URLs (files_upload_v2 step 2) and `response_url`s point back at this server.

Several teams can share it: each bot token belongs to a team (`add_team`; any other token is the
default team `TEAM_ID`'s), `auth.test` answers for the token's team, and channels, their messages
and their members are kept per team, so two teams may both have a `C1`. `oauth.v2.access` exchanges
codes issued by `issue_code` for a new team token, as Slack does at the end of an install.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TEAM_ID = "T0TEST"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
UPLOAD_METHOD = "upload"  # recorded method name of files_upload_v2's raw POST to the upload URL
RESPONSE_URL_METHOD = "response_url"  # recorded method name of POSTs to a `response_url`
_CHANNEL_SCOPED = {"chat.postMessage", "chat.postEphemeral", "chat.update", "files.completeUploadExternal"}


@dataclass(frozen=True)
class Call:
    """One request the stand-in received; `params` merges query, form or JSON body."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes
    at: float
    path: str = ""
    status: int = 200
    result: Any = None  # what the stand-in answered (e.g. the `ts` of a posted message)


@dataclass
class UploadedFile:
    """A file announced by files.getUploadURLExternal; `content` is None until its bytes arrive."""

    file_id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None


@dataclass
class _Failure:
    status: int
    error: str | None
    retry_after: int | None
    times: int
    after_success: bool = False  # the call takes effect first, then its answer fails
    delay: float = 0.0  # seconds before answering (beyond a client's timeout: the client gives up)


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[_Failure]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)
    time_zones: dict[str, str] = field(default_factory=dict)  # user id -> the `tz` users.info reports
    files: dict[str, UploadedFile] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)
    history: dict[tuple[str, str], list[dict]] = field(default_factory=dict)  # (team, channel) → oldest first
    usergroups: dict[str, dict] = field(default_factory=dict)  # id → {"handle", "users"}
    admins: dict[str, str] = field(default_factory=dict)  # user → "admin" | "owner"


@dataclass
class Team:
    team_id: str
    token: str
    enterprise_id: str | None = None
    name: str = ""
    bot_user_id: str = BOT_USER_ID
    is_enterprise_install: bool = False
    revoked: bool = False


@dataclass
class Channel:
    private: bool = False
    members: tuple[str, ...] = ()
    im_user: str | None = None  # a DM with the bot: the person
    name: str | None = None  # named channels are listed by conversations.list
    exists: bool = True  # False: conversations.info / members answer channel_not_found


class SlackStandIn:
    """Context manager serving a fake Slack Web API on 127.0.0.1 (random port) from a daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = _State()
        self._counter = itertools.count(1)
        self._epoch = int(time.time())
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._teams: dict[str, Team] = {}  # token → team
        self._channels: dict[tuple[str, str], Channel] = {}  # (team, channel) → what it is
        self._codes: dict[str, tuple[Team, str]] = {}  # OAuth code → (team to install, installer)
        self._oauth_client: tuple[str, str] | None = None
        self._team = TEAM_ID  # the team of the call being answered (under the lock)

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackStandIn is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """Web API base, usable as `WebClient(base_url=...)` (ends with a slash)."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str = "r") -> str:
        """A Slack-style `response_url`; POSTs to it are recorded as method "response_url"."""
        return f"{self.base_url}/response/{key}"

    # -- inspection ------------------------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._state.calls if method is None or c.method == method]

    def responses(self, key: str = "r") -> list[Call]:
        """POSTs received on `response_url(key)`."""
        return [c for c in self.calls(RESPONSE_URL_METHOD) if c.path == f"/response/{key}"]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Poll until at least `count` calls of `method` arrived; on timeout say what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls(method)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                received = [f"{c.method} {_redact(c.params)}" for c in self.calls()] or ["nothing"]
                raise AssertionError(
                    f"expected {count} {method} call(s) within {timeout}s, got {len(found)}; "
                    f"received: {'; '.join(received)}"
                )
            time.sleep(0.01)

    def messages(self, channel: str, team: str = TEAM_ID) -> list[dict]:
        """Messages posted to `channel` of `team` (including those whose answer failed), oldest first."""
        with self._lock:
            return list(self._state.history.get((team, channel), []))

    def team_of(self, call: Call) -> str | None:
        """The team whose token made `call` (None: no token, or a revoked one)."""
        token = _bearer(call.headers) or call.params.get("token")
        with self._lock:
            team = self._teams.get(token) if token else None
        return (team.team_id if not team.revoked else None) if team else (TEAM_ID if token else None)

    # -- teams, channels, installs ---------------------------------------------------------------------
    def add_team(
        self,
        team_id: str,
        *,
        enterprise_id: str | None = None,
        name: str | None = None,
        token: str | None = None,
    ) -> str:
        """Register a team; returns its bot token (made up unless given)."""
        token = token or f"xoxb-{team_id.lower()}-{secrets.token_hex(6)}"
        with self._lock:
            self._teams[token] = Team(team_id, token, enterprise_id, name or f"Team {team_id}")
        return token

    def revoke(self, token: str) -> None:
        """The token stops working (`invalid_auth`), as after an uninstall."""
        with self._lock:
            self._teams[token].revoked = True

    def set_channel(
        self,
        channel: str,
        *,
        team: str = TEAM_ID,
        private: bool = False,
        members: tuple[str, ...] = (),
        im_user: str | None = None,
        name: str | None = None,
        exists: bool = True,
    ) -> None:
        """What `conversations.info` / `conversations.members` say of `channel` (unknown ones are public);
        a named one is also listed by `conversations.list`; `exists=False` makes it `channel_not_found`."""
        with self._lock:
            self._channels[(team, channel)] = Channel(private, tuple(members), im_user, name, exists)

    def set_oauth_client(self, client_id: str, client_secret: str) -> None:
        """The app credentials `oauth.v2.access` accepts (HTTP Basic, as slack-sdk sends them)."""
        with self._lock:
            self._oauth_client = (client_id, client_secret)

    def issue_code(
        self,
        team_id: str,
        *,
        enterprise_id: str | None = None,
        name: str | None = None,
        installer: str = "U1",
    ) -> str:
        """A one-time code Slack would put in the redirect after `installer` approved the install."""
        code = f"code-{secrets.token_hex(8)}"
        team = Team(
            team_id,
            f"xoxb-{team_id.lower()}-{secrets.token_hex(6)}",
            enterprise_id,
            name or f"Team {team_id}",
        )
        with self._lock:
            self._codes[code] = (team, installer)
        return code

    def token_of(self, team_id: str) -> str:
        """The newest working bot token of `team_id`."""
        with self._lock:
            found = [t.token for t in self._teams.values() if t.team_id == team_id and not t.revoked]
        if not found:
            raise KeyError(team_id)
        return found[-1]

    @property
    def files(self) -> dict[str, UploadedFile]:
        with self._lock:
            return dict(self._state.files)

    @property
    def uploads(self) -> dict[str, bytes]:
        """Bytes POSTed to upload URLs, by file id (filename etc. in `files`)."""
        with self._lock:
            return {fid: f.content for fid, f in self._state.files.items() if f.content is not None}

    # -- control ---------------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after_success: bool = False,
        delay: float = 0.0,
    ) -> None:
        """Fail the next `times` calls of `method`.

        `error` set → HTTP 200 with `{"ok": false, "error": error}` (how Slack reports API errors);
        status 429 → `Retry-After` header (default 1 s) and error "ratelimited"; other statuses as given.
        `after_success` → the call takes effect (a message is posted) and only its answer fails;
        `delay` → the answer comes that many seconds late (a client with a shorter timeout gives up).
        """
        failure = _Failure(
            status=200 if error else status,
            error=error,
            retry_after=retry_after,
            times=times,
            after_success=after_success,
            delay=delay,
        )
        with self._lock:
            self._state.failures.setdefault(method, []).append(failure)

    def set_channel_error(self, channel: str, error: str | None) -> None:
        """Make every post to `channel` fail with `error` (e.g. "channel_not_found"); None clears it."""
        with self._lock:
            if error is None:
                self._state.channel_errors.pop(channel, None)
            else:
                self._state.channel_errors[channel] = error

    # -- the workspace's channels, user groups and admins (for project access) -----------------------
    def add_channel(
        self, channel: str, name: str, members: list[str] | tuple[str, ...] = (), *, private: bool = False
    ) -> None:
        """A named channel of the default team the bot can see, with these members."""
        self.set_channel(channel, private=private, members=tuple(members), name=name)

    def set_members(self, channel: str, members: list[str] | tuple[str, ...], *, team: str = TEAM_ID) -> None:
        with self._lock:
            self._channels[(team, channel)].members = tuple(members)

    def add_usergroup(self, usergroup: str, handle: str, users: list[str] | tuple[str, ...] = ()) -> None:
        with self._lock:
            self._state.usergroups[usergroup] = {"handle": handle, "users": list(users)}

    def set_admin(self, user: str, role: str | None = "admin") -> None:
        """Make ``user`` a workspace "admin" or "owner" in users.info (None: an ordinary member)."""
        with self._lock:
            if role is None:
                self._state.admins.pop(user, None)
            else:
                self._state.admins[user] = role

    def reset(self) -> None:
        """Forget calls, uploads, injected failures and channel errors (timestamps keep increasing)."""
        with self._lock:
            self._state = _State()

    def set_time_zone(self, user_id: str, zone: str) -> None:
        """What `users.info` reports as `user_id`'s time zone from now on."""
        with self._lock:
            self._state.time_zones[user_id] = zone

    # -- request handling (called from server threads) -------------------------------------------------
    def _handle(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        url = urlsplit(path)
        if url.path.startswith("/api/"):
            method = url.path[len("/api/") :]
            params = _parse_params(url.query, headers.get("content-type", ""), body)
        elif url.path.startswith("/upload/"):
            method, params = UPLOAD_METHOD, {"file_id": url.path[len("/upload/") :]}
        elif url.path.startswith("/response/") and verb == "POST":
            method, params = RESPONSE_URL_METHOD, _parse_params("", headers.get("content-type", ""), body)
        else:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        with self._lock:
            status, extra_headers, payload, delay = self._answer(method, params, headers, body)
            self._state.calls.append(
                Call(method, params, headers, body, time.time(), url.path, status, payload)
            )
        if delay:
            time.sleep(delay)
        if isinstance(payload, bytes):
            return status, {"Content-Type": "text/plain; charset=utf-8", **extra_headers}, payload
        data = json.dumps(payload).encode()
        return status, {"Content-Type": "application/json; charset=utf-8", **extra_headers}, data

    def _answer(self, method: str, params: dict, headers: dict, body: bytes) -> tuple[int, dict, Any, float]:
        failure = self._take_failure(method)
        if failure is not None:
            if failure.after_success:
                self._succeed(method, params, headers, body)
            return (*_failure_response(failure), failure.delay)
        return (*self._succeed(method, params, headers, body), 0.0)

    def _succeed(self, method: str, params: dict, headers: dict, body: bytes) -> tuple[int, dict, Any]:
        if method == RESPONSE_URL_METHOD:
            return 200, {}, b"ok"
        if method == UPLOAD_METHOD:
            return self._receive_upload(params["file_id"], body)
        if method == "oauth.v2.access":
            return 200, {}, self._oauth_access(params, headers)
        token = _bearer(headers) or params.get("token")
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        team = self._teams.get(token)
        if team is not None and team.revoked:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        self._team = team.team_id if team else TEAM_ID
        channel = params.get("channel") or params.get("channel_id")
        if method in _CHANNEL_SCOPED and channel in self._state.channel_errors:
            return 200, {}, {"ok": False, "error": self._state.channel_errors[channel]}
        handler = _API_METHODS.get(method)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, handler(self, params)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._state.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _next_ts(self) -> str:
        n = next(self._counter)
        return f"{self._epoch + n}.{n:06d}"

    def _receive_upload(self, file_id: str, body: bytes) -> tuple[int, dict, Any]:
        file = self._state.files.get(file_id)
        if file is None:
            return 404, {}, b"file not found"
        file.content = body
        return 200, {}, f"OK - {len(body)}".encode()

    # -- Web API methods -------------------------------------------------------------------------------
    def _auth_test(self, params: dict) -> dict:
        team = next((t for t in self._teams.values() if t.team_id == self._team), None)
        answer = {
            "ok": True,
            "url": "https://contexta-test.slack.com/",
            "team": team.name if team else "Contexta Test",
            "user": "contexta",
            "team_id": self._team,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }
        if team is not None and team.enterprise_id:
            answer["enterprise_id"] = team.enterprise_id
        return answer

    def _oauth_access(self, params: dict, headers: dict) -> dict:
        """The end of an install: the code (once) for a new bot token of its team."""
        given = _basic(headers) or (params.get("client_id"), params.get("client_secret"))
        if self._oauth_client is None or given != self._oauth_client:
            return {"ok": False, "error": "invalid_client_id" if self._oauth_client else "invalid_client"}
        found = self._codes.pop(params.get("code") or "", None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        team, installer = found
        self._teams[team.token] = team
        return {
            "ok": True,
            "app_id": "A0TEST",
            "authed_user": {"id": installer},
            "scope": "commands,chat:write,app_mentions:read",
            "token_type": "bot",
            "access_token": team.token,
            "bot_user_id": team.bot_user_id,
            "team": {"id": team.team_id, "name": team.name},
            "enterprise": {"id": team.enterprise_id, "name": "Org"} if team.enterprise_id else None,
            "is_enterprise_install": False,
        }

    def _post_message(self, params: dict) -> dict:
        ts = self._next_ts()
        message = _message(params, ts)
        self._state.history.setdefault((self._team, params.get("channel")), []).append(message)
        return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}

    def _conversations_history(self, params: dict) -> dict:
        """Newest first; `metadata` only with include_all_metadata (as Slack does for other apps' posts)."""
        channel = params.get("channel")
        oldest = float(params.get("oldest") or 0)
        limit = int(params.get("limit") or 100)
        start = int(params.get("cursor") or 0)
        history = self._state.history.get((self._team, channel), [])
        found = [m for m in reversed(history) if float(m["ts"]) > oldest]
        page = found[start : start + limit]
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        messages = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": messages,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _post_ephemeral(self, params: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _update(self, params: dict) -> dict:
        ts = params.get("ts")
        return {
            "ok": True,
            "channel": params.get("channel"),
            "ts": ts,
            "text": params.get("text", ""),
            "message": _message(params, ts),
        }

    def _views_publish(self, params: dict) -> dict:
        view = _maybe_json(params.get("view")) or {}
        n = next(self._counter)
        return {
            "ok": True,
            "view": {
                **view,
                "id": f"V{n:08d}",
                "team_id": TEAM_ID,
                "hash": f"{self._epoch}.{n}",
                "bot_id": BOT_ID,
            },
        }

    def _conversations_open(self, params: dict) -> dict:
        users = params.get("users") or params.get("user") or ""
        key = ",".join(sorted(u for u in str(users).split(",") if u))
        if not key:
            return {"ok": False, "error": "users_list_not_supplied"}
        channel = self._state.dm_channels.setdefault(key, f"D{len(self._state.dm_channels) + 1:08d}")
        return {"ok": True, "channel": {"id": channel}}

    def _users_info(self, params: dict) -> dict:
        user_id = params.get("user")
        if not user_id:
            return {"ok": False, "error": "user_not_found"}
        name = f"user-{str(user_id).lower()}"
        role = self._state.admins.get(user_id)
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": TEAM_ID,
                "name": name,
                "real_name": name.title(),
                "tz": self._state.time_zones.get(str(user_id), "UTC"),
                "is_admin": role in ("admin", "owner"),
                "is_owner": role == "owner",
                "is_bot": user_id == BOT_USER_ID,
                "profile": {"display_name": name, "real_name": name.title()},
            },
        }

    def _channel_object(self, channel: str) -> dict | None:
        """`conversations.info`'s channel in the calling team: unknown ones are public, an unopened
        DM the bot's own once `conversations.open` made it; None for one set as not existing."""
        found = self._channels.get((self._team, channel))
        if found is not None and not found.exists:
            return None
        opened = next((u for u, dm in self._state.dm_channels.items() if dm == channel and "," not in u), None)
        im_user = (found.im_user if found else None) or opened
        if im_user:
            return {"id": channel, "is_im": True, "user": im_user}
        private = found.private if found else False
        info = {"id": channel, "is_channel": not private, "is_private": private, "is_im": False, "is_archived": False}
        return {**info, "name": found.name} if found and found.name else info

    def _conversations_info(self, params: dict) -> dict:
        found = self._channel_object(str(params.get("channel") or ""))
        return {"ok": True, "channel": found} if found else {"ok": False, "error": "channel_not_found"}

    def _conversations_list(self, params: dict) -> dict:
        limit, start = int(params.get("limit") or 100), int(params.get("cursor") or 0)
        named = sorted(c for (team, c), found in self._channels.items() if team == self._team and found.name and found.exists)
        page = [self._channel_object(c) for c in named[start : start + limit]]
        more = start + limit < len(named)
        return {"ok": True, "channels": page, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _conversations_members(self, params: dict) -> dict:
        found = self._channels.get((self._team, str(params.get("channel") or "")))
        if found is not None and not found.exists:
            return {"ok": False, "error": "channel_not_found"}
        members = list(found.members) if found else []
        limit, start = int(params.get("limit") or 100), int(params.get("cursor") or 0)
        more = start + limit < len(members)
        return {
            "ok": True,
            "members": members[start : start + limit],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _usergroups_list(self, params: dict) -> dict:
        groups = [{"id": g, "handle": info["handle"], "name": info["handle"], "date_delete": 0}
                  for g, info in sorted(self._state.usergroups.items())]  # fmt: skip
        return {"ok": True, "usergroups": groups}

    def _usergroups_users_list(self, params: dict) -> dict:
        group = self._state.usergroups.get(str(params.get("usergroup") or ""))
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(group["users"])}

    def _get_upload_url(self, params: dict) -> dict:
        filename, length = params.get("filename"), params.get("length")
        if not filename or length is None:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._counter):08d}"
        self._state.files[file_id] = UploadedFile(file_id=file_id, filename=filename, length=int(length))
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict) -> dict:
        entries = _maybe_json(params.get("files")) or []
        done = []
        for entry in entries:
            file = self._state.files.get(entry.get("id"))
            if file is None or file.content is None:
                return {"ok": False, "error": "file_not_found"}
            file.title = entry.get("title") or file.filename
            file.channel = params.get("channel_id") or params.get("channels")
            done.append(_file_object(file))
        return {"ok": True, "files": done}

    def _files_info(self, params: dict) -> dict:
        file = self._state.files.get(params.get("file"))
        if file is None or file.content is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": _file_object(file)}


_API_METHODS = {
    "auth.test": SlackStandIn._auth_test,
    "chat.postMessage": SlackStandIn._post_message,
    "conversations.history": SlackStandIn._conversations_history,
    "conversations.info": SlackStandIn._conversations_info,
    "conversations.members": SlackStandIn._conversations_members,
    "chat.postEphemeral": SlackStandIn._post_ephemeral,
    "chat.update": SlackStandIn._update,
    "views.publish": SlackStandIn._views_publish,
    "conversations.open": SlackStandIn._conversations_open,
    "users.info": SlackStandIn._users_info,
    "conversations.list": SlackStandIn._conversations_list,
    "usergroups.list": SlackStandIn._usergroups_list,
    "usergroups.users.list": SlackStandIn._usergroups_users_list,
    "files.getUploadURLExternal": SlackStandIn._get_upload_url,
    "files.completeUploadExternal": SlackStandIn._complete_upload,
    "files.info": SlackStandIn._files_info,
}


def _make_handler(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out_headers, data = standin._handle(self.command, self.path, headers, body)
            self.send_response(status)
            for name, value in out_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = _flatten(parse_qs(query, keep_blank_values=True))
    if "application/json" in content_type and body:
        params.update(json.loads(body))
    elif "application/x-www-form-urlencoded" in content_type and body:
        params.update(_flatten(parse_qs(body.decode("utf-8"), keep_blank_values=True)))
    return params


def _flatten(parsed: dict[str, list[str]]) -> dict[str, Any]:
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _maybe_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


def _message(params: dict, ts: str | None) -> dict:
    message = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "text": params.get("text", ""),
        "ts": ts,
    }
    for key in ("blocks", "thread_ts", "attachments", "metadata"):
        if params.get(key) is not None:
            message[key] = _maybe_json(params[key])
    return message


def _file_object(file: UploadedFile) -> dict:
    return {
        "id": file.file_id,
        "name": file.filename,
        "title": file.title or file.filename,
        "size": len(file.content or b""),
        "user": BOT_USER_ID,
    }


def _failure_response(failure: _Failure) -> tuple[int, dict, dict]:
    if failure.error:
        return 200, {}, {"ok": False, "error": failure.error}
    if failure.status == 429:
        return 429, {"Retry-After": str(failure.retry_after or 1)}, {"ok": False, "error": "ratelimited"}
    headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
    return failure.status, headers, {"ok": False, "error": "internal_error"}


def _bearer(headers: dict) -> str | None:
    value = headers.get("authorization") or ""
    return value[len("Bearer ") :] if value.startswith("Bearer ") else None


def _basic(headers: dict) -> tuple[str, str] | None:
    value = headers.get("authorization") or ""
    if not value.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(value[len("Basic ") :]).decode().partition(":")
    return user, password


def _redact(params: dict) -> dict:
    return {k: ("<redacted>" if "token" in k else v) for k, v in params.items()}
