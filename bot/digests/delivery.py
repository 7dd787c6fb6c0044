"""Digests into Slack: the poster the core's delivery loop posts through, and what Slack's errors mean.

``contexta_core.digests.posting.deliver_due`` owns claiming, retrying, pacing and pausing; this
module composes each digest as Block Kit and posts it with ``chat.postMessage``, telling the loop
which failures are permanent (``channel_not_found``, ``not_in_channel``, ``is_archived`` …), which
refused the blocks (post as text instead) and which are worth retrying (rate limits with their
``Retry-After``, Slack 5xx or ``internal_error``, network errors). Of those, the ones after which
the message may exist anyway (5xx, ``internal_error``, a lost answer) are ``uncertain``: each post
carries its delivery in Slack message ``metadata`` and ``find_posted`` looks for it in the channel
(``bot.digests.reconcile``) before the loop retries.

Each digest is posted with its subscription's team's client (``client_for(subscription.tenant)``,
``bot.slack_client``): in OAuth mode every team's own bot token from the installation store; a team
that is no longer installed pauses instead of being posted with anyone else's token.

Before each post of a restricted project the core's loop asks the poster who reads the target
(``reader``): a channel's members, or in a DM the one person who subscribed there, by their
channel and user group memberships from the app's ``SlackAccess`` (the same cached facts that
decide what they are answered in DMs; what Slack cannot tell counts as not a member).

``slack_poster`` is registered as the ``slack`` entry point of ``contexta.digest_posters`` (see
pyproject.toml): ``contexta digest run-due`` finds it by name, so the terminal never imports the bot.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access.slack_facts import SlackAccess
from bot.digests.reconcile import digest_metadata, find_posted_digest
from bot.rendering.digest import render_digest
from bot.rendering.i18n import t
from bot.slack_client import InstallationClients, TeamClients, TokenClients, web_client, without_retries
from contexta_core.access import Viewer
from contexta_core.digests import DigestSummary, Subscription, posting
from contexta_core.digests.posting import DeliveryReport, OutcomeUnknown, PostFailed
from contexta_core.errors import ConfigurationError
from contexta_core.tenancy import Tenant

# Slack errors that will not go away by retrying: pause the subscription. The stored reason is the
# catalog's English for ``digest.pause.<error>`` with the error in a code span, so the terminal shows
# it as it is and Slack's ``digest list`` words it again in the reader's language.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "missing_scope",
        "messages_tab_disabled",
        # The team's token is gone or dead: no retry brings it back (a new install subscribes again).
        "token_revoked",
        "invalid_auth",
        "account_inactive",
        "not_authed",
    }
)
# Slack's own errors after which the message may exist anyway ("some aspect … succeeded").
MAYBE_POSTED_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})
# The blocks were refused: post the same digest as plain text once instead of failing.
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


class SlackPoster:
    """Posts a digest to its subscription's channel with its team's slack_sdk ``WebClient``:
    ``client`` for every team (token mode, or one team's client), else ``client_for(tenant)``.
    ``access`` holds the Slack facts saying who reads a target (the app passes its own)."""

    def __init__(
        self,
        client: Any = None,
        *,
        client_for: Callable[[Tenant], Any] | None = None,
        access: SlackAccess | None = None,
    ):
        self.client = client
        self._client_for = client_for or (lambda tenant: client)
        self.access = access or SlackAccess()

    def _client(self, subscription: Subscription) -> Any:
        return client_of(self._client_for, subscription.tenant)

    def reader(self, tenant: Tenant) -> Callable[[str, str | None], Viewer]:
        """Who reads a digest posted to a target of ``tenant`` (see ``team_reader``)."""
        return team_reader(self.access, self._client_for, tenant)

    def post(
        self, subscription: Subscription, summary: DigestSummary, *, plain: bool = False, delivery: str = ""
    ) -> str | None:
        client = self._client(subscription)
        message = render_digest(
            summary, language=subscription.language, timezone=subscription.timezone, subscription=subscription
        )
        try:
            response = client.chat_postMessage(
                channel=subscription.target,
                text=message.text,
                blocks=None if plain else message.blocks,
                unfurl_links=False,
                unfurl_media=False,
                **({"metadata": digest_metadata(delivery)} if delivery else {}),
            )
        except (SlackClientError, OSError) as exc:  # OSError: URLError, timeouts, refused connections
            raise classify_failure(exc) from exc
        return response.get("ts") if hasattr(response, "get") else None

    def find_posted(self, subscription: Subscription, delivery: str, *, since: float) -> str | None:
        """The ts of the digest for ``delivery`` if the channel shows it (raises OutcomeUnknown)."""
        try:
            client = self._client(subscription)
        except PostFailed as failed:
            raise OutcomeUnknown(failed.error) from None
        return find_posted_digest(client, subscription.target, delivery, since=since)


def team_reader(
    access: SlackAccess, client_for: Callable[[Tenant], Any], tenant: Tenant
) -> Callable[[str, str | None], Viewer]:
    """Who reads a digest or alert posted to a target of ``tenant`` (the core asks before posting
    a restricted project): a channel's members; in a DM, the person who subscribed or watched
    there. Asking raises ``PostFailed`` when the team has no client."""

    def read(target: str, created_by: str | None) -> Viewer:
        return access.subscriber(client_of(client_for, tenant), tenant)(target, created_by)

    return read


def client_of(client_for: Callable[[Tenant], Any], tenant: Tenant) -> Any:
    """The WebClient to post for ``tenant`` with (digests and alerts alike), or why there is none:
    a team no longer installed (``client_for`` gives None) is a permanent ``not_installed``, which
    pauses; a team that cannot be known yet (e.g. ``auth.test`` failed) is retried later."""
    try:
        client = client_for(tenant)
    except (SlackClientError, OSError) as exc:
        raise PostFailed("retry", f"no client for team {tenant.key}: {exc}") from exc
    if client is None:
        code = "not_installed"
        raise PostFailed("permanent", code, reason=f"{t('en', f'digest.pause.{code}')} (`{code}`)")
    return client


def team_poster(clients: TeamClients, access: SlackAccess | None = None) -> SlackPoster:
    """A poster for many teams; no client-side retries (the delivery loop retries, honouring Retry-After)."""
    return SlackPoster(client_for=lambda tenant: without_retries(clients.client_for(tenant)), access=access)


def slack_poster(api_url: str | None = None, workspace: Any = None) -> SlackPoster:
    """The ``slack`` digest poster for ``contexta digest run-due``, the Web API at ``api_url``, else
    ``SLACK_API_URL``, else Slack's. It posts with the bot's token from ``SLACK_BOT_TOKEN`` (one
    workspace), or, with ``SLACK_CLIENT_ID`` set (installs in many workspaces), with each team's
    token from the installation store of ``workspace`` (the ``Contexta`` the CLI opened)."""
    base_url = api_url or os.environ.get("SLACK_API_URL")
    client_id = os.environ.get("SLACK_CLIENT_ID", "").strip()
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if client_id and not token and workspace is not None:
        from bot.installs import installation_store

        store = installation_store(workspace, client_id)
        return team_poster(InstallationClients(store, base_url=base_url, retries=False))
    if not token:
        raise ConfigurationError(
            "SLACK_BOT_TOKEN is not set; run-due posts with the bot's token (xoxb-…), or with each "
            "team's installed token when SLACK_CLIENT_ID is set",
            code="slack_token_missing",
        )
    # No client-side retry handlers: the delivery loop retries itself, honouring Retry-After. The
    # token posts only its own team's digests (another team's are handed back for their bot).
    client = web_client(token, base_url=base_url, retries=False)
    return SlackPoster(client, client_for=TokenClients(client).client_for)


def deliver_due(
    ctx: Any,
    client: Any,
    now: datetime | None = None,
    *,
    tenant: Tenant = Tenant.LEGACY,
    access: SlackAccess | None = None,
    **options: Any,
) -> DeliveryReport:
    """The core's ``deliver_due`` for ``tenant``, posting to Slack with ``client`` (a slack_sdk
    ``WebClient`` with that team's token); ``access``: the app's Slack facts, if it has them."""
    return posting.deliver_due(ctx, SlackPoster(client, access=access), now, tenant=tenant, **options)


def classify_failure(exc: BaseException) -> PostFailed:
    """Which Slack failures pause, which fall back to text, which are retried (everything else)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", None)
        error = _response_error(response) or (f"http_{status}" if status else "slack_error")
        retry_after = _retry_after(response)
        if status == 429 or error in ("ratelimited", "rate_limited"):
            return PostFailed("retry", "ratelimited", retry_after=retry_after or 1.0)
        if error in PERMANENT_ERRORS:
            return PostFailed("permanent", error, reason=f"{t('en', f'digest.pause.{error}')} (`{error}`)")
        if error in BLOCK_ERRORS:
            return PostFailed("rich", error)
        shown = f"{error} (HTTP {status})" if status and status != 200 else error
        uncertain = (status or 0) >= 500 or error in MAYBE_POSTED_ERRORS
        return PostFailed("retry", shown, retry_after=retry_after, uncertain=uncertain)
    if isinstance(exc, OSError):  # URLError and TimeoutError are OSErrors
        reason = getattr(exc, "reason", None) or exc
        never_sent = isinstance(reason, ConnectionRefusedError | socket.gaierror)  # nothing left us
        return PostFailed("retry", f"network error: {reason}", unanswered=not never_sent)
    if isinstance(exc, SlackClientError):
        return PostFailed("retry", f"slack client error: {exc}", unanswered=True)
    raise exc


def _response_error(response: Any) -> str | None:
    try:
        data = response.data if hasattr(response, "data") else response
        return data.get("error") if isinstance(data, dict) else None
    except Exception:  # a non-JSON body
        return None


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                return None
    return None
