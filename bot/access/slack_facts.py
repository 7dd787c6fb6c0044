"""The Slack facts behind project access, read through the Web API and kept briefly.

The core decides who may see a project (``contexta_core.access``); it asks here, through
``SlackMembership``, whether a person is in a channel (``conversations.members``) or a user group
(``usergroups.users.list``). Answers are cached for ``ttl`` seconds (60 by default) per team and
channel, so a busy DM costs one membership read per restricted channel a minute, and a person
who leaves a channel loses sight of its projects within a minute. Every fact fails closed: when
Slack cannot tell, the person is taken not to be a member (and not an admin).

Where an answer appears decides the viewer: a channel (or group DM) is a shared place, so only
the channel counts; the asker's own DM with the bot and the App Home are private, so their
memberships count. A slash command in a DM between two people is shared (the other person reads
the reply): a ``D…`` channel is private only when ``conversations.info`` says it is the asker's DM
with the bot.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from cachetools import TTLCache
from slack_sdk.errors import SlackApiError, SlackClientError

from contexta_core.access import CHANNEL, USERGROUP, Target, Viewer, VisibleContexta
from contexta_core.ask.commands import AccessTarget, safe_echo
from contexta_core.errors import ContextaError, NotFoundError, closest_names
from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)

DEFAULT_TTL = 60.0
PAGE = 1000  # members / channels per Web API page
ADMIN_SETTING = "CONTEXTA_ACCESS_ADMINS"


class SlackAccess:
    """One per app: the cached Slack facts of every team it serves (the one cache of channels and
    their members, for access checks and for ``digest list all`` alike), and who the configured
    admins are."""

    def __init__(self, admins: Iterable[str] = (), *, ttl: float = DEFAULT_TTL):
        self.admins = frozenset(admins)
        self._lock = threading.Lock()
        self._cache: TTLCache = TTLCache(maxsize=8192, ttl=ttl)

    # -- the viewer ----------------------------------------------------------------------------

    def viewer(
        self, client: Any, tenant: Tenant, *, channel: str | None, user: str | None, own_dm: bool = False
    ) -> Viewer:
        """Who reads an answer given in ``channel`` (None: the App Home) to ``user``."""
        private = (
            channel is None
            or own_dm
            or (channel.startswith("D") and self._is_own_dm(client, tenant, channel, user))
        )
        if private and user:
            return Viewer.in_private(user, SlackMembership(self, client, tenant, user))
        return Viewer.in_channel(channel or "", user)

    def seen_by(
        self,
        contexta: Any,
        client: Any,
        tenant: Tenant,
        *,
        channel: str | None,
        user: str | None,
        own_dm: bool = False,
    ) -> VisibleContexta:
        """The workspace as the person asking there may see it."""
        return contexta.as_seen_by(
            tenant, self.viewer(client, tenant, channel=channel, user=user, own_dm=own_dm)
        )

    def subscriber(self, client: Any, tenant: Tenant) -> Callable[[str, str | None], Viewer]:
        """Who reads a digest posted to a target: a channel's members see it in the channel; a DM
        target belongs to the person who subscribed there."""

        def reader(target: str, created_by: str | None) -> Viewer:
            if target.startswith("D") and created_by:
                return self.viewer(client, tenant, channel=target, user=created_by)
            return Viewer.in_channel(target, created_by)

        return reader

    # -- memberships ---------------------------------------------------------------------------

    def channel_members(self, client: Any, tenant: Tenant, channel: str) -> frozenset[str]:
        def read() -> frozenset[str]:
            members: set[str] = set()
            for page in client.conversations_members(channel=channel, limit=PAGE):
                members.update(page.get("members") or ())
            return frozenset(members)

        return self._fact(("members", tenant.key, channel), read, frozenset(), f"the members of {channel}")

    def usergroup_members(self, client: Any, tenant: Tenant, usergroup: str) -> frozenset[str]:
        def read() -> frozenset[str]:
            return frozenset(client.usergroups_users_list(usergroup=usergroup).get("users") or ())

        return self._fact(("group", tenant.key, usergroup), read, frozenset(), f"the members of {usergroup}")

    def is_admin(self, client: Any, tenant: Tenant, user: str | None, *, strict: bool = False) -> bool:
        """A workspace admin or owner (``users.info``), or named in CONTEXTA_ACCESS_ADMINS. When Slack
        cannot tell: not an admin, or with ``strict`` an error saying Slack did not answer (so a
        refusal never blames the asker for Slack's failure)."""
        if not user:
            return False
        if user in self.admins:
            return True

        def read() -> bool:
            info = client.users_info(user=user).get("user") or {}
            return bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))

        return self._fact(("admin", tenant.key, user), read, _raise if strict else None, "an admin") is True

    def user_label(self, client: Any, tenant: Tenant, user: str) -> str:
        """``@display-name`` for showing who changed access (the id when Slack cannot say)."""

        def read() -> str:
            info = client.users_info(user=user).get("user") or {}
            profile = info.get("profile") or {}
            return profile.get("display_name") or info.get("name") or info.get("real_name") or user

        return "@" + self._fact(("label", tenant.key, user), read, user, "a user's name")

    def channel_label(self, client: Any, tenant: Tenant, channel: str) -> str:
        """``#name`` of a channel, ``DM`` for a direct message, the id when Slack cannot say."""
        try:
            info = self._channel_info(client, tenant, channel)
        except ContextaError:
            info = None
        if info and info.get("is_im"):
            return "DM"
        return "#" + info["name"] if info and info.get("name") else channel

    def may_see_channel(self, client: Any, tenant: Tenant, user: str | None, channel: str) -> bool:
        """Whether ``user`` may see ``channel``: a public one, one they are in (a private channel or
        a group DM), or their DM with the bot. What Slack cannot tell counts as not visible, so a
        listing shows less, never something private (``digest list all``)."""
        if client is None or not user:
            return False
        try:
            info = self._channel_info(client, tenant, channel)
        except ContextaError:
            return False
        if not info:
            return False
        if info.get("is_im"):
            return info.get("user") == user
        if not (info.get("is_private") or info.get("is_mpim") or info.get("is_group")):
            return True
        return user in self.channel_members(client, tenant, channel)

    def visible_channels(
        self,
        client: Any,
        tenant: Tenant,
        user: str | None,
        channels: Iterable[str],
        *,
        here: str | None = None,
    ) -> set[str]:
        """The ``channels`` ``user`` may see; ``here`` (where they are asking) always is."""
        return {c for c in set(channels) if c == here or self.may_see_channel(client, tenant, user, c)}

    # -- names --------------------------------------------------------------------------------

    def find_channel(self, client: Any, tenant: Tenant, typed: AccessTarget) -> Target:
        """The channel a mention or ``#name`` means, as the bot sees it; NotFoundError otherwise."""
        if typed.id:
            info = self._channel_info(client, tenant, typed.id)
            if info is None:
                raise _unknown("channel", typed.shown, [])
            return Target(CHANNEL, typed.id, info.get("name") or typed.name)
        channels = self._channels(client, tenant)
        found = channels.get((typed.name or "").casefold())
        if found is None:
            raise _unknown(
                "channel", typed.shown, ["#" + n for n in closest_names(typed.name or "", channels)]
            )
        return Target(CHANNEL, found["id"], found.get("name"))

    def find_usergroup(self, client: Any, tenant: Tenant, typed: AccessTarget) -> Target:
        groups = self._usergroups(client, tenant)
        if typed.id:
            found = next((g for g in groups.values() if g["id"] == typed.id), None)
        else:
            found = groups.get((typed.name or "").casefold())
        if found is None:
            names = [] if typed.id else ["@" + n for n in closest_names(typed.name or "", groups)]
            raise _unknown("usergroup", typed.shown, names)
        return Target(USERGROUP, found["id"], found.get("handle") or typed.name)

    def _channels(self, client: Any, tenant: Tenant) -> dict[str, dict]:
        def read() -> dict[str, dict]:
            found: dict[str, dict] = {}
            pages = client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=PAGE
            )
            for page in pages:
                for channel in page.get("channels") or ():
                    if channel.get("name"):
                        found[channel["name"].casefold()] = channel
            return found

        return self._fact(("channels", tenant.key), read, _raise, "the channels")

    def _usergroups(self, client: Any, tenant: Tenant) -> dict[str, dict]:
        def read() -> dict[str, dict]:
            groups = client.usergroups_list().get("usergroups") or ()
            return {g["handle"].casefold(): g for g in groups if g.get("handle") and not g.get("date_delete")}

        return self._fact(("usergroups", tenant.key), read, _raise, "the user groups")

    def _channel_info(self, client: Any, tenant: Tenant, channel: str) -> dict | None:
        def read() -> dict | None:
            try:
                return client.conversations_info(channel=channel).get("channel") or {}
            except SlackApiError as error:
                if error.response.get("error") == "channel_not_found":
                    return None
                raise

        return self._fact(("info", tenant.key, channel), read, _raise, "the channel")

    def _is_own_dm(self, client: Any, tenant: Tenant, channel: str, user: str | None) -> bool:
        if not user:
            return False
        try:
            info = self._channel_info(client, tenant, channel)
        except ContextaError:
            return False
        return bool(info and info.get("is_im") and info.get("user") == user)

    # -- the cache ----------------------------------------------------------------------------

    def _fact(self, key: tuple, read: Callable[[], Any], failed: Any, what: str) -> Any:
        """``read()`` once per ``ttl`` per key. When Slack fails: ``failed`` (not cached), or with
        ``_raise`` an error saying what could not be checked."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        try:
            value = read()
        except (SlackApiError, SlackClientError, OSError) as error:
            code = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            logger.warning("Could not read %s from Slack (%s)", what, code)
            if failed is _raise:
                raise ContextaError(
                    f"Slack did not answer while checking {what}",
                    code="access_lookup_failed",
                    details={"what": what},
                ) from None
            return failed
        with self._lock:
            self._cache[key] = value
        return value


_raise = object()  # `_fact`'s marker: a failed read raises instead of answering a default


class SlackMembership:
    """One person's memberships, as the core's ``Membership`` asks for them."""

    def __init__(self, access: SlackAccess, client: Any, tenant: Tenant, user: str):
        self._access, self._client, self._tenant, self._user = access, client, tenant, user

    def in_channel(self, channel_id: str) -> bool:
        return self._user in self._access.channel_members(self._client, self._tenant, channel_id)

    def in_usergroup(self, usergroup_id: str) -> bool:
        return self._user in self._access.usergroup_members(self._client, self._tenant, usergroup_id)


def _unknown(kind: str, shown: str, suggestions: list[str]) -> NotFoundError:
    shown = safe_echo(shown)
    return NotFoundError(
        f"no {kind} `{shown}`",
        code=f"access_unknown_{kind}",
        details={kind: shown, "suggestions": suggestions},
    )
