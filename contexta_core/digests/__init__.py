"""Weekly digests: subscriptions, when they are due, once-only delivery claims, and the summary.

A subscription posts one project's digest to one *target* (for Slack, a channel id) every week at
a local wall-clock time (weekday, ``HH:MM``, IANA zone). Fire times are computed with ``zoneinfo``
from the local time each week, so a Monday 09:00 Europe/Berlin digest fires at 09:00 local on both
sides of a DST change. Each fire belongs to a *period* keyed by the ISO week of its local date.

Exactly once per subscription and period: a delivery row is inserted under the unique key
(subscription, period) before anything is posted; only the process whose insert won may post.
The row then moves through these states::

    claimed ──begin_attempt──▶ posting ──mark_delivered──▶ delivered
       ▲                         │ ──end_attempt (failed, retry now)──▶ claimed
       │                         │ ──defer_delivery──▶ pending ──(next_attempt_at ≤ now)──▶ claimed
       │                         │ ──fail_delivery──▶ failed   (optionally pausing the subscription)
       └── expired lease (holder died before posting) is taken over by the next claim pass
    posting with an expired lease ─▶ uncertain   (the holder died mid-post: never posted again)
    claimed/pending of an older period when a newer one is claimed ─▶ superseded

A holder that dies before posting loses nothing (its lease expires and another process takes the
claim over); one that dies while its post is in flight cannot know whether Slack received it, so
that period is marked ``uncertain`` and shown in ``digest list`` rather than risk a second post.

Time is UTC inside; zones are applied only to the schedule. Nothing here knows about Slack.
Callers go through ``Contexta.digests`` (``Digests``); the modules take the ``Database``.
"""

from ..language import LANGUAGES
from .constants import (
    ACTIVE,
    CLAIMED,
    DEFAULT_LANGUAGE,
    DEFAULT_LEASE,
    DEFAULT_PERIOD,
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAY,
    DELIVERED,
    FAILED,
    OPEN_STATES,
    PAUSED,
    PENDING,
    POSTING,
    SUPERSEDED,
    TIMEZONE_KEY,
    UNCERTAIN,
    WEEKDAYS,
    WORKSPACE_SCOPE,
    DigestScheduleError,
    UnknownSubscriptionError,
    UnknownTimezoneError,
)
from .deliveries import ClaimPass, DeliveryClaim
from .facade import Digests
from .schedule import (
    next_fire_time,
    parse_language,
    parse_time_of_day,
    parse_timezone,
    parse_weekday,
    period_key,
    previous_fire_time,
)
from .subscriptions import Subscription, SubscriptionStatus
from .summary import DigestRun, DigestSummary

__all__ = [
    "ACTIVE",
    "CLAIMED",
    "DEFAULT_LANGUAGE",
    "DEFAULT_LEASE",
    "DEFAULT_PERIOD",
    "DEFAULT_TIME",
    "DEFAULT_TIMEZONE",
    "DEFAULT_WEEKDAY",
    "DELIVERED",
    "FAILED",
    "LANGUAGES",
    "OPEN_STATES",
    "PAUSED",
    "PENDING",
    "POSTING",
    "SUPERSEDED",
    "TIMEZONE_KEY",
    "UNCERTAIN",
    "WEEKDAYS",
    "WORKSPACE_SCOPE",
    "ClaimPass",
    "DeliveryClaim",
    "DigestRun",
    "DigestScheduleError",
    "DigestSummary",
    "Digests",
    "Subscription",
    "SubscriptionStatus",
    "UnknownSubscriptionError",
    "UnknownTimezoneError",
    "next_fire_time",
    "parse_language",
    "parse_time_of_day",
    "parse_timezone",
    "parse_weekday",
    "period_key",
    "previous_fire_time",
]
