"""Defaults, vocabularies and delivery states shared by the digest modules."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..errors import NotFoundError, QueryError

if TYPE_CHECKING:
    pass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
DEFAULT_WEEKDAY = "mon"
DEFAULT_TIME = "09:00"
DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_LANGUAGE = "en"
DEFAULT_PERIOD = timedelta(days=7)
DEFAULT_LEASE = timedelta(minutes=10)
WORKSPACE_SCOPE = "workspace"
TIMEZONE_KEY = "digest_timezone"

ACTIVE, PAUSED = "active", "paused"
CLAIMED, POSTING, PENDING = "claimed", "posting", "pending"
DELIVERED, FAILED, UNCERTAIN, SUPERSEDED = "delivered", "failed", "uncertain", "superseded"
OPEN_STATES = (CLAIMED, POSTING, PENDING)

_WEEKDAY_WORDS = {
    **{name: name for name in WEEKDAYS},
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "월": "mon",
    "화": "tue",
    "수": "wed",
    "목": "thu",
    "금": "fri",
    "토": "sat",
    "일": "sun",
    **{f"{k}요일": v for k, v in zip("월화수목금토일", WEEKDAYS, strict=True)},
}
_ZONE_ALIASES = {"kst": "Asia/Seoul", "jst": "Asia/Tokyo", "z": "UTC", "gmt": "UTC", "utc": "UTC"}


class DigestScheduleError(QueryError):
    """A weekday, time of day or language a person typed is not usable."""

    code = "invalid_schedule"


class UnknownTimezoneError(NotFoundError):
    code = "unknown_timezone"


class UnknownSubscriptionError(NotFoundError):
    code = "unknown_subscription"
