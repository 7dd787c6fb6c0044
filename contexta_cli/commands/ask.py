"""`ask`: a question in plain English or Korean, answered as the Slack bot answers it.

Reading the question and choosing the answer is `contexta_core.ask`, shared with the bot; this
command only renders the result (a terminal view, or with ``--json`` the answer's data). A
question about something unknown is refused like any other command (one line, exit 2).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from contexta_core.ask.answers import Ask, answer, scope_of
from contexta_core.ask.requests import Clarify, OffTopic, QuestionHelp, Unclear, ask_for_question

from ..errors import REFUSED_EXIT, fail
from ..options import Json
from ..output import console, print_json
from ..session import open_workspace
from ..views.asked import answer_view, clarify_view, off_topic_view, question_help, unclear_view


def ask(
    ctx: typer.Context,
    question: Annotated[
        str,
        typer.Argument(
            metavar="QUESTION", help='A question, e.g. "which run is the best?"', show_default=False
        ),
    ],
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="Project to ask about when the question names none.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Ask a question in plain English or Korean, as you would the Slack bot."""
    contexta = open_workspace(ctx)
    request = ask_for_question(contexta, question, default_project=project)
    if isinstance(request, QuestionHelp):
        if as_json:
            print_json(_reading(Ask("help", request.language), understood=False))
        else:
            console().print(question_help())
        return
    if isinstance(request, OffTopic):
        if as_json:
            print_json({**_reading(Ask("help", request.language), understood=False), "off_topic": True})
        else:
            console().print(off_topic_view())
        return
    if isinstance(request, Unclear):
        if as_json:
            readings = [
                {"intent": r.intent, "project": r.project, "metric": r.metric} for r in request.readings
            ]
            print_json({**_reading(Ask("help", request.language), understood=False), "readings": readings})
        else:
            console().print(unclear_view(request))
        return
    if isinstance(request, Clarify):
        if not request.choices:
            fail(
                "there are no projects yet; record a run first (or try `contexta demo`)",
                exit_code=REFUSED_EXIT,
            )
        if as_json:
            print_json(_reading(request.ask, choices=list(request.choices), ambiguous=request.ambiguous))
        else:
            console().print(clarify_view(request))
        return
    result = answer(contexta, request)
    if as_json:
        print_json(_reading(request, result=result))
    else:
        console().print(answer_view(request.intent, result))


def _reading(ask: Ask, *, result: Any = None, **extra: Any) -> dict[str, Any]:
    """How the question was read (the resolved scope where the answer has one) and its result."""
    scope = scope_of(result) if result is not None else None
    return {
        "intent": ask.intent,
        "project": scope.project if scope else ask.project,
        "language": ask.language,
        "metric": scope.metric_key if scope else ask.metric,
        "stage": scope.stage_name if scope else ask.stage,
        "higher_is_better": scope.higher_is_better if scope else ask.higher_is_better,
        "chosen_by": scope.chosen_by if scope else None,
        **extra,
        "result": result,
    }


def register(app: typer.Typer) -> None:
    app.command()(ask)
