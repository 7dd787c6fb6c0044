"""The ``Tenant`` (Slack team, Enterprise Grid organisation) a request belongs to, from Bolt's context."""

from __future__ import annotations

from typing import Any

from contexta_core.tenancy import Tenant


def tenant_of(context: Any) -> Tenant:
    """Bolt fills ``team_id`` / ``enterprise_id`` from every request body; an org-wide install may
    leave ``team_id`` empty, in which case the organisation alone is the key."""
    get = context.get if hasattr(context, "get") else lambda name: getattr(context, name, None)
    return Tenant.of(get("team_id"), get("enterprise_id"))
