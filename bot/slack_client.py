"""The one way this app builds a slack_sdk ``WebClient``: the bot's, the digest poster's and the CLI's,
and ``client_for(tenant)``: the client that speaks for one team (``TokenClients`` in token mode, the
team's installation in OAuth mode, ``InstallationClients``), for whatever posts outside a request.

The bot's client retries 429s (honouring Retry-After), dropped connections and one 500/503 in
place. Digest delivery wants none of that: it waits short Retry-Afters itself, hands long ones
back with a recorded ``next_attempt_at`` (shown in ``digest list``) and paces per channel, so it
posts with a copy that has no retry handlers.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import select

from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)

SLACK_API_URL = WebClient.BASE_URL
TIMEOUT = 15  # seconds per Web API call


def retry_handlers() -> list[RetryHandler]:
    """Retries for 429 (honours Retry-After), dropped connections and one retry on 500/503."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=1),
    ]


def web_client(token: str | None, *, base_url: str | None = None, retries: bool = True) -> WebClient:
    """A Web API client for ``token`` at ``base_url`` (Slack's unless given, e.g. SLACK_API_URL)."""
    base = base_url or SLACK_API_URL
    return WebClient(
        token=token,
        base_url=base if base.endswith("/") else base + "/",
        timeout=TIMEOUT,
        retry_handlers=retry_handlers() if retries else [],
    )


def without_retries(client: Any) -> Any:
    """A copy of ``client`` (same token, API base, timeout, proxy, headers) with no retry handlers.

    Anything that is not a ``WebClient`` (a test double) is returned as it is.
    """
    if not isinstance(client, WebClient):
        return client
    copy = web_client(client.token, base_url=client.base_url, retries=False)
    copy.timeout, copy.ssl, copy.proxy = client.timeout, client.ssl, client.proxy
    copy.headers = dict(client.headers)
    copy.default_params = dict(client.default_params)
    return copy


class TeamClients(Protocol):
    """Who the bot speaks for outside a request (digests): its teams, and a client for each."""

    def tenants(self) -> list[Tenant]: ...

    def client_for(self, tenant: Tenant) -> WebClient | None: ...


class TokenClients:
    """Token mode: one bot token, one team, learned from ``auth.test`` the first time it answers.

    ``on_team(tenant)`` runs once, when the team is first known: the bot adopts the rows written
    before teams existed (``Contexta.adopt_legacy_rows``) before it claims anything for its team.
    """

    def __init__(self, client: Any, on_team: Any = None):
        self.client = client
        self._on_team = on_team
        self._tenant: Tenant | None = None
        self._lock = threading.Lock()

    def tenants(self) -> list[Tenant]:
        tenant = self.own_tenant()
        return [tenant] if tenant is not None else []

    @property
    def known(self) -> bool:
        return self._tenant is not None

    def own_tenant(self) -> Tenant | None:
        """The token's team (asking ``auth.test`` the first time), or None while Slack cannot say."""
        if self._tenant is None:
            try:
                found = self.client.auth_test()
            except (SlackApiError, SlackClientError, OSError) as exc:
                error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
                logger.warning("auth.test failed (%s): digests wait until the bot's team is known", error)
                return None
            org_wide = found.get("is_enterprise_install") and found.get("enterprise_id")
            self.know(Tenant.of(None if org_wide else found.get("team_id"), found.get("enterprise_id")))
        return self._tenant

    def know(self, tenant: Tenant) -> None:
        """The token's team is ``tenant``: run ``on_team`` once (it may raise; then asked again)."""
        with self._lock:
            if self._tenant is None:
                if self._on_team is not None:
                    self._on_team(tenant)
                self._tenant = tenant

    def client_for(self, tenant: Tenant) -> Any:
        """The client, for its own team (or the rows from before teams) only: another team's
        digest is never posted with this token; raises while the team cannot be known."""
        if tenant == Tenant.LEGACY:
            return self.client
        own = self.own_tenant()
        if own is None:
            raise SlackClientError("the bot token's team is not known yet (auth.test failed)")
        if own != tenant:
            raise SlackClientError(f"the bot token is team {own.key}'s, not {tenant.key}'s")
        return self.client


class InstallationClients:
    """OAuth mode: each installed team's bot token, read from the installation store when needed
    (so a new install or an uninstall counts at once, in every process)."""

    def __init__(
        self, store: SQLAlchemyInstallationStore, *, base_url: str | None = None, retries: bool = True
    ):
        self.store = store
        self.base_url = base_url
        self.retries = retries

    def tenants(self) -> list[Tenant]:
        return installed_tenants(self.store)

    def client_for(self, tenant: Tenant) -> WebClient | None:
        bot = self.store.find_bot(
            enterprise_id=tenant.enterprise_id or None,
            team_id=tenant.team_id or None,
            is_enterprise_install=not tenant.team_id,
        )
        if bot is None or not bot.bot_token:
            return None
        return web_client(bot.bot_token, base_url=self.base_url, retries=self.retries)


def installed_tenants(store: SQLAlchemyInstallationStore) -> list[Tenant]:
    """The teams (or organisations, for org-wide installs) with a bot token in ``store``."""
    b = store.bots.c
    stmt = select(b.team_id, b.enterprise_id, b.is_enterprise_install).where(
        b.client_id == store.client_id, b.bot_token.is_not(None)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(stmt.distinct()).all()
    found = {Tenant.of(None if org else team, enterprise) for team, enterprise, org in rows}
    return sorted(found, key=lambda tenant: tenant.key)
