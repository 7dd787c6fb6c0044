"""Whose state is this: the chat workspace (team) and, on Enterprise Grid, its organisation.

Every table that stores chat-side state (channel defaults, digest subscriptions, claims,
conversation context, preferences, watches, alert state, "last seen" marks, access rules) carries
two columns, ``team_id`` and ``enterprise_id`` (``''`` when absent), and every read filters on both,
so two workspaces sharing one database never see each other's rows even when channel ids collide.

The core never learns Slack: a ``Tenant`` is two opaque strings handed in by a surface. The bot
builds one from Bolt's context (``bot/tenancy.py``); the CLI takes ``--team`` or the only team
the workspace knows. ``Tenant.LEGACY`` (both empty) owns rows written before teams existed until
the single-workspace bot adopts them for its own team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Tenant:
    team_id: str = ""
    enterprise_id: str = ""

    LEGACY: ClassVar[Tenant]

    @classmethod
    def of(cls, team_id: str | None, enterprise_id: str | None = None) -> Tenant:
        return cls(team_id or "", enterprise_id or "")

    @classmethod
    def parse(cls, key: str) -> Tenant:
        """The tenant ``key`` names (``T1``, ``E1:T1``, or ``E1:`` for an organisation-wide install)."""
        enterprise, _, team = key.strip().rpartition(":")
        return cls(team.strip(), enterprise.strip())

    @property
    def key(self) -> str:
        """A stable string form for composite keys (claim keys, cache keys, ``--team``): ``E1:T1``
        or ``T1``; ``Tenant.parse`` reads it back."""
        return f"{self.enterprise_id}:{self.team_id}" if self.enterprise_id else self.team_id

    def columns(self) -> dict[str, str]:
        """The two column values, for inserts and ``where`` clauses."""
        return {"team_id": self.team_id, "enterprise_id": self.enterprise_id}


Tenant.LEGACY = Tenant()
