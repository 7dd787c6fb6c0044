"""Installs in many workspaces (OAuth mode): Bolt's OAuth flow with slack-sdk's SQLAlchemy stores on
the workspace database, and what happens when a team uninstalls the app.

* ``GET /slack/install`` shows Slack's "Add to Slack" page (with a one-time ``state`` kept in
  ``slack_oauth_states`` and a browser cookie); Slack sends the installer back to
  ``/slack/oauth_redirect``, where Bolt checks the state, exchanges the code with
  ``oauth.v2.access`` and saves the team's tokens (``slack_installations``, ``slack_bots``).
  Every request from that team is then answered with its own token.
* The tables are created by the workspace's migrations (``contexta_core.store.schema`` declares
  them in slack-sdk's layout), never by the stores' ``create_tables()``: one schema story, upgraded
  on open like every other table, on SQLite and PostgreSQL alike.
* Every Web API call of the flow (``oauth.v2.access``, its ``auth.test``, a request's token
  rotation) goes through the client given here, so ``SLACK_API_URL`` reaches all of them. Digests,
  posted outside requests (``bot.slack_client.InstallationClients``), do not rotate tokens: keep
  the app's token rotation off (manifest ``token_rotation_enabled: false``).
* ``app_uninstalled`` / ``tokens_revoked`` delete the team's tokens and pause its digests, with the
  reason ``digest list`` shows; installing and subscribing again resumes them.
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.rendering.i18n import t
from bot.settings import BotSettings
from bot.tenancy import tenant_of
from contexta_core import Contexta
from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRATION_SECONDS = 600  # an install page left open longer than this starts again


def installation_store(contexta: Contexta, client_id: str) -> SQLAlchemyInstallationStore:
    """Each team's bot token (and the installer's, with user scopes), in the workspace database."""
    return SQLAlchemyInstallationStore(client_id=client_id, engine=contexta.database.engine, logger=logger)


def state_store(contexta: Contexta) -> SQLAlchemyOAuthStateStore:
    """One-time ``state`` values of install pages. On SQLite its transactions (insert; select then
    delete) take the write lock up front, as the store's own writes do (``Database.writing``)."""
    engine = contexta.database.engine
    if contexta.database.is_sqlite:
        engine = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine, logger=logger
    )


def oauth_flow(settings: BotSettings, contexta: Contexta, client: WebClient) -> OAuthFlow:
    """Bolt's flow for ``/slack/install`` and ``/slack/oauth_redirect``, calling Slack with ``client``."""
    assert settings.slack_client_id and settings.slack_client_secret  # BotSettings.oauth
    secret = settings.slack_client_secret.get_secret_value()
    store = installation_store(contexta, settings.slack_client_id)
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret,
        scopes=settings.scopes(),
        user_scopes=settings.scopes(user=True),
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        state_store=state_store(contexta),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        logger=logger,
    )
    # Bolt's default authorize rotates tokens with a client of its own (slack.com): use ours. Its
    # cache is keyed by token and consulted only after the store still returned that token, so an
    # uninstalled team is refused at once.
    oauth.authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=secret,
        token_rotation_expiration_minutes=oauth.token_rotation_expiration_minutes,
        cache_enabled=True,
        client=client,
    )
    return OAuthFlow(client=client, logger=logger, settings=oauth)


def register_uninstall_listeners(app: App, contexta: Contexta) -> None:
    """``app_uninstalled`` and ``tokens_revoked``: forget the team's tokens (OAuth mode: they are in
    the installation store; token mode keeps none) and pause its digests, which could not be
    posted any more; the reason is shown by ``digest list``."""
    store = app.installation_store

    def on_uninstalled(context: BoltContext) -> None:
        if store is not None:
            store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        _pause(contexta, tenant_of(context), "app_uninstalled")

    def on_tokens_revoked(event: dict, context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        for user_id in tokens.get("oauth") or []:
            if store is not None:
                store.delete_installation(
                    enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
                )
        if tokens.get("bot"):  # the bot token is gone: nothing of the team's can be answered or posted
            if store is not None:
                store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
            _pause(contexta, tenant_of(context), "tokens_revoked")

    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)


def _pause(contexta: Contexta, tenant: Tenant, code: str) -> None:
    # Reworded per reader by `digest list` / `watch list`; a watch has its own sentence (one is
    # watched again, not subscribed to again).
    paused = contexta.digests.pause_tenant(tenant, f"{t('en', f'digest.pause.{code}')} (`{code}`)")
    watches = contexta.alerts.pause_tenant(tenant, f"{t('en', f'watch.pause.{code}')} (`{code}`)")
    logger.info(
        "team %s: %s; its tokens are deleted, %s digest subscription(s) and %s alert watch(es) paused",
        tenant.key,
        code,
        paused,
        watches,
    )
