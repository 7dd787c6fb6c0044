"""Who reads a post at a target, asked of the surface at posting time (digests and alerts alike).

A restricted project is posted only where whoever reads it may see it. A shared channel's
members may when the channel is one of the project's; the one person a DM belongs to may while
they are in one of its channels or user groups, which can change with no rule changing (they
leave the channel). So the delivery loops ask before every post of a restricted project, through
the poster's ``reader(tenant)``: the surface knows who reads its targets, the core does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..tenancy import Tenant
from .rules import ACCESS_PAUSE_REASON, ProjectAccess, Viewer, may_see

Reader = Callable[[str, str | None], Viewer]  # (target, made there by) -> who reads a post there


def channel_reader(target: str, _created_by: str | None) -> Viewer:
    """Who reads a target when the poster cannot say: the target is a shared channel."""
    return Viewer.in_channel(target)


def reader_of(poster: Any, tenant: Tenant) -> Reader:
    """The poster's ``reader(tenant)`` (a surface that knows who reads its targets has one; it may
    raise ``PostFailed`` when it cannot ask), else every target is a shared channel."""
    reader = getattr(poster, "reader", None)
    return reader(tenant) if reader is not None else channel_reader


def unseen_reason(rules: ProjectAccess | None, viewer: Viewer, *, private: str) -> str | None:
    """Why ``viewer`` may not read a post of the project ``rules`` restricts (the pause reason to
    store: ``private`` for one person's own target, else ``ACCESS_PAUSE_REASON``), or None when
    they may."""
    if may_see(rules, viewer):
        return None
    return private if viewer.channel is None else ACCESS_PAUSE_REASON
