"""The `contexta` app: global options, the error boundary and the commands.

Global options pick the workspace; the workspace is opened by the first command that needs it
(once per invocation) and closed when the invocation ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .access import access_app
from .commands import analysis, ask, history, importing, news, onboarding, report
from .digest import digest_app
from .errors import ContextaGroup
from .session import Workspace

app = typer.Typer(
    cls=ContextaGroup,
    name="contexta",
    help="Answers a new ML engineer's questions about a model project from its stored run history.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path, typer.Option("--workspace", envvar="CONTEXTA_WORKSPACE", help="Workspace folder.")
    ] = Path(".contexta"),
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="CONTEXTA_DATABASE_URL",
            help="sqlite:///… or postgresql+psycopg://… [default: a SQLite file in the workspace].",
            show_default=False,
        ),
    ] = None,
) -> None:
    workspace_state = Workspace(workspace, database_url)
    ctx.obj = workspace_state
    ctx.call_on_close(workspace_state.close)


for module in (onboarding, history, analysis, report, ask, importing, news):
    module.register(app)
app.add_typer(digest_app, name="digest")  # written alongside the bot's scheduler (contexta_cli/digest.py)
app.add_typer(access_app, name="access")  # the operator's side of project visibility (contexta_cli/access.py)
