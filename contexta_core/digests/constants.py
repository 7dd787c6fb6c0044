"""Defaults, vocabularies and delivery states shared by the digest modules."""

from __future__ import annotations

from datetime import timedelta

from ..errors import NotFoundError, QueryError

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


class DigestScheduleError(QueryError):
    """A weekday, time of day or language a person typed is not usable."""

    code = "invalid_schedule"


class UnknownTimezoneError(NotFoundError):
    code = "unknown_timezone"


class UnknownSubscriptionError(NotFoundError):
    code = "unknown_subscription"
