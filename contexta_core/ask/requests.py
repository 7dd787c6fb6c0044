"""From what a person typed to an `Ask`, or to a question back ("which project?").

A parsed command, a free-text question or a surface's own request (a button click) becomes an
`Ask` whose project is known, or a `Clarify` that says what was understood and which projects
to choose from. Both are plain objects; the surface renders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from contexta_core import Contexta
from contexta_core.errors import UnknownProjectError
from contexta_core.news import Viewer
from contexta_core.tenancy import Tenant

from .answers import NEEDS_PROJECT, Ask
from .commands import ALIASES, ParsedCommand, split_project_and_metric
from .router import RoutedQuestion, metric_from_words, route_question
from .scope import pick_project
from .semantic import shared_matcher
from .vocabulary import FUZZY


@dataclass(frozen=True)
class Clarify:
    """Asked back: `ask` is the reading of the request without its project; `choices` are the
    projects offered (those the words matched when `ambiguous`, else every project; none when the
    workspace has no projects yet)."""

    ask: Ask
    choices: tuple[str, ...]
    ambiguous: bool


@dataclass(frozen=True)
class QuestionHelp:
    """A question nothing matched: the surface nudges with example questions."""

    language: str


@dataclass(frozen=True)
class OffTopic:
    """Small talk ("hi", "thanks", "점심 뭐 먹지?"): a friendly word back and what can be asked, no data."""

    language: str


@dataclass(frozen=True)
class Unclear:
    """A question not placed with confidence: its two likeliest readings, for the person to pick."""

    language: str
    readings: tuple[Ask, ...]


Request = Ask | Clarify
QuestionReply = Ask | Clarify | OffTopic | Unclear | QuestionHelp


def with_project(ctx: Contexta, ask: Ask, given: str | None, default: str | None) -> Request:
    """`ask` with its project once it is known (named, the default, the only one), else a `Clarify`.

    News without a project is about every project its viewer has asked about; someone who has asked
    about none is asked which (unless there is only one).

    Raises UnknownProjectError (with suggestions) for a named project that does not exist.
    """
    if ask.intent == "news":
        return _news_project(ctx, ask, given, default)
    if ask.intent not in NEEDS_PROJECT:
        return ask
    project = pick_project(ctx, given, default)
    if project is not None:
        return replace(ask, project=project)
    return Clarify(ask, tuple(ctx.list_projects()), ambiguous=False)


def _news_project(ctx: Contexta, ask: Ask, given: str | None, default: str | None) -> Request:
    project = pick_project(ctx, given, default)
    if project is not None:
        return replace(ask, project=project)
    if ask.viewer is not None and ctx.news.last_seen(ask.viewer):
        return ask
    return Clarify(ask, ctx.news.visible_projects(ask.viewer), ambiguous=False)


def ask_for_command(
    ctx: Contexta,
    parsed: ParsedCommand,
    *,
    default_project: str | None,
    language: str,
    viewer: Viewer | None = None,
) -> Request:
    """The `Ask` of a parsed command (all but `use` and `digest`, which act rather than answer)."""
    sub = parsed.subcommand
    if sub == "help":
        topic = ALIASES.get(parsed.args[0].casefold(), parsed.args[0].casefold()) if parsed.args else None
        return Ask("help", language, topic=topic, default_project=default_project)
    if sub == "projects":
        return Ask("projects", language, page=parsed.page, default_project=default_project)
    if sub == "compare":
        project = pick_project(ctx, None, default_project)
        return Ask("compare", language, project=project, runs=parsed.args)
    given, metric = parsed.args[0] if parsed.args else None, parsed.metric
    read_as: tuple[tuple[str, str], ...] = ()
    if sub in ("trend", "best"):
        given, positional_metric, read_as = project_and_metric(ctx, parsed.args, default_project)
        metric = metric or positional_metric
    elif given:
        given, read_as = near_project(ctx, given)
    ask = Ask(
        sub,
        language,
        metric=metric_from_words(metric),
        stage=parsed.stage,
        higher_is_better=parsed.higher_is_better,
        page=parsed.page,
        default_project=default_project,
        read_as=read_as,
        viewer=viewer,
    )
    return with_project(ctx, ask, given, default_project)


def near_project(ctx: Contexta, typed: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The project ``typed`` names: its stored name, or the project it is a near miss of
    (`churn-predction`), with that reading to show; else the lookup's error (with suggestions)."""
    try:
        return ctx.resolve_project_name(typed), ()
    except UnknownProjectError as error:
        match = ctx.vocabulary().match_project(typed)
        if match is None or match.score < FUZZY - 3:
            raise error from None
        return match.name, ((typed, match.name),)


