"""The vocabulary of project access and the one rule: may this viewer see this project?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol

CHANNEL, USERGROUP = "channel", "usergroup"
ACCESS_PAUSE_CODE = "access_restricted"
# Stored as a digest subscription's pause reason; the code in the code span lets a surface word it.
ACCESS_PAUSE_REASON = f"the project is no longer shared with this channel (`{ACCESS_PAUSE_CODE}`)"
# Stored when a restricted project's digest falls due somewhere private to one person (their DM with
# the bot) and that person may no longer see the project: asked at every post, since they can leave
# the project's channels and user groups without any rule changing.
OWNER_PAUSE_CODE = "owner_access_lost"
OWNER_PAUSE_REASON = (
    f"the person this digest is for is no longer in any of the project's channels or user groups "
    f"(`{OWNER_PAUSE_CODE}`)"
)
# The same, stored on an alert watch made in someone's own DM (the surface words it as a watch's).
OWNER_WATCH_PAUSE_REASON = (
    f"the person these alerts are for is no longer in any of the project's channels or user groups "
    f"(`{OWNER_PAUSE_CODE}`)"
)
ACCESS_PAUSE_CODES = (ACCESS_PAUSE_CODE, OWNER_PAUSE_CODE)


@dataclass(frozen=True, slots=True)
class Target:
    """A channel or user group a project is restricted to: an opaque id and its name for showing."""

    kind: str  # CHANNEL | USERGROUP
    id: str
    name: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class ProjectAccess:
    """Who may see one project in one tenant; no channels means open to the whole workspace."""

    project: str
    project_ref: str
    channels: tuple[Target, ...] = ()
    usergroups: tuple[Target, ...] = ()

    @property
    def restricted(self) -> bool:
        return bool(self.channels)

    def snapshot(self) -> dict[str, list[dict[str, str | None]]]:
        """The rules as stored in the audit trail (before / after a change)."""
        return {
            "channels": [t.to_dict() for t in self.channels],
            "usergroups": [t.to_dict() for t in self.usergroups],
        }


@dataclass(frozen=True, slots=True)
class AccessChange:
    """One recorded change (``access show`` lists them), or the outcome of one just made: which
    digest subscriptions and alert watches it paused (lost access) or resumed (got it back)."""

    project: str
    action: str  # restrict | open
    actor: str
    surface: str
    changed_at: datetime
    before: ProjectAccess
    after: ProjectAccess
    changed: bool = True  # False: the rules already were so; nothing was recorded
    paused: tuple[str, ...] = ()  # targets (channels) whose digest subscriptions were paused
    resumed: tuple[str, ...] = ()
    paused_watches: tuple[str, ...] = ()  # channels whose alert watches were paused
    resumed_watches: tuple[str, ...] = ()


class Membership(Protocol):
    """What the chat platform knows about one person (a surface implements it, with caching)."""

    def in_channel(self, channel_id: str) -> bool: ...

    def in_usergroup(self, usergroup_id: str) -> bool: ...


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and where.

    ``channel`` is the shared conversation the answer appears in (a channel, a group DM); None
    means somewhere private to ``user`` (their DM with the bot, the App Home), where their
    ``membership`` decides. An ``operator`` (the CLI) sees everything.
    """

    channel: str | None = None
    user: str | None = None
    membership: Membership | None = field(default=None, compare=False)
    operator: bool = False

    OPERATOR: ClassVar[Viewer]

    @classmethod
    def in_channel(cls, channel: str, user: str | None = None) -> Viewer:
        return cls(channel=channel, user=user)

    @classmethod
    def in_private(cls, user: str, membership: Membership) -> Viewer:
        return cls(channel=None, user=user, membership=membership)


Viewer.OPERATOR = Viewer(operator=True)


def paused_for_access(reason: str | None) -> bool:
    """Whether a stored pause reason is a loss of access (which resumes by itself once the reader
    may see the project again), not a failure someone has to fix."""
    return any(code in (reason or "") for code in ACCESS_PAUSE_CODES)


def may_see(access: ProjectAccess | None, viewer: Viewer) -> bool:
    """Open projects: everyone. Restricted ones: in one of their channels; in private, members of
    one of their channels or user groups; nowhere else (a channel member asking in #random sees
    nothing there, since everyone in #random would read the answer)."""
    if viewer.operator or access is None or not access.restricted:
        return True
    if viewer.channel is not None:
        return any(viewer.channel == c.id for c in access.channels)
    member = viewer.membership
    if member is None or not viewer.user:
        return False
    return any(member.in_channel(c.id) for c in access.channels) or any(
        member.in_usergroup(g.id) for g in access.usergroups
    )
