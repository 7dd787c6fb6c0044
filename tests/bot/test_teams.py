"""Many workspaces on one database, end to end: signed requests through the real Bolt app, the OAuth
install against the loopback stand-in (install page → redirect with state → oauth.v2.access →
stored installation → that team answered with its own token), uninstalls, and two teams whose
channel ids collide never seeing, claiming or posting each other's state. Both databases."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.alerts.poster import SlackAlertPoster
from bot.digests.scheduler import DigestScheduler
from bot.rendering.alerts import render_watch_list
from bot.server import create_wsgi_app
from bot.settings import BotSettings, load_settings
from bot.slack_client import InstallationClients, web_client
from contexta_core import Contexta
from contexta_core.alerts import deliver_due_alerts
from contexta_core.contract import Project
from contexta_core.delivery import ChannelPacer
from contexta_core.store import schema
from contexta_core.tenancy import Tenant
from tests.alerts.helpers import NO_WAIT
from tests.bot.conftest import SIGNING_SECRET, drained_app, team_app
from tests.bot.harness import SlackDriver
from tests.support.signed_requests import event_callback, slash_command, to_bolt_request
from tests.support.slack_standin import SlackStandIn

CLIENT_ID, CLIENT_SECRET = "1111.2222", "oauth-client-secret-0123"
A, B = Tenant.of("TA"), Tenant.of("TB")
BEFORE = datetime(2026, 3, 20, tzinfo=UTC)  # Friday
MONDAY_9_SEOUL = datetime(2026, 3, 23, 0, 0, 5, tzinfo=UTC)


def add_fraud(ctx: Contexta) -> None:
    ctx.metadata_store.projects.put_project(
        Project(
            project_ref="project:fraud-detection", name="fraud-detection", created_at="2025-01-01T00:00:00Z"
        )
    )


def get(app: App, path: str, query: dict | None = None, cookie: str | None = None) -> tuple[int, dict, str]:
    """A browser's GET through the bot's WSGI app: (status, headers, body)."""
    environ: dict = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(query or {})}
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO(b"")
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    started: list = []
    chunks = create_wsgi_app(app)(environ, lambda status, headers: started.append((status, headers)))
    status, headers = started[0]
    found: dict[str, list[str]] = {}
    for name, value in headers:
        found.setdefault(name.lower(), []).append(value)
    return int(status.split()[0]), found, b"".join(chunks).decode()


def dispatch(app: App, built: tuple[str, dict[str, str]]) -> int:
    return app.dispatch(to_bolt_request(*built)).status


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def mention(text: str, team: str, channel: str = "C1") -> tuple[str, dict[str, str]]:
    event = {"type": "app_mention", "user": "U1", "text": f"<@U0BOT> {text}", "channel": channel}
    event["ts"] = f"{time.time():.6f}"
    return event_callback(event, secret=SIGNING_SECRET, team_id=team)


# -- OAuth mode ------------------------------------------------------------------------------------


@pytest.fixture
def oauth_settings(standin: SlackStandIn, database_url: str, tmp_path: Path) -> BotSettings:
    standin.set_oauth_client(CLIENT_ID, CLIENT_SECRET)
    return load_settings(
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_scopes="commands, chat:write,app_mentions:read",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        contexta_workspace=tmp_path / "ws",
        contexta_database_url=database_url,
    )


@pytest.fixture
def oauth_app(oauth_settings: BotSettings, demo_ctx: Contexta) -> Iterator[App]:
    with drained_app(oauth_settings, demo_ctx) as app:
        yield app


def install(app: App, standin: SlackStandIn, team: str) -> None:
    """What an installer's browser does: the install page, Slack's consent, the redirect back."""
    status, headers, page = get(app, "/slack/install")
    assert status == 200
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page).group(1)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["commands,chat:write,app_mentions:read"]
    state = query["state"][0]
    cookie = headers["set-cookie"][0].split(";")[0]
    assert cookie == f"slack-app-oauth-state={state}"
    code = standin.issue_code(team, name=f"Team {team}")
    status, _, page = get(app, "/slack/oauth_redirect", {"code": code, "state": state}, cookie)
    assert status == 200 and "Thank you!" in page


def test_an_install_through_oauth_answers_that_team_with_its_own_token(
    oauth_app: App, standin: SlackStandIn, demo_ctx: Contexta, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")  # what contexta-bot logs
    install(oauth_app, standin, "TA")
    (exchange,) = standin.calls("oauth.v2.access")  # the exchange went to SLACK_API_URL, not slack.com
    assert exchange.params["code"].startswith("code-")
    token = standin.token_of("TA")
    assert [standin.team_of(c) for c in standin.calls("auth.test")] == ["TA"]  # Bolt's check of the new token
    store = oauth_app.installation_store
    assert store.find_bot(enterprise_id=None, team_id="TA").bot_token == token
    assert A in demo_ctx.tenants() and demo_ctx.team_names()[A] == "Team TA"

    before = len(standin.calls("chat.postMessage"))
    assert dispatch(oauth_app, mention("best run of churn-prediction", "TA")) == 200
    standin.wait_for("chat.postMessage", before + 1)
    answer = standin.calls("chat.postMessage")[-1]
    assert standin.team_of(answer) == "TA" and answer.headers["authorization"] == f"Bearer {token}"
    assert "churn-prediction" in answer.params["text"]

    # A team that never installed is not answered with anyone's token: it is told to install.
    command = slash_command(
        "runs", secret=SIGNING_SECRET, team_id="TB", response_url=standin.response_url("tb")
    )
    assert dispatch(oauth_app, command) == 200
    (told,) = standin.wait_for("response_url")
    assert "not installed in this workspace" in json.loads(told.body)["text"]
    assert "설치되어 있지 않습니다" in json.loads(told.body)["text"]  # Bolt's fixed text, in both languages
    assert all(standin.team_of(c) == "TA" for c in standin.calls("chat.postMessage"))
    assert token not in caplog.text and CLIENT_SECRET not in caplog.text


def test_a_redirect_without_its_state_installs_nothing(
    oauth_app: App, standin: SlackStandIn, demo_ctx
) -> None:
    _, headers, page = get(oauth_app, "/slack/install")
    state = re.search(r"state=([\w-]+)", page).group(1)
    cookie = headers["set-cookie"][0].split(";")[0]
    code = standin.issue_code("TA")
    assert get(oauth_app, "/slack/oauth_redirect", {"code": code, "state": "forged"}, cookie)[0] >= 400
    assert get(oauth_app, "/slack/oauth_redirect", {"code": code, "state": state})[0] >= 400  # no cookie
    assert get(oauth_app, "/slack/oauth_redirect", {"code": code, "state": state}, cookie)[0] == 200
    assert (
        get(oauth_app, "/slack/oauth_redirect", {"code": code, "state": state}, cookie)[0] >= 400
    )  # used once
    assert len(standin.calls("oauth.v2.access")) == 1
    assert demo_ctx.tenants() == [A]
    assert (
        get(oauth_app, "/slack/oauth_redirect", {"error": "access_denied"})[0] == 200
    )  # the installer said no


def test_an_uninstall_forgets_the_teams_tokens_and_pauses_its_digests(
    oauth_app: App, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    install(oauth_app, standin, "TA")
    install(oauth_app, standin, "TB")
    for team in (A, B):
        demo_ctx.digests.subscribe(tenant=team, target="C1", project="churn-prediction", now=BEFORE)
    clients = InstallationClients(oauth_app.installation_store, base_url=standin.api_url, retries=False)
    assert clients.tenants() == [A, B]

    uninstalled = event_callback({"type": "app_uninstalled"}, secret=SIGNING_SECRET, team_id="TA")
    assert dispatch(oauth_app, uninstalled) == 200
    wait_until(lambda: demo_ctx.digests.subscriptions(tenant=A)[0].status == "paused")
    (paused,) = demo_ctx.digests.subscriptions(tenant=A)
    assert "(`app_uninstalled`)" in paused.paused_reason
    assert clients.tenants() == [B] and clients.client_for(A) is None
    with demo_ctx.database.reading() as conn:
        rows = conn.execute(select(schema.slack_installations.c.team_id)).scalars().all()
    assert rows == ["TB"]

    standin.revoke(standin.token_of("TA"))
    scheduler = DigestScheduler(demo_ctx, clients, clock=lambda: MONDAY_9_SEOUL, sleep=lambda s: None)
    report = scheduler.tick()  # B's digest is posted with B's token; A's, paused, is not claimed
    assert [(o.status, o.target) for o in report.outcomes] == [("delivered", "C1")]
    assert len(standin.messages("C1", team="TB")) == 1 and standin.messages("C1", team="TA") == []

    revoked = event_callback(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}},
        secret=SIGNING_SECRET,
        team_id="TB",
    )
    assert dispatch(oauth_app, revoked) == 200
    wait_until(lambda: demo_ctx.digests.subscriptions(tenant=B)[0].status == "paused")
    assert "(`tokens_revoked`)" in demo_ctx.digests.subscriptions(tenant=B)[0].paused_reason
    assert clients.tenants() == []
    before = len(standin.calls())
    assert dispatch(oauth_app, mention("best run of churn-prediction", "TB")) == 200
    time.sleep(0.3)
    assert [c.method for c in standin.calls()[before:]] == []  # nothing answered, nothing posted


def test_an_uninstall_pauses_the_teams_watches_and_skips_their_unsent_alerts(
    oauth_app: App, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    install(oauth_app, standin, "TA")
    install(oauth_app, standin, "TB")
    for team in (A, B):
        demo_ctx.alerts.watch(tenant=team, channel="C1", project="churn-prediction")
    try:
        with demo_ctx.run("crashes", project="churn-prediction") as run:
            run.log_event("cuda_oom", "CUDA out of memory", level="error")
            raise RuntimeError("training crashed")
    except RuntimeError:
        pass
    # Route the failure into both watches' gathering messages, claiming nothing yet.
    demo_ctx.alerts.claim_due(now=datetime.now(UTC), holder="router", lease=timedelta(minutes=1), tenants=[])
    assert {d["status"] for d in demo_ctx.alerts.deliveries()} == {"gathering"}

    uninstalled = event_callback({"type": "app_uninstalled"}, secret=SIGNING_SECRET, team_id="TA")
    assert dispatch(oauth_app, uninstalled) == 200
    wait_until(lambda: demo_ctx.alerts.watches(tenant=A)[0].status == "paused")
    (paused,) = demo_ctx.alerts.watches(tenant=A)
    assert paused.paused_reason == (
        "Contexta was uninstalled from this workspace; install it again, then watch the project again "
        "(`app_uninstalled`)"
    )  # a watch's own sentence: one watches a project again, not subscribes again
    for lang, again in (("en", "watch the project again"), ("ko", "프로젝트를 다시 감시하세요")):
        listed = render_watch_list([paused], lang=lang).text
        assert again in listed and "subscribe again" not in listed and "다시 구독" not in listed, listed
    assert demo_ctx.alerts.watches(tenant=B)[0].status == "active"
    statuses = {d["team_id"]: d["status"] for d in demo_ctx.alerts.deliveries()}
    assert statuses == {"TA": "skipped", "TB": "gathering"}
    # B's token dies without an event: Slack's `invalid_auth` pauses B's watch at once, no retries.
    standin.revoke(standin.token_of("TB"))
    later = datetime.now(UTC) + timedelta(minutes=5)
    clients = InstallationClients(oauth_app.installation_store, base_url=standin.api_url, retries=False)
    report = deliver_due_alerts(
        demo_ctx, SlackAlertPoster(clients.client_for), later, policy=NO_WAIT, pacer=ChannelPacer(interval=0)
    )
    assert [o.status for o in report.outcomes] == ["paused"]  # B's only: A's message was skipped
    assert "(`invalid_auth`)" in demo_ctx.alerts.watches(tenant=B)[0].paused_reason
    assert standin.messages("C1", team="TA") == [] and standin.messages("C1", team="TB") == []


def test_an_alert_for_a_team_no_longer_installed_pauses_its_watch(
    oauth_app: App, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    install(oauth_app, standin, "TA")
    demo_ctx.alerts.watch(tenant=A, channel="C1", project="churn-prediction", kinds=("failures",))
    try:
        with demo_ctx.run("crashes", project="churn-prediction"):
            raise RuntimeError("training crashed")
    except RuntimeError:
        pass
    demo_ctx.alerts.claim_due(now=datetime.now(UTC), holder="router", lease=timedelta(minutes=1), tenants=[])
    oauth_app.installation_store.delete_all(enterprise_id=None, team_id="TA")  # its uninstall event was lost
    clients = InstallationClients(oauth_app.installation_store, base_url=standin.api_url, retries=False)
    later = datetime.now(UTC) + timedelta(minutes=5)
    report = deliver_due_alerts(
        demo_ctx, SlackAlertPoster(clients.client_for), later, policy=NO_WAIT, pacer=ChannelPacer(interval=0)
    )
    assert [o.status for o in report.outcomes] == ["paused"]
    (paused,) = demo_ctx.alerts.watches(tenant=A)
    assert paused.status == "paused" and "(`not_installed`)" in paused.paused_reason
    assert standin.calls("chat.postMessage") == []


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth", "account_inactive", "not_authed"])
def test_a_dead_token_pauses_instead_of_retrying(error: str) -> None:
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web import SlackResponse

    from bot.digests.delivery import classify_failure

    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=200,
    )
    failed = classify_failure(SlackApiError("refused", response))
    assert failed.kind == "permanent" and f"(`{error}`)" in failed.reason
    assert "install it again" in failed.reason


# -- two single-workspace bots on one database ------------------------------------------------------


def test_two_teams_with_the_same_channel_id_never_share_state(
    settings: BotSettings, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    add_fraud(demo_ctx)
    with team_app(standin, demo_ctx, settings, "TA") as a, team_app(standin, demo_ctx, settings, "TB") as b:
        assert "now uses `churn-prediction`" in a.command("use churn-prediction", channel="C1").content
        assert "Which project do you mean?" in b.command("runs", channel="C1").content  # A's default is A's
        assert "now uses `fraud-detection`" in b.command("use fraud-detection", channel="C1").content
        assert "churn-prediction" in a.command("runs", channel="C1").content

        assert a.command("digest subscribe", channel="C1").in_channel  # the channel's project: churn
        b.command("digest subscribe weekly fri 09:00", channel="C1")
        listed_a = a.command("digest list all", channel="C1").content
        listed_b = b.command("digest list all", channel="C1").content
        assert "churn-prediction" in listed_a and "fraud-detection" not in listed_a
        assert "fraud-detection" in listed_b and "churn-prediction" not in listed_b
        assert (
            "no digest subscription" in b.command("digest unsubscribe churn-prediction", channel="C1").content
        )
        assert [s.project_name for s in demo_ctx.digests.subscriptions(tenant=A)] == ["churn-prediction"]

        # The follow-up memory of a thread is the team's own.
        a.mention("best run of churn-prediction by accuracy", channel="C1", ts="1700000001.000100")
        follow_up = b.mention("and by loss?", channel="C1", thread_ts="1700000001.000100")
        assert "Following up" not in follow_up.content

    # At each team's fire time the other team's digest clock claims nothing (its period stays free);
    # the owner's clock posts it to its own C1 with its own token.
    now = datetime.now(UTC)
    fires = sorted(
        (sub.next_fire_time(now) + timedelta(seconds=5), team.team_id, sub)
        for team in (A, B)
        for sub in demo_ctx.digests.subscriptions(tenant=team)
    )
    for at, owner, sub in fires:
        other = "TA" if owner == "TB" else "TB"
        assert team_clock(demo_ctx, standin, other, at).tick().outcomes == ()
        assert demo_ctx.digests.deliveries(sub.id) == []
        assert [o.project for o in team_clock(demo_ctx, standin, owner, at).tick().outcomes] == [
            sub.project_name
        ]
        (digest,) = [m for m in standin.messages("C1", team=owner) if "metadata" in m]
        assert sub.project_name in digest["text"]
    digests = [c for c in standin.calls("chat.postMessage") if "metadata" in c.params]
    assert sorted(standin.team_of(c) for c in digests) == ["TA", "TB"]


def team_clock(ctx: Contexta, standin: SlackStandIn, team: str, at: datetime) -> DigestScheduler:
    """A team's bot's digest clock (token mode: it learns its team from auth.test), stopped at ``at``."""
    client = web_client(standin.token_of(team), base_url=standin.api_url, retries=False)
    return DigestScheduler(ctx, client, clock=lambda: at, sleep=lambda s: None)


def test_digest_list_all_shows_only_channels_the_asker_may_see(
    slack_rw: SlackDriver, standin: SlackStandIn
) -> None:
    standin.set_channel("G_SECRET", private=True, members=("U2",))
    standin.set_channel("G_TEAM", private=True, members=("U1", "U2"))
    standin.set_channel("D_OTHER", im_user="U2")
    for channel in ("C1", "C_PUBLIC", "G_SECRET", "G_TEAM", "D_OTHER"):
        slack_rw.command("digest subscribe churn-prediction", channel=channel)
    shown = slack_rw.command("digest list all", channel="C1", user="U1").content
    assert all(f"<#{c}>" in shown for c in ("C1", "C_PUBLIC", "G_TEAM"))
    assert "G_SECRET" not in shown and "D_OTHER" not in shown
    assert "2 more in other channels" in slack_rw.command("digest list", channel="C1", user="U1").content
    member = slack_rw.command("digest list all", channel="C1", user="U2").content
    assert all(c in member for c in ("G_SECRET", "G_TEAM", "D_OTHER"))

    slack_rw.command("digest subscribe churn-prediction", channel="C_LATER")  # a channel not asked about yet
    standin.fail_next("conversations.info", error="missing_scope", times=10)  # cannot tell: hidden
    later = slack_rw.command("digest list all", channel="C1", user="U3").content
    assert "C_LATER" not in later and "<#C_PUBLIC>" in later  # what Slack said a minute ago still holds


def test_the_single_workspace_bot_adopts_the_rows_from_before_teams(
    settings: BotSettings, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    add_fraud(demo_ctx)
    demo_ctx.set_preference("slack-channel:C1", "default_project", "fraud-detection")  # written before teams
    demo_ctx.digests.subscribe(target="C1", project="fraud-detection", now=BEFORE)
    with drained_app(settings, demo_ctx) as app:
        slack = SlackDriver(app, standin)  # the stand-in's own team, T0TEST
        slack.command("help")  # the first request tells the bot its team
        team = Tenant.of("T0TEST")
        wait_until(lambda: demo_ctx.digests.subscriptions(tenant=team) != ())
        assert "fraud-detection" in slack.command("runs", channel="C1").content
        assert (
            demo_ctx.tenants() == [team]
            and demo_ctx.get_preference("slack-channel:C1", "default_project") is None
        )


def test_the_first_request_after_the_upgrade_already_sees_the_rows_from_before_teams(
    settings: BotSettings, standin: SlackStandIn, demo_ctx: Contexta
) -> None:
    add_fraud(demo_ctx)
    demo_ctx.set_preference("slack-channel:C1", "default_project", "fraud-detection")  # written before teams
    with drained_app(settings, demo_ctx) as app:
        slack = SlackDriver(app, standin)
        first = slack.command("runs", channel="C1")  # the very first request of the process
        assert "fraud-detection" in first.content and "Which project" not in first.content
        mentioned = slack.mention("runs", channel="C1")
        assert "fraud-detection" in mentioned.content
    assert demo_ctx.tenants() == [Tenant.of("T0TEST")]


def test_the_installation_tables_are_slack_sdks_own_layout() -> None:
    """The migration creates the tables slack-sdk's stores use; an upgrade of slack-sdk that changes
    them fails here (then add a migration) instead of failing an install in production."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    from sqlalchemy import MetaData

    theirs = MetaData()
    built = [
        SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states"),
    ]
    for table in built:
        ours = schema.metadata.tables[table.name]

        def shape(t):
            return [
                (c.name, type(c.type).__name__, getattr(c.type, "length", None), c.nullable)
                for c in t.columns
            ]

        assert shape(ours) == shape(table)
        assert {tuple(c.name for c in i.columns) for i in ours.indexes} == {
            tuple(c.name for c in i.columns) for i in table.indexes
        }