def project_and_metric(
    ctx: Contexta, args: Sequence[str], default_project: str | None
) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    """`best f1`, `best churn f1`, `best f1 churn`: which word is the project and which the metric.

    A word that is a near miss of a project (`churn-predction`, `Churn_Prediction`) is that
    project, not a metric; the third value lists such (typed, stored) readings so the answer can
    say "did you mean"."""
    vocabulary = ctx.vocabulary()
    names = vocabulary.projects
    read_as: list[tuple[str, str]] = []
    taken = []
    for arg in args:
        match = None if arg in names else vocabulary.match_project(arg)
        if match is not None and match.score >= FUZZY - 3 and not vocabulary.find_metric(arg):
            read_as.append((arg, match.name))
            taken.append(match.name)
        else:
            taken.append(arg)
    fallback = default_project or (names[0] if len(names) == 1 else None)
    given, metric = split_project_and_metric(taken, names, fallback)
    if metric is None and given and given not in names and fallback is None:
        return None, given, ()  # nothing like a project: a metric, and the project is asked for
    return given, metric, tuple(read_as)


def routed_from(question: dict | None) -> RoutedQuestion | None:
    """A remembered question (``Contexta.recall_question``) as the router's ``previous``."""
    if not isinstance(question, dict) or not isinstance(question.get("intent"), str):
        return None
    text = {
        k: question.get(k) if isinstance(question.get(k), str) else None
        for k in ("project", "metric", "stage")
    }
    higher = question.get("higher_is_better")
    return RoutedQuestion(
        intent=question["intent"],
        language=question.get("language") if question.get("language") in ("en", "ko") else "en",
        higher_is_better=higher if isinstance(higher, bool) else None,
        **text,
    )


def ask_for_question(
    ctx: Contexta,
    text: str,
    *,
    default_project: str | None = None,
    conversation: str | None = None,
    tenant: Tenant = Tenant.LEGACY,
    semantic: bool = True,
    viewer: Viewer | None = None,
) -> QuestionReply:
    """What to answer a free-text question with: an `Ask`, a `Clarify` (which project?), `OffTopic`
    (small talk), `Unclear` (two readings to pick from) or, when nothing in it matched and there is
    no semantic fallback, `QuestionHelp`.

    ``conversation`` (a DM, a mention thread) keeps the question's reading in the database, so the
    next question there may leave out its project, metric or intent ("and on f1?"); it is the
    conversation of one chat ``tenant``. ``viewer`` (team + person) is whose "last seen" marks a
    news question reads."""
    previous = routed_from(ctx.recall_question(conversation, tenant=tenant)) if conversation else None
    matcher = shared_matcher() if semantic else None
    routed = route_question(
        text,
        ctx.vocabulary(),
        default_project,
        previous=previous,
        classify=matcher.classify if matcher else None,
    )
    lang = routed.language
    if routed.off_topic:
        return OffTopic(lang)
    if not routed.understood:
        if not routed.readings:
            return QuestionHelp(lang)
        project = routed.project
        readings = tuple(
            Ask(
                intent,
                lang,
                project=project,
                metric=routed.metric,
                stage=routed.stage,
                default_project=default_project,
            )
            for intent in routed.readings
        )
        return Unclear(lang, readings)
    if routed.intent == "help":
        return Ask("help", lang, default_project=default_project)
    ask = Ask(
        routed.intent,
        lang,
        metric=routed.metric,
        stage=routed.stage,
        higher_is_better=routed.higher_is_better,
        runs=routed.run_names,
        default_project=default_project,
        follow_up=routed.follow_up,
        viewer=viewer,
    )
    if routed.intent in ("compare", "projects"):
        request: Request = replace(ask, project=routed.project)
    elif routed.project_candidates:
        request = Clarify(ask, routed.project_candidates, ambiguous=True)
    elif routed.project is None:
        request = with_project(ctx, ask, None, None)
    else:
        request = replace(ask, project=ctx.resolve_project_name(routed.project))
    if conversation:
        remember(ctx, conversation, request, tenant)
    return request


def remember(ctx: Contexta, conversation: str, request: Request, tenant: Tenant = Tenant.LEGACY) -> None:
    """Keep what ``request`` was about as ``conversation``'s previous question."""
    ask = request.ask if isinstance(request, Clarify) else request
    ctx.remember_question(
        conversation,
        {
            "intent": ask.intent,
            "project": ask.project,
            "metric": ask.metric,
            "stage": ask.stage,
            "higher_is_better": ask.higher_is_better,
            "language": ask.language,
        },
        tenant=tenant,
    )
