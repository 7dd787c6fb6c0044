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

ADOPTION = "contexta_adoption"  # BoltContext key: waits until the process knows its team (middleware)


def tenant_of(context: Any) -> Tenant:
    """The request's tenant, for a listener (after the ack): first it waits until the rows written
    before teams are adopted for this team (``bot.middleware.learn_team``), so the first request
    after an upgrade already reads them under its team."""
    ready = context.get(ADOPTION) if hasattr(context, "get") else None
    if ready is not None:
        ready()
    return request_tenant(context)


def request_tenant(context: Any) -> Tenant:
    """The request's tenant as the request names it, without waiting: for middleware, which runs
    before the ack and must never wait for a database write."""
    get = context.get if hasattr(context, "get") else lambda name: getattr(context, name, None)
    authorized = get("authorize_result")
    team = getattr(authorized, "team_id", None) or get("team_id")
    enterprise = getattr(authorized, "enterprise_id", None) or get("enterprise_id")
    if get("is_enterprise_install") and enterprise:
        return Tenant.of(None, enterprise)
    return Tenant.of(team, enterprise)
