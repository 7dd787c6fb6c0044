"""``/contexta access …``: restrict a project to channels, open it again, show its rules.

Changing access is for workspace admins and owners (``users.info``) and the people named in
CONTEXTA_ACCESS_ADMINS; the check comes before anything else, so a refusal says nothing about
the project named. Admins manage every project (they may add themselves to any channel anyway);
anyone else's ``access show`` sees only the projects they may see where they ask, and a hidden
project reads as one that does not exist. Replies go to the asker alone: rules name channels and
projects a channel's other members may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.access.slack_facts import ADMIN_SETTING, SlackAccess
from bot.rendering import format as fmt
from bot.rendering.access import (
    render_access_change,
    render_access_list,
    render_access_show,
    render_access_usage,
)
from bot.rendering.blocks import Rendered
from bot.rendering.i18n import t
from contexta_core.access import AccessChange, VisibleContexta
from contexta_core.ask.commands import parse_access_command
from contexta_core.errors import ContextaError
from contexta_core.tenancy import Tenant

SLACK = "slack"


@dataclass(frozen=True)
class AccessAsker:
    """Who runs the command, in which team, and how to ask Slack about them; ``contexta`` is the
    whole workspace (the asker's answers come from what they may see of it)."""

    contexta: Any
    tenant: Tenant
    user: str | None
    client: Any
    slack: SlackAccess


def handle_access_command(
    seen: VisibleContexta, args: Sequence[str], asker: AccessAsker, lang: str
) -> Rendered:
    """Run ``access <args…>``; ``seen`` is what the asker may see of the workspace. Raises
    CommandError / ContextaError for the one error boundary (``bot.answers``) to word."""
    command = parse_access_command(args)
    contexta = asker.contexta
    if command.action == "help":
        return render_access_usage(lang)
    tenant, client, slack = asker.tenant, asker.client, asker.slack
    if command.action == "show":  # when Slack cannot tell, the asker's own view (fails closed)
        view = contexta if slack.is_admin(client, tenant, asker.user) else seen
        if command.project is None:
            visible = set(view.list_projects())
            rules = [rule for name, rule in contexta.access.restricted(tenant).items() if name in visible]
            return render_access_list(rules, len(visible) - len(rules), lang)
        name = view.resolve_project_name(command.project)
        history = contexta.access.history(tenant, name)
        return render_access_show(contexta.access.of(tenant, name), history, _author(asker, lang), lang)
    if not slack.is_admin(client, tenant, asker.user, strict=True):
        raise ContextaError(
            "only workspace admins and owners may change who sees a project",
            code="access_admins_only",
            details={"setting": ADMIN_SETTING},
        )
    name = contexta.resolve_project_name(command.project)
    subscriber = slack.subscriber(client, tenant)
    actor = asker.user or ""
    if command.action == "open":
        change = contexta.access.open(tenant, name, actor=actor, surface=SLACK, subscriber=subscriber)
    else:
        channels = [slack.find_channel(client, tenant, typed) for typed in command.channels]
        groups = [slack.find_usergroup(client, tenant, typed) for typed in command.usergroups]
        change = contexta.access.restrict(
            tenant, name, channels, groups, actor=actor, surface=SLACK, subscriber=subscriber
        )
    return render_access_change(_with_channel_names(change, asker), lang)


def _author(asker: AccessAsker, lang: str):
    def who(change: AccessChange) -> str:
        if change.surface != SLACK:
            return t(lang, "access.by_operator", who=fmt.code(change.actor))
        return fmt.code(asker.slack.user_label(asker.client, asker.tenant, change.actor))

    return who


def _with_channel_names(change: AccessChange, asker: AccessAsker) -> AccessChange:
    """The paused / resumed subscriptions' targets as people know them (``#name``, a DM)."""

    def shown(targets: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(asker.slack.channel_label(asker.client, asker.tenant, target) for target in targets)

    return replace(
        change,
        paused=shown(change.paused),
        resumed=shown(change.resumed),
        paused_watches=shown(change.paused_watches),
        resumed_watches=shown(change.resumed_watches),
    )
