"""Slack replies: a parsed command, a free-text question or a button click in, an `Answer` out.

What to answer is decided by `contexta_core.ask` (shared with the terminal); here its results
become Block Kit messages, and Slack's own requests (`use`, `digest`, button clicks) are handled.

This is the one place where errors become replies: a `ContextaError` or `CommandError` turns into
a friendly ephemeral message naming what was not found and what exists instead (anything a
person typed is neutralised first, so it can never ping or break formatting); any other
exception is logged with its traceback and answered with a short apology, nothing internal.

An answer may carry files (`Answer.files`: the trend chart, the report as Markdown and HTML) for
the listener to upload in its thread. Files never cost the answer: when one cannot be made, the
answer goes out without it (with a note when that was a bug rather than nothing to draw).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bot import heavy_answers
from bot.access import AccessAsker, handle_access_command
from bot.alerts.commands import handle_watch_command
from bot.channel_defaults import set_channel_default_project
from bot.digests import handle_digest_command
from bot.error_messages import describe_command_error, describe_error
from bot.rendering import format as fmt
from bot.rendering.answers import render_answer
from bot.rendering.best import COMPARE_PRODUCTION
from bot.rendering.blocks import Rendered
from bot.rendering.clarify import (
    CHOOSE_PROJECT,
    CHOOSE_READING,
    render_choose_project,
    render_choose_reading,
    render_off_topic,
)
from bot.rendering.errors import render_apology, render_error
from bot.rendering.files import add_note, file_note, render_building
from bot.rendering.help import render_question_help
from bot.rendering.home import HOME_ONBOARD
from bot.rendering.i18n import t
from bot.rendering.paging import SHOW_MORE
from bot.rendering.projects import render_use
from bot.rendering.reading import read_as_note, reading_note
from bot.rendering.report import FULL_REPORT
from bot.rendering.trend import TREND_CHART
from bot.slack_client import without_retries
from contexta_core import Contexta
from contexta_core.ask.answers import (
    ANSWERS,
    CHART_INTENTS,
    REPORT_INTENTS,
    Ask,
    Result,
    answer,
    answer_files,
    mark_answered,
)
from contexta_core.ask.commands import CommandError, ParsedCommand
from contexta_core.ask.requests import (
    Clarify,
    OffTopic,
    QuestionHelp,
    Request,
    Unclear,
    ask_for_command,
    ask_for_question,
    with_project,
)
from contexta_core.ask.router import clean_question_text
from contexta_core.errors import ContextaError
from contexta_core.importers.detect import pending_import
from contexta_core.language import LANGUAGES, detect_language
from contexta_core.news import Viewer
from contexta_core.render.files import ExportedFile
from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)
ZoneOf = Callable[[], str]  # the asker's time zone, looked up only when an answer shows times


@dataclass(frozen=True)
class Answer:
    """A reply ready for any Slack surface; `ephemeral` answers (errors, help) go to the asker only."""

    intent: str
    project: str | None
    language: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = False
    files: tuple[ExportedFile, ...] = ()  # uploaded in the answer's thread after it is posted
    error: str | None = None  # the error code when this answer reports a problem
    later: heavy_answers.Later | None = None  # still being built in a worker (see bot.listeners.later)


def answer_command(
    ctx: Contexta,
    parsed: ParsedCommand,
    *,
    channel_default: str | None,
    language: str = "en",
    channel_id: str | None = None,
    user_id: str | None = None,
    client: Any = None,
    access: AccessAsker | None = None,
    viewer: Viewer | None = None,
    zone_of: ZoneOf | None = None,
    tenant: Tenant = Tenant.LEGACY,
) -> Answer:
    """Answer `/contexta <subcommand> …` in `tenant` (the asker's team); `channel_id` lets `use`
    store the channel's default. `viewer` (team + person) is whose "last seen" marks the answer
    reads (news) and moves.

    `ctx` is the workspace as the asker may see it where they ask (`Contexta.as_seen_by`).
    `watch …`/`unwatch …` are handed to `bot.alerts` with the `tenant` (team) and channel the
    watch belongs to; `access …` to `bot.access` with who asks (`access`).

    `digest …` is handed to `bot.digests` with the team, the channel, the asker and `client` (a
    slack_sdk WebClient with the team's token: `digest list all` asks it which channels the asker
    may see, `digest run-due` posts the team's due digests with it).
    """
    inputs = (*parsed.args, parsed.stage, parsed.metric)
    if parsed.subcommand == "access":
        return _guarded("access", language, inputs, lambda: _access(ctx, parsed, language, access))
    if parsed.subcommand == "digest":
        return _guarded(
            "digest",
            language,
            inputs,
            lambda: _digest(ctx, parsed, language, channel_id, user_id, client, tenant, access),
        )
    if parsed.subcommand in ("watch", "unwatch"):
        return _guarded(
            parsed.subcommand,
            language,
            inputs,
            lambda: _watch(ctx, parsed, language, tenant, channel_id, user_id, channel_default),
        )
    return _guarded(
        parsed.subcommand,
        language,
        inputs,
        lambda: _command(ctx, parsed, channel_default, language, channel_id, viewer, zone_of, tenant),
    )


def answer_question(
    ctx: Contexta,
    text: str,
    *,
    default_project: str | None = None,
    conversation: str | None = None,
    viewer: Viewer | None = None,
    zone_of: ZoneOf | None = None,
    tenant: Tenant = Tenant.LEGACY,
) -> Answer:
    """Answer a free-text question (DM or @mention) in the language it was asked in; within one
    `conversation` of `tenant` (a DM, a mention thread) a follow-up may leave out what the previous
    question said."""
    language = detect_language(clean_question_text(text or ""))
    return _guarded(
        "question",
        language,
        (),
        lambda: _question(ctx, text or "", default_project, conversation, viewer, zone_of, tenant),
    )


def answer_action(
    ctx: Contexta,
    action_id: str,
    value: str,
    *,
    channel_default: str | None = None,
    viewer: Viewer | None = None,
    zone_of: ZoneOf | None = None,
) -> Answer:
    """Answer a click on one of our buttons (choose_project, show_more, full_report, trend_chart,
    compare_production, home_onboard)."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return _error_answer(
            action_id, "en", None, t("en", "command_error.button_expired"), code="button_expired"
        )
    language = data.get("lang") if data.get("lang") in LANGUAGES else "en"
    inputs = (data.get("project"), data.get("metric"), data.get("stage"))
    return _guarded(
        action_id,
        language,
        inputs,
        lambda: _action(ctx, action_id, data, language, channel_default, viewer, zone_of),
    )


def failure_answer(error: Exception, intent: str, language: str) -> Answer:
    """For deliveries: an error raised outside `_guarded` (a worker that died), as a reply."""
    return _failure(error, intent, language, ())


def parse_error_answer(error: CommandError, language: str) -> Answer:
    """For listeners: a command that did not parse, as the same friendly ephemeral reply."""
    return _failure(error, "command", language, ())


# -- commands ---------------------------------------------------------------------------------


def _command(
    ctx: Contexta,
    parsed: ParsedCommand,
    channel_default: str | None,
    lang: str,
    channel_id: str | None,
    viewer: Viewer | None,
    zone_of: ZoneOf | None,
    tenant: Tenant,
) -> Answer:
    if parsed.subcommand == "use":
        return _use(ctx, parsed.args[0], channel_id, lang, tenant)
    request = ask_for_command(ctx, parsed, default_project=channel_default, language=lang, viewer=viewer)
    return _reply(ctx, request, ephemeral_prompt=True, zone_of=zone_of)


def _digest(
    ctx: Contexta,
    parsed: ParsedCommand,
    lang: str,
    channel_id: str | None,
    user_id: str | None,
    client: Any,
    tenant: Tenant,
    asker: AccessAsker | None,
) -> Answer:
    reply = handle_digest_command(
        ctx,
        parsed.args,
        tenant=tenant,
        channel_id=channel_id or "",
        user_id=user_id,
        language=lang,
        client=without_retries(client),
        slack=asker.slack if asker is not None else None,  # the app's one cache of channel facts
    )
    return Answer("digest", None, lang, reply.text, reply.blocks, ephemeral=reply.ephemeral)


def _access(ctx: Any, parsed: ParsedCommand, lang: str, asker: AccessAsker | None) -> Answer:
    if asker is None:
        raise ValueError("`access` needs who is asking")
    rendered = handle_access_command(ctx, parsed.args, asker, lang)
    return _from(rendered, "access", None, lang, ephemeral=True)


def _watch(
    ctx: Contexta,
    parsed: ParsedCommand,
    lang: str,
    tenant: Tenant,
    channel_id: str | None,
    user_id: str | None,
    channel_default: str | None,
) -> Answer:
    reply = handle_watch_command(
        ctx,
        parsed,
        tenant=tenant,
        channel_id=channel_id,
        user_id=user_id,
        language=lang,
        channel_default=channel_default,
    )
    return Answer(parsed.subcommand, reply.project, lang, reply.text, reply.blocks, ephemeral=reply.ephemeral)


def _use(ctx: Contexta, given: str, channel_id: str | None, lang: str, tenant: Tenant) -> Answer:
    project = ctx.resolve_project_name(given)
    if channel_id:
        set_channel_default_project(ctx, channel_id, project, tenant)
    return _from(render_use(project, lang=lang), "use", project, lang, ephemeral=True)


# -- questions and clicks ---------------------------------------------------------------------


def _question(
    ctx: Contexta,
    text: str,
    default_project: str | None,
    conversation: str | None,
    viewer: Viewer | None,
    zone_of: ZoneOf | None,
    tenant: Tenant,
) -> Answer:
    request = ask_for_question(
        ctx, text, default_project=default_project, conversation=conversation, viewer=viewer, tenant=tenant
    )
    if isinstance(request, QuestionHelp):
        return _from(render_question_help(request.language), "help", None, request.language, ephemeral=True)
    if isinstance(request, OffTopic):
        return _from(render_off_topic(request.language), "off_topic", None, request.language, ephemeral=True)
    if isinstance(request, Unclear):
        rendered = render_choose_reading(request.readings, lang=request.language)
        return _from(rendered, "clarify", None, request.language)
    return _reply(ctx, request, ephemeral_prompt=False, zone_of=zone_of)


def _action(
    ctx: Contexta,
    action_id: str,
    data: dict,
    lang: str,
    channel_default: str | None,
    viewer: Viewer | None,
    zone_of: ZoneOf | None,
) -> Answer:
    page = data.get("page") if isinstance(data.get("page"), int) and data["page"] > 0 else 1
    project = data.get("project") if isinstance(data.get("project"), str) else None
    files = action_id != SHOW_MORE  # a further page comes without the first page's files
    if action_id == CHOOSE_READING:
        intent = data.get("intent") if data.get("intent") in ANSWERS else "onboard"
        ask = Ask(intent, lang, metric=_text(data.get("metric")), stage=_text(data.get("stage")))
    elif action_id == CHOOSE_PROJECT:
        intent = data.get("intent") if data.get("intent") in ANSWERS else "onboard"
        ask = Ask(intent, lang, metric=_text(data.get("metric")))
    elif action_id == SHOW_MORE:
        kind = data.get("kind") if data.get("kind") in ANSWERS else "runs"
        ask = Ask(
            kind,
            lang,
            metric=_text(data.get("metric")),
            stage=_text(data.get("stage")),
            higher_is_better=False if data.get("lower") is True else None,
            page=page,
            since=_moment(data.get("since")),
            until=_moment(data.get("until")),
        )
    elif action_id == FULL_REPORT:
        ask = Ask("full_report", lang, page=page)
    elif action_id == TREND_CHART:
        ask = Ask("trend_chart", lang, metric=_text(data.get("metric")), stage=_text(data.get("stage")))
    elif action_id == HOME_ONBOARD:
        ask = Ask("onboard", lang)
    elif action_id == COMPARE_PRODUCTION:
        runs = (_text(data.get("best")), _text(data.get("live")))
        if None in runs:
            raise CommandError("this button has expired", code="button_expired")
        ask = Ask("compare", lang, project=project, runs=runs)
    else:
        raise ValueError(f"unknown action {action_id!r}")
    ask = replace(ask, default_project=channel_default, viewer=viewer)
    if ask.intent == "projects" or (ask.intent == "news" and action_id == SHOW_MORE and project is None):
        return _answer(ctx, ask, files=files, zone_of=zone_of)
    request = with_project(ctx, ask, project, channel_default)
    return _reply(ctx, request, ephemeral_prompt=False, files=files, zone_of=zone_of)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _moment(value: object) -> datetime | None:
    """A time a button carries (ISO 8601 with its offset), or None when absent or not one."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


# -- shared -----------------------------------------------------------------------------------


def _reply(
    ctx: Contexta,
    request: Request,
    *,
    ephemeral_prompt: bool,
    files: bool = True,
    zone_of: ZoneOf | None = None,
) -> Answer:
    """The answer to `request`, or the question back of which project is meant."""
    if isinstance(request, Clarify):
        return _choose(ctx, request, ephemeral=ephemeral_prompt)
    return _answer(ctx, request, files=files, zone_of=zone_of)


def _choose(ctx: Contexta, clarify: Clarify, *, ephemeral: bool) -> Answer:
    ask = clarify.ask
    if not clarify.choices:  # an unimported Contexta 1.x history here: say how to import it
        pending = pending_import(ctx)
        message = (
            t(ask.language, "import.pending", command=fmt.code(pending.command, 500))
            if pending
            else t(ask.language, "error.no_projects")
        )
        return _error_answer(ask.intent, ask.language, None, message, code="no_projects")
    rendered = render_choose_project(
        clarify.choices, intent=ask.intent, metric=ask.metric, lang=ask.language, ambiguous=clarify.ambiguous
    )
    return _from(rendered, "clarify", None, ask.language, ephemeral=ephemeral)


def _answer(ctx: Contexta, ask: Ask, *, files: bool = True, zone_of: ZoneOf | None = None) -> Answer:
    """Heavy asks on large projects are built in a worker (see `bot.heavy_answers`), which is
    shared by whoever asks the same: the asker's "last seen" marks move here, not there."""
    asked_at = datetime.now(UTC)
    files = files and ask.project is not None
    runs = heavy_answers.heavy_runs(ctx, ask)
    if runs and ask.intent in heavy_answers.WHOLE_ANSWERS:
        later = heavy_answers.whole_answer_later(ctx, replace(ask, viewer=None), runs, files=files)
        building = render_building("answer", ask.project, runs, ask.language)
        _mark(ctx, ask, None, asked_at)
        return replace(_from(building, ask.intent, ask.project, ask.language), later=later)
    if ask.intent == "news" and zone_of is not None and ask.timezone is None:
        ask = replace(ask, timezone=zone_of())
    result = answer(ctx, ask)
    rendered = render_answer(ask.intent, result, ask.language)
    _mark(ctx, ask, result, asked_at)  # news: only now that what was new has been rendered
    reply = _from(rendered, ask.intent, ask.project, ask.language, ephemeral=ask.intent == "help")
    for note in _notes(ctx, ask, result):
        text, blocks = add_note(reply.text, reply.blocks, note)
        reply = replace(reply, text=text, blocks=blocks)
    if not files or not ask.project:
        return reply
    if runs:
        return replace(reply, later=heavy_answers.files_later(ctx, ask, runs))
    return _with_files(ctx, ask, result, reply)


def _mark(ctx: Contexta, ask: Ask, result: Result | None, asked_at: datetime) -> None:
    """The asker has now had an answer about its projects; a failing write never costs the answer."""
    if ask.viewer is None:
        return
    try:
        if result is None:
            ctx.news.mark_seen(ask.viewer, [ask.project], at=asked_at)
        else:
            mark_answered(ctx, ask, result, asked_at)
    except Exception:
        logger.exception("Could not remember what an answer was about")


def build_answer(ctx: Contexta, ask: Ask, *, files: bool = True) -> Answer:
    """`ask` answered here and now, errors as replies (what a worker process does with a heavy ask)."""
    return _guarded(
        ask.intent, ask.language, (ask.project, ask.metric, ask.stage), lambda: _answer(ctx, ask, files=files)
    )


def files_or_note(
    ctx: Contexta, ask: Ask, result: Result | None = None
) -> tuple[tuple[ExportedFile, ...], str | None]:
    """The files of a first answer and None, or no files and "internal" when making them failed on a bug.

    A chart is drawn in the scope of `result` (the answer's, or answered here when not given)."""
    try:
        if result is None and ask.intent in CHART_INTENTS:
            result = answer(ctx, ask)
        return answer_files(ctx, ask, result), None
    except ContextaError:  # e.g. a run-level metric the chart cannot place: the words suffice
        return (), None
    except Exception:
        logger.exception("Could not make the files of a %s answer", ask.intent)
        return (), "internal"


READING_INTENTS = frozenset({"best", "trend", "onboard", "report", "deployments"})


def _notes(ctx: Contexta, ask: Ask, result: object) -> list[str]:
    """What the answer took the question to mean: near-miss names, a follow-up, and the reading of
    its metric (project, metric and why, stage, direction, the other metrics there are)."""
    notes = [read_as_note(ask.read_as, ask.language)] if ask.read_as else []
    if ask.follow_up:
        notes.append(t(ask.language, "reading.follow_up"))
    scope = getattr(result, "scope", None)
    if ask.intent in READING_INTENTS and scope is not None and (ask.intent != "report" or result.ranked):
        others = [m.key for m in ctx.vocabulary().metrics_of(scope.project)]
        notes.append(reading_note(scope, ask.language, others))
    return notes


def _with_files(ctx: Contexta, ask: Ask, result: Result, answer: Answer) -> Answer:
    """`answer` with its files; without them when there is nothing to draw, with a note on a bug."""
    made, failure = files_or_note(ctx, ask, result)
    if failure:
        kind = "report" if ask.intent in REPORT_INTENTS else "chart"
        text, blocks = add_note(answer.text, answer.blocks, file_note(kind, failure, ask.language))
        return replace(answer, text=text, blocks=blocks)
    return replace(answer, files=made)


def _from(
    rendered: Rendered, intent: str, project: str | None, lang: str, *, ephemeral: bool = False
) -> Answer:
    return Answer(intent, project, lang, rendered.text, rendered.blocks, ephemeral)


def _error_answer(
    intent: str,
    lang: str,
    project: str | None,
    message: str,
    *,
    suggestions: Iterable[str] = (),
    code: str = "error",
) -> Answer:
    rendered = render_error(message, lang=lang, suggestions=tuple(suggestions))
    return Answer(intent, project, lang, rendered.text, rendered.blocks, ephemeral=True, error=code)


def _guarded(intent: str, lang: str, typed: Iterable[str | None], build: Callable[[], Answer]) -> Answer:
    try:
        return build()
    except Exception as error:
        return _failure(error, intent, lang, typed)


def _failure(error: Exception, intent: str, lang: str, typed: Iterable[str | None]) -> Answer:
    """Every way of failing, as a reply: friendly for our errors, an apology (and a log) for bugs."""
    if isinstance(error, CommandError):  # the sentence names its suggestions itself
        message = describe_command_error(error, lang)
        return _error_answer(intent, lang, None, message, code=error.code)
    if isinstance(error, ContextaError):
        message, suggestions = describe_error(error, lang, typed)
        return _error_answer(intent, lang, None, message, suggestions=suggestions, code=error.code)
    logger.error("Unexpected error while answering %s", intent, exc_info=error)
    rendered = render_apology(lang)
    return Answer(intent, None, lang, rendered.text, rendered.blocks, ephemeral=True, error="internal")
