"""The arguments and options several commands share, declared once so they read the same everywhere.

Choices come from the core's own lists (statuses, aggregations), so a bad value is a Typer usage
error (exit 2) before any database is opened.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from contexta_core import Contexta
from contexta_core.contract import LIFECYCLE_STATUSES
from contexta_core.errors import NotFoundError
from contexta_core.queries.best import AGGREGATIONS
from contexta_core.tenancy import Tenant

RunStatus = StrEnum("RunStatus", LIFECYCLE_STATUSES)
Aggregation = StrEnum("Aggregation", AGGREGATIONS)

Project = Annotated[
    str, typer.Argument(metavar="PROJECT", help="Project name, e.g. churn-prediction.", show_default=False)
]
Team = Annotated[
    str | None,
    typer.Option(
        "--team",
        help="The Slack team whose chat state this is: its id (T0123…), ENTERPRISE:TEAM, or an installed "
        "team's name [default: the only team the database holds].",
        show_default=False,
    ),
]


def resolve_team(workspace: Contexta, team: str | None, *, person: bool = False) -> Tenant:
    """The ``Tenant`` of ``--team`` by the workspace's one rule (an id, ``ENTERPRISE:TEAM`` or an
    installed team's name; none given: the only team there is). With ``person`` (``--user``'s
    team in ``news``/``ask``) a well-formed id the database holds nothing of yet is taken as it
    is: a person's first visit in a team that has no state here yet is no mistake."""
    try:
        return workspace.resolve_tenant(team)
    except NotFoundError:
        if person and team:
            return Tenant.parse(team.strip())
        raise


Json = Annotated[bool, typer.Option("--json", help="Print one JSON object (for scripts) and nothing else.")]
Metric = Annotated[
    str | None,
    typer.Option(
        "--metric", "-m", help="Metric key [default: the project's, e.g. accuracy].", show_default=False
    ),
]
Stage = Annotated[
    str | None,
    typer.Option(
        "--stage", "-s", help="Stage the metric is read from [default: the project's].", show_default=False
    ),
]
Direction = Annotated[
    bool | None,
    typer.Option(
        "--higher-is-better/--lower-is-better",
        help="Which way is better [default: the project's, or what the metric's name implies].",
        show_default=False,
    ),
]
