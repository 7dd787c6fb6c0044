"""`contexta digest run-due|list|timezone`, as cron and operators use them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from contexta_cli.digest import digest_app
from contexta_cli.errors import ContextaGroup
from contexta_cli.session import Workspace
from contexta_core import Contexta

from .helpers import BOT_TOKEN, R, add_project, add_runs, posts, utc

root = typer.Typer(cls=ContextaGroup)


@root.callback()
def _main(
    ctx: typer.Context,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path(".contexta"),
    database_url: Annotated[str | None, typer.Option("--database-url")] = None,
) -> None:
    """The same global options as contexta_cli.main (the lead registers digest_app there)."""
    state = Workspace(workspace, database_url)
    ctx.obj = state
    ctx.call_on_close(state.close)


root.add_typer(digest_app, name="digest")
runner = CliRunner()


@pytest.fixture
def ws(tmp_path, standin, monkeypatch) -> Path:
    folder = tmp_path / "ws"
    with Contexta(workspace=folder) as ctx:
        add_project(ctx, "churn")
        add_runs(ctx, "churn", [R("v1", utc("2026-03-21T00:00:00Z"), accuracy=0.9)])
        ctx.digests.subscribe(
            target="C1", project="churn", timezone="Europe/Berlin", now=utc("2026-03-20T00:00:00Z")
        )
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", standin.api_url)
    return folder


def cli(ws: Path, *args: str):
    return runner.invoke(root, ["--workspace", str(ws), "digest", *args], env={"COLUMNS": "250"})


def test_run_due_from_cron_posts_once(ws, standin):
    early = cli(ws, "run-due", "--now", "2026-03-23T07:59:00Z")
    assert early.exit_code == 0 and "nothing due" in early.stdout
    first = cli(ws, "run-due", "--now", "2026-03-23T08:00:00Z")
    assert first.exit_code == 0, first.output
    assert "delivered  churn → C1 (2026-W13)" in first.stdout
    again = cli(ws, "run-due", "--now", "2026-03-23T08:05:00+00:00")
    assert again.exit_code == 0 and "nothing due" in again.stdout
    assert len(posts(standin)) == 1
    listed = cli(ws, "list", "--json", "--now", "2026-03-23T09:00:00Z")
    [sub] = json.loads(listed.stdout)["subscriptions"]
    assert sub["last_delivered_period"] == "2026-W13" and sub["next_fire_at"] == "2026-03-30T07:00:00Z"


def test_run_due_exits_1_when_a_subscription_is_paused_and_list_says_why(ws, standin):
    standin.set_channel_error("C1", "is_archived")
    result = cli(ws, "run-due", "--now", "2026-03-23T08:00:00Z", "--json")
    assert result.exit_code == 1
    [outcome] = json.loads(result.stdout)["outcomes"]
    assert (outcome["status"], outcome["error"]) == ("paused", "is_archived")
    table = cli(ws, "list")
    assert table.exit_code == 0 and "paused: the channel is archived (`is_archived`)" in table.stdout


def test_bad_now_and_missing_token_are_usage_errors(ws, monkeypatch):
    bad = cli(ws, "run-due", "--now", "2026-03-23T08:00:00")
    assert bad.exit_code == 2 and "has no time zone" in bad.output
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    missing = cli(ws, "run-due")
    assert missing.exit_code == 2 and "SLACK_BOT_TOKEN is not set" in missing.output
    unknown = cli(ws, "run-due", "--poster", "pigeon")
    assert unknown.exit_code == 2 and "no digest poster `pigeon` is installed" in unknown.output


def test_workspace_timezone(ws):
    assert cli(ws, "timezone").stdout.strip() == "Asia/Seoul (the default)"
    assert cli(ws, "timezone", "berlin").stdout.strip() == "Europe/Berlin (set for this workspace)"
    typo = cli(ws, "timezone", "Asia/Seol")
    assert typo.exit_code == 2 and "did you mean `Asia/Seoul`?" in typo.output
    assert cli(ws, "timezone", "--clear").stdout.strip() == "Asia/Seoul (the default)"


def test_several_teams_need_team_and_each_gets_only_its_own(ws, standin, monkeypatch):
    from contexta_core.tenancy import Tenant

    token_b = standin.add_team("TB")
    with Contexta(workspace=ws) as ctx:
        ctx.adopt_legacy_rows(Tenant.of("T0TEST"))  # the stand-in's default team: the bot's, from auth.test
        ctx.digests.subscribe(
            tenant=Tenant.of("TB"), target="C1", project="churn", now=utc("2026-03-20T00:00:00Z")
        )
    refused = cli(ws, "list")
    assert refused.exit_code == 2
    assert "this database holds 2 teams (T0TEST, TB); name one with --team" in refused.output
    assert "no team `TX` here; teams: T0TEST, TB" in cli(ws, "list", "--team", "TX").output
    mine = json.loads(cli(ws, "list", "--team", "T0TEST", "--json").stdout)
    assert mine["team"] == "T0TEST" and [s["timezone"] for s in mine["subscriptions"]] == ["Europe/Berlin"]
    assert cli(ws, "timezone", "Asia/Tokyo", "--team", "TB").stdout.startswith("Asia/Tokyo")
    assert cli(ws, "timezone", "--team", "T0TEST").stdout.strip() == "Asia/Seoul (the default)"

    # The default team's token posts its digest; asked for TB's it posts nothing and hands it back.
    wrong = cli(ws, "run-due", "--team", "TB", "--now", "2026-03-23T00:00:05Z", "--json")
    [outcome] = json.loads(wrong.stdout)["outcomes"]
    assert outcome["status"] == "retry_scheduled" and "not TB's" in outcome["error"] and posts(standin) == []
    monkeypatch.setenv("SLACK_BOT_TOKEN", token_b)
    right = cli(ws, "run-due", "--team", "TB", "--now", "2026-03-23T00:10:05Z", "--json")
    assert [o["status"] for o in json.loads(right.stdout)["outcomes"]] == ["delivered"]
    assert [standin.team_of(c) for c in posts(standin)] == ["TB"]


def test_run_due_in_oauth_mode_posts_with_each_teams_installed_token(ws, standin, monkeypatch):
    from slack_sdk.oauth.installation_store import Installation

    from bot.installs import installation_store
    from contexta_core.tenancy import Tenant

    token = standin.add_team("TA")
    with Contexta(workspace=ws) as ctx:
        ctx.adopt_legacy_rows(Tenant.of("TA"))
        installation_store(ctx, "1111.2222").save(
            Installation(
                app_id="A0TEST", team_id="TA", team_name="Acme", bot_token=token, bot_id="B0", user_id="U1"
            )
        )
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    result = cli(ws, "run-due", "--team", "Acme", "--now", "2026-03-23T08:00:00Z", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["team"] == "TA"
    (post,) = posts(standin)
    assert post.headers["authorization"] == f"Bearer {token}"
