"""``/contexta watch …`` and ``/contexta unwatch …`` as plain functions: parse → core → reply.

    watch [project] [new-best] [deployments] [failures] [regressions] [--metric M]
    watch list
    unwatch [project]

A project left out is the channel's default (``/contexta use``). Watches belong to the team and
channel the command came from, and alerts are posted in the language the watch was made in.
Confirmations are posted in the channel (everyone there will get the alerts); lists, refusals and
errors go to the asker alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.rendering import format as fmt
from bot.rendering.alerts import render_not_watching, render_unwatched, render_watch_list, render_watched
from bot.rendering.blocks import finish, section
from bot.rendering.i18n import t
from contexta_core.alerts import DEFAULT_KINDS
from contexta_core.ask.commands import USAGE, ParsedCommand, parse_watch_args
from contexta_core.errors import AmbiguousMetricError
from contexta_core.tenancy import Tenant


@dataclass(frozen=True)
class WatchReply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = True
    project: str | None = None


def watchable_project(ctx: Any, given: str, *, tenant: Tenant, user_id: str | None) -> str:
    """The stored name of the project a watch names, or the not-found error every command gives.

    The one place a watch checks its project: the check "may this viewer see this project?"
    (team access rules) belongs here too, so a project hidden from the asker reads as unknown."""
    return ctx.resolve_project_name(given)


def handle_watch_command(
    ctx: Any,
    parsed: ParsedCommand,
    *,
    tenant: Tenant,
    channel_id: str | None,
    user_id: str | None,
    language: str,
    channel_default: str | None = None,
) -> WatchReply:
    """Run a parsed ``watch``/``unwatch``; raises ``CommandError``/``ContextaError`` for the one
    error boundary (``bot.answers``) to word."""
    if not channel_id:
        return _reply(t(language, "watch_command.needs_channel"))
    if parsed.subcommand == "unwatch":
        return _unwatch(ctx, parsed, tenant, channel_id, user_id, language, channel_default)
    args = parse_watch_args(parsed)
    if args.action == "list":
        rendered = render_watch_list(ctx.alerts.watches(tenant=tenant, channel=channel_id), lang=language)
        return WatchReply(rendered.text, rendered.blocks)
    given = args.project or channel_default
    if not given:
        return _reply(t(language, "watch_command.needs_project", usage=fmt.code(USAGE["watch"], 200)))
    project = watchable_project(ctx, given, tenant=tenant, user_id=user_id)
    metric = parsed.metric
    if metric is not None:
        metric = _checked_metric(ctx, project, metric)
    watch, created = ctx.alerts.watch(
        tenant=tenant,
        channel=channel_id,
        project=project,
        kinds=args.kinds or DEFAULT_KINDS,
        metric_key=metric,
        language=language,
        created_by=user_id,
    )
    rendered = render_watched(watch, created=created, lang=language)
    return WatchReply(rendered.text, rendered.blocks, ephemeral=False, project=project)


def _unwatch(
    ctx: Any,
    parsed: ParsedCommand,
    tenant: Tenant,
    channel_id: str,
    user_id: str | None,
    language: str,
    channel_default: str | None,
) -> WatchReply:
    given = parsed.args[0] if parsed.args else channel_default
    watched = ctx.alerts.watches(tenant=tenant, channel=channel_id)
    if not given and len(watched) == 1:  # the channel watches one project: that is the one meant
        given = watched[0].project_name
    if not given:
        return _reply(t(language, "watch_command.needs_project", usage=fmt.code(USAGE["unwatch"], 200)))
    removed = ctx.alerts.unwatch(tenant=tenant, channel=channel_id, project=given)
    if removed is None:
        project = watchable_project(ctx, given, tenant=tenant, user_id=user_id)
        rendered = render_not_watching(project, [w.project_name for w in watched], lang=language)
        return WatchReply(rendered.text, rendered.blocks, project=project)
    rendered = render_unwatched(removed.project_name, lang=language)
    return WatchReply(rendered.text, rendered.blocks, ephemeral=False, project=removed.project_name)


def _checked_metric(ctx: Any, project: str, metric: str) -> str:
    """``--metric`` as the project records it; an unknown one is refused with the known names
    (while the project records no metric at all, any name is taken: runs may bring it later)."""
    if not ctx.vocabulary().metrics_of(project):
        return metric
    try:
        scope, _ = ctx.resolve_scope(project, metric)
    except AmbiguousMetricError:  # recorded in several stages: the alert judges in the project's stage
        return metric
    return scope.metric_key


def _reply(message: str) -> WatchReply:
    rendered = finish([section(message)], message)
    return WatchReply(rendered.text, rendered.blocks)
