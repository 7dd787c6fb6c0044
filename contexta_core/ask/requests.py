"""From what a person typed to an `Ask`, or to a question back ("which project?").

A parsed command, a free-text question or a surface's own request (a button click) becomes an
`Ask` whose project is known, or a `Clarify` that says what was understood and which projects
to choose from. Both are plain objects; the surface renders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from contexta_core import Contexta

from .answers import NEEDS_PROJECT, Ask
from .commands import ALIASES, ParsedCommand, split_project_and_metric
from .router import metric_from_words, route_question
from .scope import pick_project

LOOKS_LIKE_PROJECT = 70  # rapidfuzz ratio above which a word is taken as a (mistyped) project


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


Request = Ask | Clarify


def with_project(ctx: Contexta, ask: Ask, given: str | None, default: str | None) -> Request:
    """`ask` with its project once it is known (named, the default, the only one), else a `Clarify`.

    Raises UnknownProjectError (with suggestions) for a named project that does not exist.
    """
    if ask.intent not in NEEDS_PROJECT:
        return ask
    project = pick_project(ctx, given, default)
    if project is not None:
        return replace(ask, project=project)
    return Clarify(ask, tuple(ctx.list_projects()), ambiguous=False)


def ask_for_command(
    ctx: Contexta, parsed: ParsedCommand, *, default_project: str | None, language: str
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
    if sub in ("trend", "best"):
        given, positional_metric = project_and_metric(ctx, parsed.args, default_project)
        metric = metric or positional_metric
    ask = Ask(
        sub,
        language,
        metric=metric_from_words(metric),
        stage=parsed.stage,
        higher_is_better=parsed.higher_is_better,
        page=parsed.page,
        default_project=default_project,
    )
    return with_project(ctx, ask, given, default_project)


def project_and_metric(
    ctx: Contexta, args: Sequence[str], default_project: str | None
) -> tuple[str | None, str | None]:
    """`best f1`, `best churn f1`, `best f1 churn`: which word is the project and which the metric."""
    names = ctx.list_projects()
    fallback = default_project or (names[0] if len(names) == 1 else None)
    given, metric = split_project_and_metric(args, names, fallback)
    looks_like_project = process.extractOne(
        given or "", names, scorer=fuzz.ratio, score_cutoff=LOOKS_LIKE_PROJECT
    )
    if metric is None and given and fallback is None and not looks_like_project:
        return None, given  # nothing like a project: a metric, and the project is asked for
    return given, metric


def ask_for_question(
    ctx: Contexta, text: str, *, default_project: str | None = None
) -> Request | QuestionHelp:
    """What to answer a free-text question with: an `Ask`, a `Clarify` or, when nothing in it
    matched, `QuestionHelp`."""
    routed = route_question(text, ctx.list_projects(), default_project)
    lang = routed.language
    if not routed.understood:
        return QuestionHelp(lang)
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
    )
    if routed.intent == "compare":
        return replace(ask, project=routed.project)
    if routed.project_candidates:
        return Clarify(ask, routed.project_candidates, ambiguous=True)
    if routed.project is None:
        return with_project(ctx, ask, None, None)
    return replace(ask, project=ctx.resolve_project_name(routed.project))
