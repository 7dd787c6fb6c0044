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
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, or_, select, text, update

from .errors import NotFoundError, QueryError
from .queries.best import _stage_key
from .queries.lookup import resolve_project
from .queries.onboarding import get_project_defaults
from .queries.trend import locate_metric
from .results import DeploymentRecord
from .store import schema as t
from .store.engine import Database
from .store.preferences import PreferenceStore
from .store.sql import chunked, dialect_insert

if TYPE_CHECKING:
    from .client import Contexta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
LANGUAGES = ("en", "ko")
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


# -- schedule parsing and fire times ----------------------------------------------------------------


def parse_weekday(text: str) -> str:
    """``mon`` … ``sun`` from English or Korean day names (``Monday``, ``월``, ``월요일``)."""
    key = (text or "").strip().casefold().rstrip(".")
    if key in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[key]
    raise DigestScheduleError(
        f"`{_echo(text)}` is not a day of the week; use one of {', '.join(f'`{d}`' for d in WEEKDAYS)}"
    )


def parse_time_of_day(text: str) -> str:
    """``HH:MM`` (24-hour) from ``9:00``, ``09:00``, ``0900``, ``9am`` or ``6:30pm``."""
    raw = (text or "").strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?", raw)
    if match and (match.group(2) is not None or match.group(3)):
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return f"{hour:02d}:{minute:02d}"
    raise DigestScheduleError(f"`{_echo(text)}` is not a time of day; use 24-hour `HH:MM`, e.g. `09:00`")


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def parse_timezone(text: str) -> str:
    """The canonical IANA name for ``text`` (any case, a unique city such as ``Berlin`` or ``New York``).

    Unknown names raise ``UnknownTimezoneError`` with the closest zones as suggestions.
    """
    raw = (text or "").strip()
    if not raw:
        raise UnknownTimezoneError("no time zone given; use an IANA name such as `Asia/Seoul`")
    names = _zone_names()
    by_lower = {name.lower(): name for name in names}
    key = raw.lower().replace(" ", "_")
    if key in by_lower:
        return by_lower[key]
    if key in _ZONE_ALIASES:
        return _ZONE_ALIASES[key]
    cities = [name for name in names if "/" in name and name.rsplit("/", 1)[1].lower() == key]
    if len(cities) == 1:
        return cities[0]
    from rapidfuzz import fuzz, process, utils

    matches = process.extract(raw, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=5)
    top = matches[0][1] if matches else 0
    suggestions = [name for name, score, _ in matches if score >= max(60, top - 5)][:3]
    tail = (
        f"; did you mean {' or '.join(f'`{s}`' for s in suggestions)}?"
        if suggestions
        else "; use an IANA name such as `Asia/Seoul` or `Europe/Berlin`"
    )
    raise UnknownTimezoneError(f"unknown time zone `{_echo(raw)}`{tail}", suggestions=suggestions)


def parse_language(text: str) -> str:
    key = (text or "").strip().casefold()
    key = {"english": "en", "korean": "ko", "kr": "ko", "한국어": "ko", "영어": "en"}.get(key, key)
    if key in LANGUAGES:
        return key
    raise DigestScheduleError(f"`{_echo(text)}` is not a digest language; use `en` or `ko`")


