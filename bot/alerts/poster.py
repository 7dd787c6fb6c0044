"""Alerts into Slack: the poster the core's alert loop posts through.

Each alert is rendered in its watch's language (and re-rendered by ``update`` when more of the same
minute is folded into it) (``bot.rendering.alerts``) and posted with
``chat.postMessage`` by the WebClient of the watch's team: ``clients`` is a callable
``Tenant → WebClient`` (one workspace: always the bot's client; OAuth installs: the installation's
token). Every post carries its delivery in Slack message metadata, so a post whose outcome was
unclear (a 5xx, a lost answer) is looked for in the channel before any retry. What Slack's errors
mean (pause the watch, post as plain text, retry) is the digests' ``classify_failure``, and a team
that is no longer installed is the digests' permanent ``not_installed`` (``client_of``).

Before each post of a restricted project the core's alert loop asks the poster who reads the
watch's channel (``reader``): its members, or in a DM the one person who watched there, by their
channel and user group memberships from the app's ``SlackAccess`` (the same cached facts that
decide what they are answered in DMs and whether their DM digests go out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.access.slack_facts import SlackAccess
from bot.digests.delivery import classify_failure, client_of, team_reader
from bot.digests.reconcile import ALERT_EVENT_TYPE, find_posted, message_metadata
from bot.rendering.alerts import render_alert
from contexta_core.access import Viewer
from contexta_core.alerts import AlertClaim, AlertSummary
from contexta_core.delivery import OutcomeUnknown, PostFailed
from contexta_core.tenancy import Tenant

ClientFor = Callable[[Tenant], Any]


class SlackAlertPoster:
    """Posts alerts with each watch's team's client; ``access`` holds the Slack facts saying who
    reads a watch's channel (the app passes its own)."""

    def __init__(self, clients: ClientFor, *, access: SlackAccess | None = None):
        self.clients = clients
        self.access = access or SlackAccess()

    def reader(self, tenant: Tenant) -> Callable[[str, str | None], Viewer]:
        """Who reads an alert posted to a channel of ``tenant`` (see ``team_reader``)."""
        return team_reader(self.access, self.clients, tenant)

    def post(
        self, claim: AlertClaim, summary: AlertSummary, *, plain: bool = False, delivery: str
    ) -> str | None:
        watch = claim.watch
        message = render_alert(summary, lang=watch.language)
        try:
            response = client_of(self.clients, watch.tenant).chat_postMessage(
                channel=watch.channel,
                text=message.text,
                blocks=None if plain else message.blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=message_metadata(delivery, ALERT_EVENT_TYPE),
            )
        except (SlackClientError, OSError) as exc:  # OSError: URLError, timeouts, refused connections
            raise classify_failure(exc) from exc
        return response.get("ts") if hasattr(response, "get") else None

    def update(
        self, claim: AlertClaim, summary: AlertSummary, *, message_ts: str, plain: bool = False
    ) -> str | None:
        """The message of this minute, rewritten to say everything it rolls up now."""
        watch = claim.watch
        message = render_alert(summary, lang=watch.language)
        try:
            client_of(self.clients, watch.tenant).chat_update(
                channel=watch.channel,
                ts=message_ts,
                text=message.text,
                blocks=[] if plain else message.blocks,
            )
        except (SlackClientError, OSError) as exc:
            raise classify_failure(exc) from exc
        return message_ts

    def find_posted(self, claim: AlertClaim, delivery: str, *, since: float) -> str | None:
        watch = claim.watch
        try:
            client = client_of(self.clients, watch.tenant)
        except PostFailed as failed:
            raise OutcomeUnknown(failed.error) from None
        return find_posted(client, watch.channel, delivery, since=since, event_type=ALERT_EVENT_TYPE)
