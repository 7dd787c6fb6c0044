"""`news`: what changed in a project since a moment — or since a person last got an answer about it.

Operators pass ``--since`` (a span, a day or a moment), or ``--user``/``--team`` to see what that
person's "what's new" would show. Looking never moves the person's marks: only their own answers do.
"""

from __future__ import annotations

import zoneinfo
from typing import Annotated

import typer

from contexta_core.ask.commands import CommandError, parse_since
from contexta_core.news import Viewer

from ..errors import REFUSED_EXIT, fail
from ..options import Json, Team, resolve_team
from ..output import console, print_json
from ..session import open_workspace
from ..views.news import news_view


def news(
    ctx: typer.Context,
    project: Annotated[
        str | None, typer.Argument(metavar="[PROJECT]", help="One project [default: all].")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="3d, 12h, yesterday, 2026-03-01, 2026-03-01 14:00 [default: the person's last answer, else 7 days].",
            show_default=False,
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="The person whose last visit starts the period.", show_default=False),
    ] = None,
    team: Team = None,
    enterprise: Annotated[
        str | None,
        typer.Option("--enterprise", help="Their Enterprise Grid organisation.", show_default=False),
    ] = None,
    zone: Annotated[str, typer.Option("--tz", help="Time zone the times are shown in.")] = "UTC",
    page: Annotated[int, typer.Option("--page", min=1, help="Page of each list.")] = 1,
    as_json: Json = False,
) -> None:
    """Runs started and finished, failures with their last error, deployments and a new best."""
    if zone not in zoneinfo.available_timezones():
        fail(f"unknown time zone {zone!r}; use an IANA name such as Asia/Seoul", exit_code=REFUSED_EXIT)
    if (team or enterprise) and not user:
        fail("--team needs --user (whose last visit to start from)", exit_code=REFUSED_EXIT)
    try:
        moment = parse_since(since, zone=zone) if since is not None else None
    except CommandError as error:
        fail(error.message.replace("`", ""), exit_code=REFUSED_EXIT)
    workspace = open_workspace(ctx)
    if enterprise and team and ":" not in team:
        team = f"{enterprise}:{team}"
    viewer = Viewer(resolve_team(workspace, team, person=True), user) if user else None
    found = workspace.news.whats_new(viewer, project, since=moment, page=page)
    if as_json:
        print_json(found)
        return
    console().print(news_view(found, zone))


def register(app: typer.Typer) -> None:
    app.command()(news)
