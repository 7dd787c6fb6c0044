"""The ``Tenant`` (Slack team, Enterprise Grid organisation) a request belongs to, from Bolt's context.

The tenant is the installation whose token answers the request: Bolt's authorize result (the
token's own ``auth.test``: in token mode always the bot's team, in OAuth mode the installation
found for the request), else the ids in the request body. An organisation-wide install
(``is_enterprise_install``) is one bot for every workspace of the organisation, whose channel ids
are unique across it, so the organisation alone is the key there.
"""

from __future__ import annotations

from typing import Any

from contexta_core.tenancy import Tenant


def tenant_of(context: Any) -> Tenant:
    get = context.get if hasattr(context, "get") else lambda name: getattr(context, name, None)
    authorized = get("authorize_result")
    team = getattr(authorized, "team_id", None) or get("team_id")
    enterprise = getattr(authorized, "enterprise_id", None) or get("enterprise_id")
    if get("is_enterprise_install") and enterprise:
        return Tenant.of(None, enterprise)
    return Tenant.of(team, enterprise)
