"""`onboard` and `demo`: the five answers a newcomer asks about a project, on one page.

`demo` is what `make demo` runs, so it seeds the churn-prediction history when the workspace does
not have it yet and then shows exactly what `contexta onboard churn-prediction` shows.
"""

from __future__ import annotations

import typer
from rich.text import Text

from contexta_core.synthetic import PROJECT, seed_demo

from ..options import Direction, Json, Metric, Project, Stage
from ..output import console, print_json
from ..session import open_workspace
from ..views.onboarding import hint, onboarding_view

TRY_NEXT = (
    f"contexta best {PROJECT} --metric auc",
    f"contexta trend {PROJECT} --metric f1",
    "contexta compare churn-v3-feb churn-v6-apr",
    f"contexta report {PROJECT} --format csv",
    'contexta ask "which run is live?"',
)


def onboard(
    ctx: typer.Context,
    project: Project,
    metric: Metric = None,
    stage: Stage = None,
    higher_is_better: Direction = None,
    as_json: Json = False,
) -> None:
    """The five answers: runs, the metric over time, deployments, the best run and the report."""
    summary = open_workspace(ctx).onboarding_summary(project, metric, stage, higher_is_better)
    if as_json:
        print_json(summary)
        return
    console().print(onboarding_view(summary))


def demo(ctx: typer.Context) -> None:
    """Seed the churn-prediction demo history (if absent) and show its onboarding answers."""
    contexta = open_workspace(ctx)
    seeded = seed_demo(contexta)
    out = console()
    action = "Seeded the churn-prediction demo into" if seeded else "Reusing the churn-prediction demo in"
    out.print(Text.assemble((action, "bold"), " ", (contexta.source, "cyan")), soft_wrap=True)
    out.print()
    out.print(onboarding_view(contexta.onboarding_summary(PROJECT)))
    out.print(Text("Try next:", style="bold"))
    for command in TRY_NEXT:
        out.print(hint(command))


def register(app: typer.Typer) -> None:
    app.command()(onboard)
    app.command()(demo)
