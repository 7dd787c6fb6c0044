"""Project visibility: which projects a chat viewer may see, and the rules that say so.

A project is open to everyone in a chat workspace (a ``Tenant``) until it is restricted to
channels (and optionally user groups). A restricted project is seen only *in* its channels, and
somewhere private to one person (their DM with the bot, the App Home) only by members of one of
its channels or user groups; everywhere else it does not exist: listings, vocabulary, typo
suggestions and errors read exactly as if it had never been recorded.

The core holds the rules and the audit trail; it knows nothing of Slack. A surface describes who
is asking as a ``Viewer`` and supplies the membership facts (``Membership``) it gets from its chat
platform; ``Contexta.as_seen_by`` then gives the workspace as that viewer may see it. The CLI is the
operator's view (``Viewer.OPERATOR``): anyone who can open the database sees everything.
"""

from .rules import (
    ACCESS_PAUSE_CODE,
    ACCESS_PAUSE_CODES,
    ACCESS_PAUSE_REASON,
    CHANNEL,
    OWNER_PAUSE_CODE,
    OWNER_PAUSE_REASON,
    OWNER_WATCH_PAUSE_REASON,
    USERGROUP,
    AccessChange,
    Membership,
    ProjectAccess,
    Target,
    Viewer,
    may_see,
    paused_for_access,
)
from .store import AccessRules
from .view import VisibleContexta

__all__ = [
    "ACCESS_PAUSE_CODE",
    "ACCESS_PAUSE_CODES",
    "ACCESS_PAUSE_REASON",
    "CHANNEL",
    "OWNER_PAUSE_CODE",
    "OWNER_PAUSE_REASON",
    "OWNER_WATCH_PAUSE_REASON",
    "USERGROUP",
    "AccessChange",
    "AccessRules",
    "Membership",
    "ProjectAccess",
    "Target",
    "Viewer",
    "VisibleContexta",
    "may_see",
    "paused_for_access",
]
