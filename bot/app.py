"""Entry point of the Slack bot: builds the Bolt app and runs it in Socket Mode or over HTTP.

`create_app` makes no call to Slack: Bolt's eager `auth.test` is switched off
(`token_verification_enabled=False`), so Bolt runs `auth.test` once per process on the first
request instead. A bad token therefore shows up on the first request, not at start-up, and tests
and gunicorn workers can build apps freely. It does open (and if needed migrate) the Contexta
workspace the answers come from, once per process; its claim table also de-duplicates events
across workers.

Two modes (`bot.settings`): in **token mode** one bot token answers for one team, learned from
that token's `auth.test`; the first request (or digest pass) that knows it hands that team the
rows written before teams existed (`Contexta.adopt_legacy_rows`, once per process, idempotent). In
**OAuth mode** Bolt's OAuth flow installs the app in any number of teams (`bot.installs`) and each
request is answered with its team's token from the installation store.

`create_app` never starts the digest scheduler, so tests build apps without background jobs;
`create_serving_app` (what `contexta-bot` runs: Socket Mode, and each gunicorn worker after the
fork) adds this process's digest clock unless CONTEXTA_DIGESTS=off, and its alert dispatcher
unless CONTEXTA_ALERTS=off.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import logging
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient

from bot import heavy_answers
from bot.access import SlackAccess
from bot.alerts.dispatcher import start_alert_dispatcher
from bot.digests import start_digest_scheduler
from bot.digests.scheduler import team_clients as token_team_clients
from bot.installs import oauth_flow, register_uninstall_listeners
from bot.listeners import register_listeners
from bot.middleware import Claim, InMemoryClaims, dedupe_retries, learn_team
from bot.rendering.i18n import bilingual
from bot.settings import BotConfigError, BotSettings, load_settings
from bot.slack_client import InstallationClients, TeamClients, TokenClients, web_client, without_retries
from contexta_core import Contexta
from contexta_core.errors import ContextaError

logger = logging.getLogger(__name__)
AUTH_FAILURE_MESSAGE = bilingual("app.auth_failure")  # Bolt's default text wrongly says "reinstall"
# OAuth mode: no token of this team answers (never installed, or uninstalled)
NOT_INSTALLED_MESSAGE = bilingual("app.not_installed")


def build_client(settings: BotSettings) -> WebClient:
    """The Web API client, pointed at SLACK_API_URL when set: with the bot token in token mode; in
    OAuth mode without one (Bolt gives each request a copy with its team's token)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return web_client(token, base_url=settings.slack_api_url)


class _SameTokenWarningFilter(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN (which it reads itself) is unused when a client is given; it is the
    client's token, so the warning would only mislead whoever reads the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_SAME_TOKEN_WARNING_FILTER = _SameTokenWarningFilter()


def open_contexta(settings: BotSettings) -> Contexta:
    """The workspace the bot answers from (SQLite under CONTEXTA_WORKSPACE, or CONTEXTA_DATABASE_URL)."""
    return Contexta(workspace=settings.contexta_workspace, database_url=settings.contexta_database_url)


def default_claim(contexta: Contexta) -> Claim:
    """The database claim, shared by every worker and replica; in-memory for a core without one."""
    claim_once = getattr(contexta, "claim_once", None)
    return claim_once if callable(claim_once) else InMemoryClaims()


def create_app(
    settings: BotSettings,
    *,
    client: WebClient | None = None,
    claim: Claim | None = None,
    contexta: Contexta | None = None,
    listener_executor: Executor | None = None,
    access: SlackAccess | None = None,
) -> App:
    """A fully wired Bolt app; `client`, `claim`, `contexta` and the listener thread pool are injectable
    for tests (which wait on the pool for answers still uploading their files)."""
    logging.getLogger("slack_bolt.App").addFilter(_SAME_TOKEN_WARNING_FILTER)
    if contexta is None:
        contexta = open_contexta(settings)
    secret = settings.slack_signing_secret
    client = client or build_client(settings)
    common: dict = {
        "client": client,
        "signing_secret": secret.get_secret_value() if secret else "",  # unused in Socket Mode
        "process_before_response": False,
        **({"listener_executor": listener_executor} if listener_executor else {}),
    }
    if settings.oauth:
        app = App(
            oauth_flow=oauth_flow(settings, contexta, client),
            user_facing_authorize_error_message=NOT_INSTALLED_MESSAGE,
            **common,
        )
    else:
        app = App(
            token_verification_enabled=False,
            # Shown when the lazy auth.test fails; Bolt's default text wrongly tells people to reinstall.
            user_facing_authorize_error_message=AUTH_FAILURE_MESSAGE,
            **common,
        )
        app.use(learn_team(TokenClients(client, on_team=getattr(contexta, "adopt_legacy_rows", None))))
    app.use(dedupe_retries(claim or default_claim(contexta), prune=getattr(contexta, "prune_claims", None)))
    register_listeners(app, contexta, access or slack_access(settings))
    register_uninstall_listeners(app, contexta)
    return app


def slack_access(settings: BotSettings) -> SlackAccess:
    """The app's one cache of Slack facts (channels, members, user groups, admins)."""
    return SlackAccess(admins=settings.contexta_access_admins)


def team_clients(settings: BotSettings, app: App, contexta: Contexta) -> TeamClients:
    """Who the digest clock and the alert dispatcher post for: the bot's own team (token mode,
    learned from ``auth.test``, which adopts the rows from before teams), or every installed team
    with its own token (OAuth mode); without client-side retries either way (the delivery loop
    retries, and looks for the post before re-posting)."""
    if settings.oauth:
        return InstallationClients(app.installation_store, base_url=settings.slack_api_url, retries=False)
    return token_team_clients(contexta, without_retries(app.client))


def create_serving_app(settings: BotSettings) -> App:
    """`create_app` plus the every-minute digest job, for a process that serves Slack.

    Each gunicorn worker calls this after the fork (a scheduler thread would not survive one);
    several workers or replicas may all run the job, since a digest is posted only under a claim
    won in the database. The job stops at interpreter exit; its thread never holds the process up.
    """
    contexta = open_contexta(settings)
    access = slack_access(settings)  # answers, the digest clock and alerts ask the same cached facts
    app = create_app(settings, contexta=contexta, access=access)
    from contexta_core.render import charts  # matplotlib: imported on start, not in someone's first answer

    charts.warm_up()
    from contexta_core.ask.semantic import warm_up  # the questions' model: loaded now, ~0.3 s

    warm_up()
    heavy_answers.set_worker_count(settings.heavy_workers)  # started with the first heavy answer
    threading.Thread(
        target=_read_vocabulary, args=(contexta,), name="contexta-vocabulary", daemon=True
    ).start()
    # What was loaded to serve (modules, the model, matplotlib) lives as long as the process: kept
    # out of the collector's full passes, which would otherwise walk it all, in some answer's time.
    gc.freeze()
    clients = team_clients(settings, app, contexta)
    if settings.contexta_digests:
        scheduler = start_digest_scheduler(contexta, clients, access=access)
        atexit.register(scheduler.shutdown)
    if settings.contexta_alerts:
        dispatcher = start_alert_dispatcher(
            contexta,
            clients,
            poll_seconds=settings.alert_poll_seconds,
            timing=settings.alert_timing(),
            access=access,  # DM watches are checked with the same facts as DM answers
        )
        atexit.register(dispatcher.shutdown)
    return app


def _read_vocabulary(contexta: Contexta) -> None:
    """Every question is matched against the workspace's names, read once per data version (a
    fraction of a second at 100,000 runs): read them at start, not in the first asker's time."""
    try:
        contexta.vocabulary()
    except Exception:  # the first question reads them again and answers any error itself
        logger.warning("Could not read the workspace's names at start", exc_info=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="contexta-bot", description="Run the Contexta Slack bot.")
    parser.add_argument("--port", type=int, help="HTTP port (default 3000 or CONTEXTA_BOT_PORT)")
    parser.add_argument("--host", help="HTTP bind address (default 0.0.0.0 or CONTEXTA_BOT_HOST)")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default 1)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Console script `contexta-bot`: exit 2 with one line on stderr when the configuration is unusable."""
    args = parse_args(argv)
    overrides = {k: v for k, v in vars(args).items() if v is not None}
    try:
        settings = load_settings(**overrides)
        check_workspace(settings)
    except (BotConfigError, ContextaError) as error:  # one line, before anything binds or connects
        print(f"contexta-bot: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.mode == "socket":
        run_socket_mode(settings)
    else:
        from bot.server import serve  # gunicorn is only needed in HTTP mode

        serve(settings, create_serving_app)
    return 0


def check_workspace(settings: BotSettings) -> None:
    """Open (and if needed migrate) the workspace once in this process, so an unreachable database
    or a schema newer than this code stops `contexta-bot` here rather than in each gunicorn worker."""
    open_contexta(settings).close()


def run_socket_mode(settings: BotSettings) -> None:
    """Blocks forever; apps.connections.open goes to the same API base as the bot's calls."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app = create_serving_app(settings)
    connection_client = web_client(None, base_url=app.client.base_url)
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    SocketModeHandler(app, app_token=app_token, web_client=connection_client).start()


if __name__ == "__main__":
    sys.exit(main())
