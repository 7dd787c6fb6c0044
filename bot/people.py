"""A person's Slack time zone (``users.info``), so times in answers read on their own clock.

Looked up only when an answer shows times (news), kept for an hour per person and team, and
never a reason to fail: without ``users:read`` or when Slack does not answer, times are UTC.
"""

from __future__ import annotations

import logging
import threading
import time
import zoneinfo
from typing import Any

from bot.tenancy import tenant_of
from contexta_core.news import Viewer
from contexta_core.tenancy import Tenant

logger = logging.getLogger(__name__)
KEEP_SECONDS = 3600.0
FALLBACK = "UTC"
_zones: dict[tuple[str, str], tuple[float, str]] = {}
_lock = threading.Lock()


def user_timezone(client: Any, tenant: Tenant, user_id: str | None) -> str:
    """The IANA zone Slack has for ``user_id`` (``UTC`` when unknown or unreadable)."""
    if not user_id or client is None:
        return FALLBACK
    key = (tenant.key, user_id)
    now = time.monotonic()
    with _lock:
        cached = _zones.get(key)
    if cached and now - cached[0] < KEEP_SECONDS:
        return cached[1]
    zone = FALLBACK
    try:
        found = (client.users_info(user=user_id).get("user") or {}).get("tz")
        if isinstance(found, str) and found in zoneinfo.available_timezones():
            zone = found
    except Exception as error:  # missing scope, Slack down: the answer still goes out, in UTC
        logger.info("No time zone for a user (%s); showing UTC", type(error).__name__)
    with _lock:
        _zones[key] = (now, zone)
    return zone


def asker(context: Any, user: str | None, client: Any) -> dict[str, Any]:
    """Who asks (their team and id, for "what's new" marks) and how to find their time zone."""
    if not user:
        return {}
    tenant = tenant_of(context)
    return {"viewer": Viewer(tenant, user), "zone_of": lambda: user_timezone(client, tenant, user)}
