"""What Slack says about a team's channels (public or not, who is in them), asked with the team's
own client and cached briefly, so listings that name many channels cost few Web API calls.

A person may see a channel when it is public, when they are a member of it (a private channel or a
group DM: ``conversations.members``), or when it is their DM with the bot. Whatever cannot be
found out (a missing scope, a channel the bot is not in, Slack unreachable) counts as not visible:
a listing then shows less, never something private. Entries are keyed by tenant and channel,
since channel ids of two teams may be the same.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)
TTL_SECONDS = 60.0  # membership changes show up within a minute
MAX_ENTRIES = 5_000
MEMBER_PAGES = 20  # 200 members a page: channels beyond 4,000 members count as not visible


@dataclass(frozen=True)
class ChannelFacts:
    public: bool
    members: frozenset[str] = frozenset()  # filled for private channels and group DMs
    dm_user: str | None = None  # the person of a DM with the bot
    known: bool = True  # False: Slack did not say (treated as not visible)


UNKNOWN = ChannelFacts(public=False, known=False)


class ChannelDirectory:
    """A per-process TTL cache over ``conversations.info`` / ``conversations.members``."""

    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._facts: dict[tuple[str, str], tuple[float, ChannelFacts]] = {}
        self._lock = threading.Lock()

    def may_see(self, client: Any, tenant: Tenant, user: str | None, channel: str) -> bool:
        """Whether ``user`` of ``tenant`` may see ``channel`` (asked of Slack with ``client``)."""
        if client is None or not user:
            return False
        facts = self.facts(client, tenant, channel)
        if not facts.known:
            return False
        return facts.public or user in facts.members or facts.dm_user == user

    def visible(
        self,
        client: Any,
        tenant: Tenant,
        user: str | None,
        channels: Iterable[str],
        *,
        here: str | None = None,
    ) -> set[str]:
        """The ``channels`` ``user`` may see; ``here`` (where they are asking) always is."""
        return {c for c in set(channels) if c == here or self.may_see(client, tenant, user, c)}

    def facts(self, client: Any, tenant: Tenant, channel: str) -> ChannelFacts:
        key = (tenant.key, channel)
        now = self._clock()
        with self._lock:
            cached = self._facts.get(key)
            if cached is not None and cached[0] > now:
                return cached[1]
        facts = _ask(client, channel)
        with self._lock:
            if len(self._facts) >= MAX_ENTRIES:
                self._facts = {k: v for k, v in self._facts.items() if v[0] > now}
            if len(self._facts) < MAX_ENTRIES:
                self._facts[key] = (now + (self._ttl if facts.known else min(self._ttl, 10.0)), facts)
        return facts

    def forget(self, tenant: Tenant | None = None) -> None:
        """Drop what is cached (of one tenant)."""
        with self._lock:
            self._facts = {k: v for k, v in self._facts.items() if tenant is not None and k[0] != tenant.key}


def _ask(client: Any, channel: str) -> ChannelFacts:
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
        if info.get("is_im"):
            return ChannelFacts(public=False, dm_user=info.get("user"))
        if not (info.get("is_private") or info.get("is_mpim") or info.get("is_group")):
            return ChannelFacts(public=True)
        return ChannelFacts(public=False, members=_members(client, channel))
    except (SlackApiError, SlackClientError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.warning("could not tell who may see channel %s (%s); hiding it", channel, error)
        return UNKNOWN


def _members(client: Any, channel: str) -> frozenset[str]:
    members: set[str] = set()
    cursor = None
    for _ in range(MEMBER_PAGES):
        page = client.conversations_members(
            channel=channel, limit=200, **({"cursor": cursor} if cursor else {})
        )
        members.update(page.get("members") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return frozenset(members)
    raise SlackClientError(f"more than {MEMBER_PAGES} pages of members")


DIRECTORY = ChannelDirectory()  # the bot process's one cache
