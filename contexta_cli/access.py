"""`contexta access …`: the operator's view and control of project visibility in chat.

The terminal is the operator's side: whoever can open the workspace database sees every project
(`contexta projects` lists them all) and may change who sees what in a chat team. Slack is not
reachable from here, so channels and user groups are given by id (``C0123``, optionally with the
name to show: ``C0123=ml-secret``); a DM subscription of a project restricted from here is paused
(its person's memberships cannot be checked) until the project is opened again.

Registered by the app as ``app.add_typer(access_app, name="access")``.
"""

from __future__ import annotations

import getpass
import re
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from contexta_core.access import CHANNEL, USERGROUP, AccessChange, ProjectAccess, Target
from contexta_core.contract import format_utc
from contexta_core.tenancy import Tenant

from .options import Json, Project
from .output import console, print_json
from .session import open_workspace

access_app = typer.Typer(
    name="access",
    help="Who may see a project in chat: restrict it to channels, open it, show its rules and history.",
    no_args_is_help=True,
)

Team = Annotated[
    str | None,
    typer.Option(
        "--team",
        help="Slack team id (T…, or ENTERPRISE:TEAM) [default: the only team with access rules, else the "
        "only team the database holds].",
        show_default=False,
    ),
]
Enterprise = Annotated[
    str,
    typer.Option("--enterprise", help="Enterprise Grid organisation id (E…), if any.", show_default=False),
]
_TARGET = re.compile(r"([A-Z0-9]{2,64})(?:=(.{1,255}))?")


def _tenant(ctx: typer.Context, team: str | None, enterprise: str) -> Tenant:
    """The team named (``T1``, ``E1:T1``), else the only one with access rules, else the only team the
    database holds (``contexta digest``'s rule); several without a choice are refused, named."""
    if team:
        return Tenant.parse(team) if ":" in team else Tenant.of(team.strip(), enterprise)
    workspace = open_workspace(ctx)
    known = workspace.access.tenants()
    if len(known) == 1:
        return known[0]
    if not known:
        return workspace.resolve_tenant(None)
    teams = ", ".join(t.key for t in known)
    raise typer.BadParameter(f"name the Slack team (teams with access rules: {teams})", param_hint="--team")


def _targets(values: list[str], kind: str, option: str) -> list[Target]:
    found = []
    for value in values:
        match = _TARGET.fullmatch(value.strip())
        if match is None:
            raise typer.BadParameter(f"{value!r} is not an id like C0123 or C0123=name", param_hint=option)
        found.append(Target(kind, match.group(1), match.group(2)))
    return found


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return "cli:operator"


@access_app.command("restrict")
def restrict(
    ctx: typer.Context,
    project: Project,
    channel: Annotated[
        list[str],
        typer.Option("--channel", "-c", help="Channel id (repeat for several), e.g. C0123=ml-secret."),
    ],
    usergroup: Annotated[
        list[str] | None, typer.Option("--usergroup", "-g", help="User group id (S…), e.g. S0456=ml-team.")
    ] = None,
    team: Team = None,
    enterprise: Enterprise = "",
    as_json: Json = False,
) -> None:
    """Answer PROJECT only in these channels (and, in private, to members of them or of the user groups)."""
    tenant = _tenant(ctx, team, enterprise)
    channels = _targets(channel, CHANNEL, "--channel")
    groups = _targets(usergroup or [], USERGROUP, "--usergroup")
    change = open_workspace(ctx).access.restrict(
        tenant, project, channels, groups, actor=_actor(), surface="cli"
    )
    _print_change(change, as_json)


@access_app.command("open")
def open_project(
    ctx: typer.Context,
    project: Project,
    team: Team = None,
    enterprise: Enterprise = "",
    as_json: Json = False,
) -> None:
    """Open PROJECT to the whole chat workspace again (subscriptions paused for access resume)."""
    change = open_workspace(ctx).access.open(
        _tenant(ctx, team, enterprise), project, actor=_actor(), surface="cli"
    )
    _print_change(change, as_json)


@access_app.command("show")
def show(
    ctx: typer.Context,
    project: Annotated[
        str | None, typer.Argument(metavar="[PROJECT]", help="One project's rules and history.")
    ] = None,
    team: Team = None,
    enterprise: Enterprise = "",
    as_json: Json = False,
) -> None:
    """The restricted projects of a team, or one project's rules and every recorded change."""
    tenant = _tenant(ctx, team, enterprise)
    access = open_workspace(ctx).access
    if project is None:
        rules = list(access.restricted(tenant).values())
        if as_json:
            print_json({"team": tenant.key, "restricted": [_rule_json(rule) for rule in rules]})
            return
        if not rules:
            console().print(Text(f"Every project is open to the whole of {tenant.key}.", "yellow"))
            return
        table = Table(show_edge=False, header_style="bold")
        for column in ("project", "channels", "user groups"):
            table.add_column(column)
        for rule in rules:
            table.add_row(rule.project, _names(rule.channels), _names(rule.usergroups) or "—")
        console().print(table)
        return
    rule = access.of(tenant, project)
    history = access.history(tenant, project, limit=1000)
    if as_json:
        print_json({"team": tenant.key, **_rule_json(rule), "history": [_change_json(c) for c in history]})
        return
    out = console()
    out.print(Text(f"{rule.project} in {tenant.key}: {_state(rule)}", "bold"))
    for change in history:
        out.print(
            f"{format_utc(change.changed_at)}  {change.actor} ({change.surface}) {change.action}: "
            f"{_state(change.before)} → {_state(change.after)}"
        )
    if not history:
        out.print(Text("No change recorded yet.", "dim"))


def _print_change(change: AccessChange, as_json: bool) -> None:
    if as_json:
        print_json(_change_json(change))
        return
    out = console()
    if not change.changed:
        out.print(Text(f"{change.project} already is {_state(change.after)}; nothing changed.", "yellow"))
        return
    out.print(Text(f"{change.project}: {_state(change.before)} → {_state(change.after)}", "bold"))
    if change.paused:
        out.print(f"paused digest subscriptions in: {', '.join(change.paused)}")
    if change.resumed:
        out.print(f"resumed digest subscriptions in: {', '.join(change.resumed)}")


def _names(targets: tuple[Target, ...]) -> str:
    return ", ".join(f"{t.id} ({t.name})" if t.name else t.id for t in targets)


def _state(rule: ProjectAccess) -> str:
    if not rule.restricted:
        return "open to the whole workspace"
    groups = f"; in private also to members of {_names(rule.usergroups)}" if rule.usergroups else ""
    return f"only in {_names(rule.channels)}{groups}"


def _rule_json(rule: ProjectAccess) -> dict:
    return {"project": rule.project, "restricted": rule.restricted, **rule.snapshot()}


def _change_json(change: AccessChange) -> dict:
    return {
        "project": change.project,
        "action": change.action,
        "changed": change.changed,
        "actor": change.actor,
        "surface": change.surface,
        "changed_at": change.changed_at,
        "before": change.before.snapshot(),
        "after": change.after.snapshot(),
        "paused": list(change.paused),
        "resumed": list(change.resumed),
    }