def _local_fire(day: date, hh_mm: str, zone: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of ``hh_mm`` on local ``day``.

    A wall time skipped by a DST jump (02:30 on a spring-forward night) fires at the same offset
    as just before the jump, i.e. one hour later on the new clock; a repeated wall time (autumn)
    fires at its first occurrence. Both follow ``zoneinfo``'s fold=0 rule.
    """
    hour, minute = (int(part) for part in hh_mm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def next_fire_time(weekday: str, hh_mm: str, tz: str, after: datetime) -> datetime:
    """The first weekly fire time strictly after ``after`` (aware), in UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    target = WEEKDAYS.index(weekday)
    local_day = _aware(after).astimezone(zone).date() - timedelta(days=1)
    local_day += timedelta(days=(target - local_day.weekday()) % 7)
    while True:
        fire = _local_fire(local_day, hh_mm, zone)
        if fire > after:
            return fire
        local_day += timedelta(days=7)


def previous_fire_time(weekday: str, hh_mm: str, tz: str, at: datetime) -> datetime:
    """The latest weekly fire time at or before ``at`` (aware), in UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    target = WEEKDAYS.index(weekday)
    local_day = _aware(at).astimezone(zone).date() + timedelta(days=1)
    local_day -= timedelta(days=(local_day.weekday() - target) % 7)
    while True:
        fire = _local_fire(local_day, hh_mm, zone)
        if fire <= at:
            return fire
        local_day -= timedelta(days=7)


def period_key(fire_time: datetime, tz: str) -> str:
    """``2026-W13``: the ISO week of the fire's local date (one digest per week per subscription)."""
    year, week, _ = _aware(fire_time).astimezone(zoneinfo.ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime; digest times must be timezone-aware")
    return moment


def _echo(text: object) -> str:
    cleaned = " ".join(str(text).replace("`", "").replace("<", "‹").replace(">", "›").split())
    return cleaned if len(cleaned) <= 60 else cleaned[:59] + "…"


# -- subscriptions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    target: str
    project_ref: str
    project_name: str
    weekday: str
    time_of_day: str
    timezone: str
    language: str
    status: str
    paused_reason: str | None
    paused_at: datetime | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    schedule_from: datetime

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    def next_fire_time(self, after: datetime) -> datetime:
        return next_fire_time(self.weekday, self.time_of_day, self.timezone, after)

    def previous_fire_time(self, at: datetime) -> datetime:
        return previous_fire_time(self.weekday, self.time_of_day, self.timezone, at)


@dataclass(frozen=True, slots=True)
class SubscriptionStatus:
    """A subscription as ``digest list`` shows it: what comes next and what went wrong last."""

    subscription: Subscription
    next_fire_at: datetime | None  # None while paused
    last_delivered_at: datetime | None = None
    last_delivered_period: str | None = None
    retry_at: datetime | None = None  # a failed post waiting for its next attempt
    last_error: str | None = None  # of the newest period not delivered (retrying, failed, uncertain)
    problem_period: str | None = None
    problem_state: str | None = None


def _db(source: Contexta | Database) -> Database:
    return source if isinstance(source, Database) else source.database


def _bookkeeping(db: Database):
    """A write transaction for digest state, which changes no answer: cached answers stay valid."""
    return db.writing(bump_version=False)


def _subscription_select():
    s, p = t.digest_subscriptions, t.projects
    return select(s, func.coalesce(p.c.name, s.c.project_ref).label("project_name")).outerjoin(
        p, p.c.ref == s.c.project_ref
    )


def _subscription(row: Any) -> Subscription:
    m = row._mapping
    return Subscription(
        id=m["id"],
        target=m["target"],
        project_ref=m["project_ref"],
        project_name=m["project_name"],
        weekday=m["weekday"],
        time_of_day=m["time_of_day"],
        timezone=m["timezone"],
        language=m["language"],
        status=m["status"],
        paused_reason=m["paused_reason"],
        paused_at=m["paused_at"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        schedule_from=m["schedule_from"],
    )


def workspace_timezone(source: Contexta | Database) -> tuple[str, bool]:
    """(zone, True) when the workspace set a digest zone, else (``Asia/Seoul``, False)."""
    stored = PreferenceStore(_db(source)).get(WORKSPACE_SCOPE, TIMEZONE_KEY)
    if isinstance(stored, str) and stored in _zone_names():
        return stored, True
    return DEFAULT_TIMEZONE, False


def set_workspace_timezone(source: Contexta | Database, zone: str | None) -> str | None:
    """Set (or with None, clear) the zone new subscriptions use when they name none."""
    store = PreferenceStore(_db(source))
    if zone is None:
        store.delete(WORKSPACE_SCOPE, TIMEZONE_KEY)
        return None
    canonical = parse_timezone(zone)
    store.set(WORKSPACE_SCOPE, TIMEZONE_KEY, canonical)
    return canonical


def subscribe(
    source: Contexta | Database,
    *,
    target: str,
    project: str,
    weekday: str = DEFAULT_WEEKDAY,
    time_of_day: str = DEFAULT_TIME,
    timezone: str = DEFAULT_TIMEZONE,
    language: str = DEFAULT_LANGUAGE,
    created_by: str | None = None,
    now: datetime | None = None,
) -> tuple[Subscription, bool]:
    """Create the (target, project) subscription or update its schedule; True when it is new.

    Subscribing again also resumes a paused subscription. A new, resumed or rescheduled
    subscription only counts fire times from ``now`` on (it never posts for a time already past,
    and a retrying week of the old schedule is dropped); changing only the language keeps both.
    """
    now = _aware(now) if now else datetime.now(UTC)
    weekday, time_of_day = parse_weekday(weekday), parse_time_of_day(time_of_day)
    timezone, language = parse_timezone(timezone), parse_language(language)
    if not target:
        raise QueryError("a digest needs a target (a channel) to post to")
    db = _db(source)
    s = t.digest_subscriptions
    with _bookkeeping(db) as conn:
        ref = resolve_project(conn, project).ref
        existing = conn.execute(select(s.c.id).where(s.c.target == target, s.c.project_ref == ref)).scalar()
        values = {
            "weekday": weekday,
            "time_of_day": time_of_day,
            "timezone": timezone,
            "language": language,
            "status": ACTIVE,
            "paused_reason": None,
            "paused_at": None,
            "updated_at": now,
            "schedule_from": now,
        }
        if existing is None:
            stmt = (
                dialect_insert(s, db.dialect)
                .values(target=target, project_ref=ref, created_by=created_by, created_at=now, **values)
                .on_conflict_do_nothing(index_elements=["target", "project_ref"])
                .returning(s.c.id)
            )
            new_id = conn.execute(stmt).scalar()
            if new_id is not None:
                return _subscription(conn.execute(_subscription_select().where(s.c.id == new_id)).one()), True
            existing = conn.execute(
                select(s.c.id).where(s.c.target == target, s.c.project_ref == ref)
            ).scalar_one()
        before = conn.execute(
            select(s.c.weekday, s.c.time_of_day, s.c.timezone, s.c.status).where(s.c.id == existing)
        ).one()
        rescheduled = (before.weekday, before.time_of_day, before.timezone) != (
            weekday,
            time_of_day,
            timezone,
        )
        if not rescheduled and before.status == ACTIVE:
            del values["schedule_from"]  # e.g. only the language changed: a due or retrying week still posts
        conn.execute(update(s).where(s.c.id == existing).values(**values))
        if rescheduled:  # a retrying week of the old schedule must not post after the change
            d = t.digest_deliveries
            conn.execute(
                update(d)
                .where(d.c.subscription_id == existing, d.c.status.in_((CLAIMED, PENDING)))
                .values(status=SUPERSEDED, holder=None, lease_expires_at=None)
            )
        return _subscription(conn.execute(_subscription_select().where(s.c.id == existing)).one()), False


def get_subscriptions(
    source: Contexta | Database, *, target: str | None = None, project: str | None = None
) -> tuple[Subscription, ...]:
    """Subscriptions (of one target / project when given), by target then project name."""
    s = t.digest_subscriptions
    with _db(source).reading() as conn:
        stmt = _subscription_select()
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        if project is not None:
            stmt = stmt.where(s.c.project_ref == _subscription_project_ref(conn, project, target))
        rows = conn.execute(stmt.order_by(s.c.target, "project_name", s.c.id)).all()
    return tuple(_subscription(row) for row in rows)


def _subscription_project_ref(conn: Connection, project: str, target: str | None) -> str:
    """The ref of ``project``; a project since deleted still matches its old subscriptions."""
    try:
        return resolve_project(conn, project).ref
    except NotFoundError:
        s = t.digest_subscriptions
        stmt = select(s.c.project_ref).where(
            or_(s.c.project_ref == project, s.c.project_ref == f"project:{project}")
        )
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        ref = conn.execute(stmt.limit(1)).scalar()
        if ref is None:
            raise
        return ref


def unsubscribe(
    source: Contexta | Database, *, target: str, project: str | None = None
) -> tuple[Subscription, ...]:
    """Remove the target's subscription to ``project`` (None: its only one); returns what was removed.

    Raises ``UnknownSubscriptionError`` when nothing matches, or when ``project`` is None and the
    target has several subscriptions (the message lists them).
    """
    current = get_subscriptions(source, target=target)
    if project is None:
        if len(current) != 1:
            names = [sub.project_name for sub in current]
            if not names:
                raise UnknownSubscriptionError("there is no digest subscription here")
            raise UnknownSubscriptionError(
                f"this channel has {len(names)} digest subscriptions ({', '.join(f'`{n}`' for n in names)}); "
                "name the project to unsubscribe from",
                suggestions=names,
            )
        chosen = current
    else:
        with _db(source).reading() as conn:
            try:
                ref = _subscription_project_ref(conn, project, target)
            except NotFoundError:
                ref = None
        chosen = tuple(sub for sub in current if sub.project_ref == ref)
        if not chosen:
            names = [sub.project_name for sub in current]
            tail = f"; subscribed here: {', '.join(f'`{n}`' for n in names)}" if names else ""
            raise UnknownSubscriptionError(
                f"this channel has no digest subscription for `{_echo(project)}`{tail}", suggestions=names
            )
    s = t.digest_subscriptions
    with _bookkeeping(_db(source)) as conn:
        conn.execute(delete(s).where(s.c.id.in_([sub.id for sub in chosen])))
    return chosen


def pause_subscription(
    source: Contexta | Database, subscription_id: int, reason: str, *, now: datetime | None = None
) -> None:
    """Stop posting until someone subscribes again; ``reason`` is shown by ``digest list``."""
    now = now or datetime.now(UTC)
    with _bookkeeping(_db(source)) as conn:
        _pause(conn, subscription_id, reason, now)


def _pause(conn: Connection, subscription_id: int, reason: str, now: datetime) -> None:
    s, d = t.digest_subscriptions, t.digest_deliveries
    conn.execute(
        update(s)
        .where(s.c.id == subscription_id)
        .values(status=PAUSED, paused_reason=reason[:1000], paused_at=now, updated_at=now)
    )
    conn.execute(
        update(d)
        .where(d.c.subscription_id == subscription_id, d.c.status.in_((CLAIMED, PENDING)))
        .values(status=FAILED, last_error=reason[:1000], holder=None, lease_expires_at=None)
    )


def subscription_statuses(
    source: Contexta | Database, *, target: str | None = None, now: datetime | None = None
) -> tuple[SubscriptionStatus, ...]:
    """Every subscription (of ``target``) with its next fire, last delivery and latest problem."""
    now = now or datetime.now(UTC)
    subs = get_subscriptions(source, target=target)
    if not subs:
        return ()
    d = t.digest_deliveries
    with _db(source).reading() as conn:
        rows = conn.execute(
            select(
                d.c.subscription_id,
                d.c.period_key,
                d.c.status,
                d.c.delivered_at,
                d.c.next_attempt_at,
                d.c.last_error,
                d.c.scheduled_for,
            )
            .where(d.c.subscription_id.in_([sub.id for sub in subs]))
            .order_by(d.c.scheduled_for, d.c.id)
        ).all()
    by_sub: dict[int, list[Any]] = {}
    for row in rows:
        by_sub.setdefault(row.subscription_id, []).append(row)
    out = []
    for sub in subs:
        history = by_sub.get(sub.id, [])
        delivered = [row for row in history if row.status == DELIVERED]
        last = delivered[-1] if delivered else None
        problems = [
            row
            for row in history
            if row.status in (PENDING, FAILED, UNCERTAIN)
            and (last is None or row.scheduled_for > last.scheduled_for)
        ]
        problem = problems[-1] if problems else None
        out.append(
            SubscriptionStatus(
                subscription=sub,
                next_fire_at=_next_due(sub, now, history) if sub.is_active else None,
                last_delivered_at=last.delivered_at if last else None,
                last_delivered_period=last.period_key if last else None,
                retry_at=problem.next_attempt_at
                if problem is not None and problem.status == PENDING
                else None,
                last_error=problem.last_error if problem else None,
                problem_period=problem.period_key if problem else None,
                problem_state=problem.status if problem else None,
            )
        )
    return tuple(out)


def _next_due(sub: Subscription, now: datetime, history: Sequence[Any]) -> datetime:
    """The next fire time that will post: an overdue one not yet handled, else the next free week."""
    taken = {row.period_key for row in history}
    fire = sub.previous_fire_time(now)
    if fire >= sub.schedule_from and period_key(fire, sub.timezone) not in taken:
        return fire
    fire = sub.next_fire_time(max(now, sub.schedule_from - timedelta(microseconds=1)))
    for _ in range(3):
        if period_key(fire, sub.timezone) not in taken:
            return fire
        fire = sub.next_fire_time(fire)
    return fire


# -- delivery claims -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    """This process's right to post one subscription's digest for one period."""

    delivery_id: int
    subscription: Subscription
    period_key: str
    scheduled_for: datetime
    period_start: datetime
    period_end: datetime
    holder: str
    attempts: int = 0  # attempts made before this claim was taken (retries of a deferred post)


@dataclass(frozen=True, slots=True)
class ClaimPass:
    """What one ``claim_due`` pass did besides claiming (for logs and the CLI)."""

    claims: tuple[DeliveryClaim, ...]
    uncertain: tuple[str, ...] = ()  # "target/period" of posts whose holder died mid-post
    superseded: int = 0


def claim_due(
    source: Contexta | Database,
    *,
    now: datetime,
    holder: str,
    lease: timedelta = DEFAULT_LEASE,
    target: str | None = None,
) -> ClaimPass:
    """Claim every delivery that is due at ``now`` for ``holder``; safe to run in many processes.

    Due means: an active subscription's latest fire time ≤ ``now`` whose period has no delivery row
    yet (and is not before the subscription's ``schedule_from``), a deferred retry whose time has
    come, or a claim whose holder's lease ran out before it started posting. Periods missed while
    nothing ran are coalesced: only the latest is posted, covering everything since the last post.
    """
    _aware(now)
    db = _db(source)
    s, d = t.digest_subscriptions, t.digest_deliveries
    claims: list[DeliveryClaim] = []
    with db.reading() as conn:  # most minutes nothing is due: do not take the write lock for that
        if not _anything_to_claim(conn, now, target):
            return ClaimPass(())
    with _bookkeeping(db) as conn:
        if not db.is_sqlite:  # one claim pass at a time, as SQLite's BEGIN IMMEDIATE gives for free
            conn.execute(text("SELECT pg_advisory_xact_lock(7421003)"))
        # A holder that died while its post was in flight: never post that period again.
        stale = conn.execute(
            select(d.c.id, s.c.target, d.c.period_key)
            .join(s, s.c.id == d.c.subscription_id)
            .where(d.c.status == POSTING, d.c.lease_expires_at < now)
        ).all()
        if stale:
            conn.execute(
                update(d)
                .where(
                    d.c.id.in_([row.id for row in stale]), d.c.status == POSTING, d.c.lease_expires_at < now
                )
                .values(
                    status=UNCERTAIN,
                    last_error="the process posting this digest stopped mid-post; it may not have been posted",
                    holder=None,
                    lease_expires_at=None,
                )
            )
        stmt = _subscription_select().where(s.c.status == ACTIVE)
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        subs = [_subscription(row) for row in conn.execute(stmt.order_by(s.c.target, s.c.id)).all()]
        superseded = 0
        for sub in subs:
            fire = sub.previous_fire_time(now)
            key = period_key(fire, sub.timezone)
            if fire < sub.schedule_from:
                continue
            existing = conn.execute(
                select(
                    d.c.id, d.c.status, d.c.lease_expires_at, d.c.next_attempt_at, d.c.holder, d.c.attempts
                ).where(d.c.subscription_id == sub.id, d.c.period_key == key)
            ).first()
            if existing is None:
                claim = _insert_claim(conn, db.dialect, sub, key, fire, now, holder, lease)
                if claim is not None:
                    claims.append(claim)
                    superseded += conn.execute(
                        update(d)
                        .where(
                            d.c.subscription_id == sub.id,
                            d.c.period_key != key,
                            or_(
                                d.c.status == PENDING,
                                and_(d.c.status == CLAIMED, d.c.lease_expires_at < now),
                            ),
                        )
                        .values(status=SUPERSEDED, holder=None, lease_expires_at=None)
                    ).rowcount
                continue
            takeable = (existing.status == PENDING and (existing.next_attempt_at or now) <= now) or (
                existing.status == CLAIMED
                and existing.lease_expires_at is not None
                and existing.lease_expires_at < now
            )
            if not takeable:
                continue
            taken = conn.execute(
                update(d)
                .where(
                    d.c.id == existing.id,
                    d.c.status == existing.status,
                    d.c.holder.is_(None) if existing.holder is None else d.c.holder == existing.holder,
                )
                .values(status=CLAIMED, holder=holder, lease_expires_at=now + lease, next_attempt_at=None)
            ).rowcount
            if taken:
                claims.append(_load_claim(conn, existing.id, sub, holder))
    return ClaimPass(tuple(claims), tuple(f"{row.target}/{row.period_key}" for row in stale), superseded)


def _anything_to_claim(conn: Connection, now: datetime, target: str | None) -> bool:
    """A cheap read: could ``claim_due`` find work? (It re-checks everything under its lock.)"""
    s, d = t.digest_subscriptions, t.digest_deliveries
    open_work = (
        select(d.c.id)
        .join(s, s.c.id == d.c.subscription_id)
        .where(
            or_(
                and_(d.c.status.in_((POSTING, CLAIMED)), d.c.lease_expires_at < now),
                and_(d.c.status == PENDING, s.c.status == ACTIVE, d.c.next_attempt_at <= now),
            )
        )
    )
    stmt = _subscription_select().where(s.c.status == ACTIVE)
    if target is not None:
        open_work, stmt = open_work.where(s.c.target == target), stmt.where(s.c.target == target)
    if conn.execute(open_work.limit(1)).first() is not None:
        return True
    wanted: dict[int, str] = {}
    for row in conn.execute(stmt).all():
        sub = _subscription(row)
        fire = sub.previous_fire_time(now)
        if fire >= sub.schedule_from:
            wanted[sub.id] = period_key(fire, sub.timezone)
    if not wanted:
        return False
    taken = set()
    for part in chunked(sorted(wanted)):
        taken.update(
            conn.execute(
                select(d.c.subscription_id, d.c.period_key).where(
                    d.c.subscription_id.in_(part), d.c.period_key.in_({wanted[i] for i in part})
                )
            ).all()
        )
    return any((sub_id, key) not in taken for sub_id, key in wanted.items())


def _insert_claim(
    conn: Connection,
    dialect: str,
    sub: Subscription,
    key: str,
    fire: datetime,
    now: datetime,
    holder: str,
    lease: timedelta,
) -> DeliveryClaim | None:
    d = t.digest_deliveries
    since = _period_start(conn, sub, fire)
    stmt = (
        dialect_insert(d, dialect)
        .values(
            subscription_id=sub.id,
            period_key=key,
            scheduled_for=fire,
            period_start=since,
            period_end=fire,
            status=CLAIMED,
            holder=holder,
            lease_expires_at=now + lease,
            attempts=0,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=["subscription_id", "period_key"])
        .returning(d.c.id)
    )
    new_id = conn.execute(stmt).scalar()
    if new_id is None:  # another process inserted it first (PostgreSQL: after waiting for its commit)
        return None
    return DeliveryClaim(new_id, sub, key, fire, since, fire, holder, 0)


def _period_start(conn: Connection, sub: Subscription, fire: datetime) -> datetime:
    """Since the end of the last posted period; else since the first attempted one; else since the
    previous weekly fire time (a week of local time, so 7 days ± the DST hour)."""
    d = t.digest_deliveries
    scope = and_(d.c.subscription_id == sub.id, d.c.scheduled_for < fire)
    last_end = conn.execute(
        select(func.max(d.c.period_end)).where(scope, d.c.status.in_((DELIVERED, UNCERTAIN)))
    ).scalar()
    if last_end is None:
        last_end = conn.execute(select(func.min(d.c.period_start)).where(scope)).scalar()
    return min(last_end or sub.previous_fire_time(fire - timedelta(microseconds=1)), fire)


def _load_claim(conn: Connection, delivery_id: int, sub: Subscription, holder: str) -> DeliveryClaim:
    d = t.digest_deliveries
    row = conn.execute(
        select(d.c.period_key, d.c.scheduled_for, d.c.period_start, d.c.period_end, d.c.attempts).where(
            d.c.id == delivery_id
        )
    ).one()
    return DeliveryClaim(
        delivery_id,
        sub,
        row.period_key,
        row.scheduled_for,
        row.period_start,
        row.period_end,
        holder,
        row.attempts,
    )


def _owned(claim: DeliveryClaim, *states: str):
    d = t.digest_deliveries
    return and_(d.c.id == claim.delivery_id, d.c.holder == claim.holder, d.c.status.in_(states))


def begin_attempt(
    source: Contexta | Database, claim: DeliveryClaim, *, now: datetime, lease: timedelta = DEFAULT_LEASE
) -> bool:
    """Mark the post as in flight; False when the claim was lost (taken over, paused, unsubscribed)."""
    d = t.digest_deliveries
    with _bookkeeping(_db(source)) as conn:
        return bool(
            conn.execute(
                update(d)
                .where(_owned(claim, CLAIMED))
                .values(status=POSTING, attempts=d.c.attempts + 1, lease_expires_at=now + lease)
            ).rowcount
        )


def end_attempt(source: Contexta | Database, claim: DeliveryClaim, *, error: str) -> bool:
    """The post failed and certainly did not appear; keep the claim for another attempt now."""
    d = t.digest_deliveries
    with _bookkeeping(_db(source)) as conn:
        return bool(
            conn.execute(
                update(d).where(_owned(claim, POSTING)).values(status=CLAIMED, last_error=error[:1000])
            ).rowcount
        )


def mark_delivered(
    source: Contexta | Database, claim: DeliveryClaim, *, now: datetime, message_ts: str | None = None
) -> bool:
    d = t.digest_deliveries
    with _bookkeeping(_db(source)) as conn:
        return bool(
            conn.execute(
                update(d)
                .where(_owned(claim, POSTING, CLAIMED))
                .values(
                    status=DELIVERED,
                    delivered_at=now,
                    message_ts=message_ts,
                    lease_expires_at=None,  # the holder stays: who posted it
                    last_error=None,
                )
            ).rowcount
        )


def defer_delivery(
    source: Contexta | Database, claim: DeliveryClaim, *, retry_at: datetime, error: str
) -> bool:
    """Give the claim back until ``retry_at`` (any process may take it then); nothing is lost."""
    d = t.digest_deliveries
    with _bookkeeping(_db(source)) as conn:
        return bool(
            conn.execute(
                update(d)
                .where(_owned(claim, POSTING, CLAIMED))
                .values(
                    status=PENDING,
                    next_attempt_at=retry_at,
                    last_error=error[:1000],
                    holder=None,
                    lease_expires_at=None,
                )
            ).rowcount
        )


def fail_delivery(
    source: Contexta | Database,
    claim: DeliveryClaim,
    *,
    now: datetime,
    error: str,
    pause_reason: str | None = None,
) -> bool:
    """Give up on this period; with ``pause_reason`` also pause the subscription (a permanent error)."""
    d = t.digest_deliveries
    with _bookkeeping(_db(source)) as conn:
        done = conn.execute(
            update(d)
            .where(_owned(claim, POSTING, CLAIMED))
            .values(status=FAILED, last_error=error[:1000], holder=None, lease_expires_at=None)
        ).rowcount
        if pause_reason:
            _pause(conn, claim.subscription.id, pause_reason, now)
        return bool(done)


def delivery_rows(source: Contexta | Database, subscription_id: int | None = None) -> list[dict[str, Any]]:
    """Every delivery row (of one subscription), oldest first: for tests, audits and the CLI."""
    d = t.digest_deliveries
    stmt = select(d).order_by(d.c.scheduled_for, d.c.id)
    if subscription_id is not None:
        stmt = stmt.where(d.c.subscription_id == subscription_id)
    with _db(source).reading() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


# -- the digest's content --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestRun:
    run_id: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    value: float | None = None  # the primary metric, when the run recorded it


@dataclass(frozen=True, slots=True)
class DigestSummary:
    """What happened in one project between ``since`` (inclusive) and ``until`` (exclusive).

    Run lists are bounded (``runs``: the latest ``max_runs`` of the period, oldest first;
    ``failed_runs``: the latest failed ones); counts and metric values cover every run. "Best" is
    each run's latest value of the project's primary metric, ties going to the earlier run, and
    "so far" means among runs started before the moment named.
    """

    project_name: str
    since: datetime
    until: datetime
    run_count: int
    status_counts: dict[str, int]
    runs: tuple[DigestRun, ...]
    failed_count: int
    failed_runs: tuple[DigestRun, ...]
    metric_key: str | None
    stage_name: str | None
    higher_is_better: bool
    values: tuple[float, ...]  # the period's runs that have the metric, in start order
    period_best: DigestRun | None  # best run started in the period
    best_at_start: float | None  # best so far when the period began
    best_at_start_run: DigestRun | None
    best_now: float | None  # best so far at ``until``
    best_now_run: DigestRun | None
    new_deployment_count: int
    new_deployments: tuple[DeploymentRecord, ...]
    live: DeploymentRecord | None  # the latest completed deployment started before ``until``
    live_value: float | None
    live_is_best: bool | None  # None when there is no live run or no metric to judge by
    notes: tuple[str, ...] = field(default=())

    @property
    def nothing_new(self) -> bool:
        return self.run_count == 0 and self.new_deployment_count == 0

    @property
    def new_best(self) -> bool:
        """A run of this period beat everything before it."""
        if self.best_now is None or self.period_best is None:
            return False
        if self.best_at_start is None:
            return True
        return (
            self.best_now > self.best_at_start
            if self.higher_is_better
            else self.best_now < self.best_at_start
        )

    @property
    def best_change(self) -> float | None:
        """best_now − best_at_start (None unless both exist)."""
        if self.best_now is None or self.best_at_start is None:
            return None
        return self.best_now - self.best_at_start


def digest_summary(
    source: Contexta | Database | Connection,
    project: str,
    since: datetime,
    until: datetime,
    *,
    max_runs: int = 20,
    max_deployments: int = 10,
) -> DigestSummary:
    """The digest of ``project`` for [since, until): new runs, metric movement, deployments, live run."""
    _aware(since)
    _aware(until)
    if since > until:
        raise QueryError("a digest period must not end before it starts")
    if isinstance(source, Connection):
        return _summary(source, project, since, until, max_runs, max_deployments)
    with _db(source).reading() as conn:
        return _summary(conn, project, since, until, max_runs, max_deployments)


def _summary(
    conn: Connection, project_name: str, since: datetime, until: datetime, max_runs: int, max_deps: int
) -> DigestSummary:
    project = resolve_project(conn, project_name)
    defaults = get_project_defaults(conn, project.name)
    r, s, d = t.runs, t.metric_summaries, t.deployments
    in_period = and_(r.c.project_id == project.id, r.c.started_at >= since, r.c.started_at < until)
    status_counts = dict(
        conn.execute(select(r.c.status, func.count()).where(in_period).group_by(r.c.status)).all()
    )
    run_count = sum(status_counts.values())
    columns = (r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at)
    latest = conn.execute(
        select(*columns).where(in_period).order_by(r.c.started_at.desc(), r.c.id.desc()).limit(max_runs)
    ).all()
    failed = conn.execute(
        select(*columns)
        .where(in_period, r.c.status == "failed")
        .order_by(r.c.started_at.desc(), r.c.id.desc())
        .limit(max_runs)
    ).all()

    notes: list[str] = []
    higher = defaults.higher_is_better
    metric_key, stage = defaults.metric_key, _metric_stage(conn, project.id, defaults)
    if stage is _MISSING:
        if run_count:
            notes.append(
                f"no `{metric_key}` recorded in this project; set the project's metric to see its trend"
            )
        metric_key, stage = None, None
    values_by_run: dict[int, float] = {}
    values: tuple[float, ...] = ()
    period_best = best_at_start = best_now = best_at_start_run = best_now_run = None
    if metric_key is not None:
        scope = and_(
            s.c.project_id == project.id, s.c.metric_key == metric_key, s.c.stage_name == _stage_key(stage)
        )
        period_rows = conn.execute(
            select(s.c.run_id, s.c.latest_value)
            .join(r, r.c.id == s.c.run_id)
            .where(scope, in_period)
            .order_by(r.c.started_at, r.c.id)
        ).all()
        values = tuple(row.latest_value for row in period_rows)
        values_by_run = {row.run_id: row.latest_value for row in period_rows}
        best_at_start, best_at_start_run = _best_before(conn, scope, since, higher)
        best_now, best_now_run = _best_before(conn, scope, until, higher)
        if period_rows:
            pick = max if higher else min
            top = pick(values)
            winner_id = next(row.run_id for row in period_rows if row.latest_value == top)
            period_best = _run(conn, winner_id, top)

    runs = tuple(_digest_run(row, values_by_run.get(row.id)) for row in reversed(latest))
    failed_runs = tuple(_digest_run(row, values_by_run.get(row.id)) for row in reversed(failed))

    deployment_columns = (
        d.c.ref,
        d.c.name,
        d.c.status,
        r.c.ref.label("run_ref"),
        r.c.name.label("run_name"),
        d.c.started_at,
        d.c.ended_at,
        d.c.order_index,
        d.c.environment,
        d.c.run_id,
    )
    new_deps_scope = and_(d.c.project_id == project.id, d.c.started_at >= since, d.c.started_at < until)
    new_count = conn.execute(select(func.count()).select_from(d).where(new_deps_scope)).scalar_one()
    new_rows = conn.execute(
        select(*deployment_columns)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(new_deps_scope)
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(max_deps)
    ).all()
    live_row = conn.execute(
        select(*deployment_columns)
        .outerjoin(r, r.c.id == d.c.run_id)
        .where(d.c.project_id == project.id, d.c.started_at < until, d.c.status == "completed")
        .order_by(d.c.started_at.desc(), d.c.order_index.desc(), d.c.id.desc())
        .limit(1)
    ).first()
    live = _deployment(live_row, project.name) if live_row else None
    live_value = live_is_best = None
    if live_row is not None and live_row.run_id is not None and metric_key is not None:
        live_value = conn.execute(
            select(s.c.latest_value).where(
                s.c.run_id == live_row.run_id,
                s.c.metric_key == metric_key,
                s.c.stage_name == _stage_key(stage),
            )
        ).scalar()
        if best_now_run is not None:
            live_is_best = live_row.run_ref == best_now_run.run_id or (
                live_value is not None and live_value == best_now
            )
    return DigestSummary(
        project_name=project.name,
        since=since,
        until=until,
        run_count=run_count,
        status_counts=status_counts,
        runs=runs,
        failed_count=status_counts.get("failed", 0),
        failed_runs=failed_runs,
        metric_key=metric_key,
        stage_name=stage,
        higher_is_better=higher,
        values=values,
        period_best=period_best,
        best_at_start=best_at_start,
        best_at_start_run=best_at_start_run,
        best_now=best_now,
        best_now_run=best_now_run,
        new_deployment_count=new_count,
        new_deployments=tuple(_deployment(row, project.name) for row in reversed(new_rows)),
        live=live,
        live_value=live_value,
        live_is_best=live_is_best,
        notes=tuple(notes),
    )


_MISSING = object()


def _metric_stage(conn: Connection, project_id: int, defaults) -> Any:
    """Where the primary metric is recorded: the project's stage, else wherever it is; or _MISSING."""
    s = t.metric_summaries
    recorded = set(
        conn.execute(
            select(s.c.stage_name)
            .where(s.c.project_id == project_id, s.c.metric_key == defaults.metric_key)
            .distinct()
        ).scalars()
    )
    if not recorded:
        return _MISSING
    if _stage_key(defaults.stage_name) in recorded:
        return defaults.stage_name
    try:
        return locate_metric(conn, project_id, defaults.metric_key, None)
    except NotFoundError:  # several stages and none is the project's: take the first by name
        return sorted(recorded)[0] or None


def _best_before(
    conn: Connection, scope, moment: datetime, higher: bool
) -> tuple[float | None, DigestRun | None]:
    s = t.metric_summaries
    extreme = func.max if higher else func.min
    top = conn.execute(select(extreme(s.c.latest_value)).where(scope, s.c.run_started_at < moment)).scalar()
    if top is None:
        return None, None
    run_id = conn.execute(
        select(s.c.run_id)
        .where(scope, s.c.run_started_at < moment, s.c.latest_value == top)
        .order_by(s.c.run_started_at, s.c.run_id)
        .limit(1)
    ).scalar_one()
    return top, _run(conn, run_id, top)


def _run(conn: Connection, run_id: int, value: float | None) -> DigestRun:
    r = t.runs
    row = conn.execute(
        select(r.c.id, r.c.ref, r.c.name, r.c.status, r.c.started_at, r.c.ended_at).where(r.c.id == run_id)
    ).one()
    return _digest_run(row, value)


def _digest_run(row: Any, value: float | None) -> DigestRun:
    return DigestRun(row.ref, row.name, row.status, row.started_at, row.ended_at, value)


def _deployment(row: Any, project_name: str) -> DeploymentRecord:
    return DeploymentRecord(
        row.ref,
        project_name,
        row.name,
        row.status,
        row.run_ref,
        row.run_name,
        row.started_at,
        row.ended_at,
        row.order_index,
        row.environment,
    )


__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_TIME",
    "DEFAULT_TIMEZONE",
    "DEFAULT_WEEKDAY",
    "WEEKDAYS",
    "ClaimPass",
    "DeliveryClaim",
    "DigestRun",
    "DigestScheduleError",
    "DigestSummary",
    "Subscription",
    "SubscriptionStatus",
    "UnknownSubscriptionError",
    "UnknownTimezoneError",
    "begin_attempt",
    "claim_due",
    "defer_delivery",
    "delivery_rows",
    "digest_summary",
    "end_attempt",
    "fail_delivery",
    "get_subscriptions",
    "mark_delivered",
    "next_fire_time",
    "parse_language",
    "parse_time_of_day",
    "parse_timezone",
    "parse_weekday",
    "pause_subscription",
    "period_key",
    "previous_fire_time",
    "set_workspace_timezone",
    "subscribe",
    "subscription_statuses",
    "unsubscribe",
    "workspace_timezone",
]
