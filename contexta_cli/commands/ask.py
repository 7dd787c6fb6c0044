"""`ask`: a question in plain English or Korean, answered as the Slack bot answers it.

Reading the question and choosing the answer is `contexta_core.ask`, shared with the bot; this
command only renders the result (a terminal view, or with ``--json`` the answer's data). A
question about something unknown is refused like any other command (one line, exit 2).

``--slack`` adds the message the bot would post, from the Slack app's renderer, found through the
``contexta.answer_payloads`` entry point like the digest poster: the terminal never imports the bot.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import entry_points
from typing import Annotated, Any

import typer

from contexta_core.ask.answers import Ask, answer, mark_answered, scope_of
from contexta_core.ask.requests import Clarify, OffTopic, QuestionHelp, Unclear, ask_for_question
from contexta_core.importers.detect import pending_import
from contexta_core.news import Viewer

from ..errors import FAILED_EXIT, REFUSED_EXIT, fail
from ..options import Json, Team, resolve_team
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
    slack: Annotated[
        bool,
        typer.Option("--slack", help="With the JSON, the Slack message the bot would post (implies --json)."),
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Ask as this person: news starts at their last answer, and this answer moves it."
        ),
    ] = None,
    team: Team = None,
) -> None:
    """Ask a question in plain English or Korean, as you would the Slack bot."""
    if team and not user:
        fail("--team needs --user (who is asking)", exit_code=REFUSED_EXIT)
    render_slack = _slack_renderer() if slack else None
    contexta = open_workspace(ctx)
    viewer = Viewer(resolve_team(contexta, team, person=True), user) if user else None
    asked_at = datetime.now(UTC)
    request = ask_for_question(contexta, question, default_project=project, viewer=viewer)
    result = None
    if isinstance(request, QuestionHelp):
        data = _reading(Ask("help", request.language), understood=False)
        view = question_help()
    elif isinstance(request, OffTopic):
        data = {**_reading(Ask("help", request.language), understood=False), "off_topic": True}
        view = off_topic_view()
    elif isinstance(request, Unclear):
        readings = [{"intent": r.intent, "project": r.project, "metric": r.metric} for r in request.readings]
        data = {**_reading(Ask("help", request.language), understood=False), "readings": readings}
        view = unclear_view(request)
    elif isinstance(request, Clarify):
        if not request.choices:
            pending = pending_import(contexta)
            fail(
                f"this folder holds a Contexta 1.x workspace that is not imported yet; run {pending.command}"
                if pending
                else "there are no projects yet; record a run first (or try `contexta demo`)",
                exit_code=REFUSED_EXIT,
            )
        data = _reading(request.ask, choices=list(request.choices), ambiguous=request.ambiguous)
        view = clarify_view(request)
    else:
        result = answer(contexta, request)
        data = _reading(request, result=result)
        view = answer_view(request.intent, result)
    if render_slack is not None:
        print_json(data, slack=render_slack(request, result))
    elif as_json:
        print_json(data)
    else:
        console().print(view)
    if result is not None:  # shown: this person has now had an answer about its projects
        mark_answered(contexta, request, result, asked_at)


def _slack_renderer() -> Any:
    """The bot's `slack_payload(request, result)`, registered as the `slack` answer payload."""
    found = entry_points(group="contexta.answer_payloads", name="slack")
    if not found:
        fail(
            "`--slack` needs the Slack app's renderer (the `slack` entry point of contexta.answer_payloads); "
            "reinstall the project (`pip install -e .`)",
            exit_code=FAILED_EXIT,
        )
    return next(iter(found)).load()


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
