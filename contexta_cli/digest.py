"""`contexta digest …`: deliver due weekly digests from cron, and see the subscriptions.

``run-due`` goes through the same delivery loop as the bot's own scheduler
(``contexta_core.digests.posting``), so running it from cron next to a running bot (or twice)
still posts every digest once. It posts through a poster found by name among the installed
``contexta.digest_posters`` entry points (``slack``, from the bot, by default), so the terminal
never imports the bot; Slack's needs the bot token (``SLACK_BOT_TOKEN``) and, for a local
stand-in, ``SLACK_API_URL``. With ``SLACK_CLIENT_ID`` set instead (installs in many workspaces)
it posts with each team's installed token from the workspace database.

Subscriptions belong to a Slack team: every command works on one (``--team``; by default the only
team the database holds, and an error naming them when there are several).

Registered by the app as ``app.add_typer(digest_app, name="digest")``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from contexta_core import digests as core
from contexta_core.contract import format_utc, to_utc
from contexta_core.digests.posting import deliver_due, find_poster

from .options import Json, Team
from .output import console, print_json
from .session import open_workspace

digest_app = typer.Typer(
    name="digest",
    help="Weekly digests posted to Slack: deliver the due ones (for cron) and list subscriptions.",
    no_args_is_help=True,
)

Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Act as if it were this moment (ISO-8601 with a zone, e.g. 2026-03-30T07:00:00Z) [default: now]. "
        "For tests and backfills; claims are leased on this clock, so do not combine a past --now with a "
        "running bot.",
        show_default=False,
    ),
]


def _moment(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        return to_utc(text, "--now")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--now") from None


@digest_app.command("run-due")
def run_due(
    ctx: typer.Context,
    now: Now = None,
    api_url: Annotated[
        str | None,
        typer.Option(
            "--slack-api-url",
            help="Slack Web API base [default: SLACK_API_URL or Slack's].",
            show_default=False,
        ),
    ] = None,
    poster: Annotated[
        str, typer.Option("--poster", help="Where digests are posted (an installed digest poster).")
    ] = "slack",
    team: Team = None,
    as_json: Json = False,
) -> None:
    """Post every digest of the team that is due (safe to run from cron every few minutes, next to the bot).

    Exits 1 when a digest failed or its subscription was paused, so cron can tell someone.
    """
    moment = _moment(now)
    ws = open_workspace(ctx)
    tenant = ws.resolve_tenant(team)
    options = {"api_url": api_url} if api_url else {}
    report = deliver_due(ws, find_poster(poster, workspace=ws, **options), moment, tenant=tenant)
    if as_json:
        print_json(
            {
                "team": tenant.key,
                "now": format_utc(moment),
                "outcomes": list(report.outcomes),
                "uncertain": list(report.uncertain),
            }
        )
    else:
        out = console()
        for outcome in report.outcomes:
            line = Text.assemble(
                (outcome.status.replace("_", " "), _STYLE.get(outcome.status, "")),
                f"  {outcome.project} → {outcome.target} ({outcome.period_key})",
            )
            if outcome.error:
                line.append(f"  {outcome.error}", style="dim")
            if outcome.retry_at:
                line.append(f"  retry at {format_utc(outcome.retry_at)}", style="dim")
            out.print(line)
        out.print(Text(f"digests at {format_utc(moment)}: {report.summary()}", style="bold"))
    if report.count("failed") or report.count("paused"):
        raise typer.Exit(1)


_STYLE = {"delivered": "green", "retry_scheduled": "yellow", "paused": "red", "failed": "red"}


@digest_app.command("list")
def list_subscriptions(
    ctx: typer.Context,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel id.")] = None,
    now: Now = None,
    team: Team = None,
    as_json: Json = False,
) -> None:
    """Every subscription of the team: schedule, next digest, last one sent, and why it is paused or retrying."""
    moment = _moment(now)
    ws = open_workspace(ctx)
    tenant = ws.resolve_tenant(team)
    statuses = ws.digests.statuses(tenant=tenant, target=channel, now=moment)
    if as_json:
        print_json({"team": tenant.key, "subscriptions": [_status_json(status) for status in statuses]})
        return
    out = console()
    if not statuses:
        out.print(
            Text("No digest subscriptions. Subscribe a channel with `/contexta digest subscribe`.", "yellow")
        )
        return
    table = Table(show_edge=False, header_style="bold")
    for column in ("channel", "project", "schedule", "language", "next", "last sent", "state"):
        table.add_column(column)
    for status in statuses:
        sub = status.subscription
        table.add_row(
            sub.target,
            sub.project_name,
            f"{sub.weekday} {sub.time_of_day} {sub.timezone}",
            sub.language,
            _when(status.next_fire_at, sub.timezone),
            f"{_when(status.last_delivered_at, sub.timezone)} {status.last_delivered_period or ''}".strip(),
            _state(status),
        )
    out.print(table)


@digest_app.command("timezone")
def timezone(
    ctx: typer.Context,
    zone: Annotated[
        str | None, typer.Argument(help="IANA zone, e.g. Europe/Berlin.", show_default=False)
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Go back to the default (Asia/Seoul).")] = False,
    team: Team = None,
) -> None:
    """Show or set the zone the team's new subscriptions use when they name none (default Asia/Seoul)."""
    ws = open_workspace(ctx)
    tenant = ws.resolve_tenant(team)
    digests = ws.digests
    if clear:
        digests.set_workspace_timezone(None, tenant=tenant)
    elif zone is not None:
        digests.set_workspace_timezone(zone, tenant=tenant)
    current, from_workspace = digests.workspace_timezone(tenant=tenant)
    typer.echo(f"{current} ({'set for this workspace' if from_workspace else 'the default'})")


def _when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "—"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")


def _state(status: core.SubscriptionStatus) -> str:
    sub = status.subscription
    if not sub.is_active:
        return f"paused: {sub.paused_reason or '—'}"
    if status.problem_state == core.PENDING:
        return f"retrying {status.problem_period} at {format_utc(status.retry_at)}: {status.last_error}"
    if status.problem_state == core.FAILED:
        return f"{status.problem_period} not sent: {status.last_error}"
    if status.problem_state == core.UNCERTAIN:
        return f"{status.problem_period} may not have been posted: {status.last_error}"
    return "active"


def _status_json(status: core.SubscriptionStatus) -> dict:
    sub = status.subscription
    return {
        "id": sub.id,
        "channel": sub.target,
        "project": sub.project_name,
        "weekday": sub.weekday,
        "time": sub.time_of_day,
        "timezone": sub.timezone,
        "language": sub.language,
        "status": sub.status,
        "paused_reason": sub.paused_reason,
        "next_fire_at": status.next_fire_at,
        "last_delivered_at": status.last_delivered_at,
        "last_delivered_period": status.last_delivered_period,
        "problem": None
        if status.problem_state is None
        else {
            "period": status.problem_period,
            "state": status.problem_state,
            "error": status.last_error,
            "retry_at": status.retry_at,
        },
    }
