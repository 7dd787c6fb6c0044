"""A channel's default project (`/contexta use`), kept as a core preference of the channel's team so
every worker sees it, and a channel id another team also has never shares it."""

from __future__ import annotations

import logging

from contexta_core import Contexta
from contexta_core.access import VisibleContexta
from contexta_core.tenancy import Tenant

KEY = "default_project"
logger = logging.getLogger(__name__)


def channel_scope(channel_id: str) -> str:
    """The preference scope of a Slack channel (DMs are channels too)."""
    return f"slack-channel:{channel_id}"


def channel_default_project(ctx: Contexta, channel_id: str | None, tenant: Tenant) -> str | None:
    """The project set for this channel, if any; a failing read means "none", never an error."""
    if not channel_id:
        return None
    try:
        value = ctx.get_preference(channel_scope(channel_id), KEY, tenant=tenant)
    except Exception:
        logger.exception("Could not read the default project of a channel")
        return None
    return value if isinstance(value, str) and value else None


def set_channel_default_project(ctx: Contexta, channel_id: str, project: str, tenant: Tenant) -> None:
    ctx.set_preference(channel_scope(channel_id), KEY, project, tenant=tenant)


def visible_channel_default(seen: VisibleContexta, channel_id: str | None, tenant: Tenant) -> str | None:
    """The channel's default project when the asker may see it there; a default whose project has
    since been restricted away from them reads as no default (it is never named back)."""
    project = channel_default_project(seen, channel_id, tenant)
    return project if project is not None and seen.may_see(project) else None
