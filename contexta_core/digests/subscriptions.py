"""Digest subscriptions: who gets which project's digest, where, and when; pausing and status.

Functions here take the workspace ``Database``; callers use them through ``Contexta.digests``.
Every subscription belongs to one chat tenant (``contexta_core.tenancy``): each read filters on
it, so two teams whose channel ids collide never see, change or post each other's digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from ..errors import NotFoundError, QueryError
from ..queries.lookup import resolve_project
from ..store import schema
from ..store.engine import Database
from ..store.preferences import PreferenceStore
from ..store.sql import dialect_insert, of_tenant
from ..tenancy import Tenant
from .constants import (
    ACTIVE,
    CLAIMED,
    DEFAULT_LANGUAGE,
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAY,
    DELIVERED,
    FAILED,
    PAUSED,
    PENDING,
    SUPERSEDED,
    TIMEZONE_KEY,
    UNCERTAIN,
    WORKSPACE_SCOPE,
    UnknownSubscriptionError,
)
from .schedule import (
    echo_typed,
    next_fire_time,
    parse_language,
    parse_time_of_day,
    parse_timezone,
    parse_weekday,
    period_key,
    previous_fire_time,
    require_aware,
    zone_names,
)


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
    tenant: Tenant = Tenant.LEGACY  # the chat team whose channel ``target`` is

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


def bookkeeping(db: Database):
    """A write transaction for digest state, which changes no answer: cached answers stay valid."""
    return db.writing(bump_version=False)


def subscription_query():
    """Subscriptions with their project's current name (the ref when the project is gone)."""
    s, p = schema.digest_subscriptions, schema.projects
    return select(s, func.coalesce(p.c.name, s.c.project_ref).label("project_name")).outerjoin(
        p, p.c.ref == s.c.project_ref
    )


def subscription_from_row(row: Any) -> Subscription:
    m = row._mapping
    return Subscription(
        id=m["id"],
        tenant=Tenant.of(m["team_id"], m["enterprise_id"]),
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


def workspace_timezone(db: Database, tenant: Tenant = Tenant.LEGACY) -> tuple[str, bool]:
    """(zone, True) when the team set a digest zone, else (``Asia/Seoul``, False)."""
    stored = PreferenceStore(db).get(WORKSPACE_SCOPE, TIMEZONE_KEY, tenant=tenant)
    if isinstance(stored, str) and stored in zone_names():
        return stored, True
    return DEFAULT_TIMEZONE, False


def set_workspace_timezone(db: Database, zone: str | None, tenant: Tenant = Tenant.LEGACY) -> str | None:
    """Set (or with None, clear) the zone the team's new subscriptions use when they name none."""
    store = PreferenceStore(db)
    if zone is None:
        store.delete(WORKSPACE_SCOPE, TIMEZONE_KEY, tenant=tenant)
        return None
    canonical = parse_timezone(zone)
    store.set(WORKSPACE_SCOPE, TIMEZONE_KEY, canonical, tenant=tenant)
    return canonical


def subscribe(
    db: Database,
    *,
    tenant: Tenant = Tenant.LEGACY,
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
    now = require_aware(now) if now else datetime.now(UTC)
    weekday, time_of_day = parse_weekday(weekday), parse_time_of_day(time_of_day)
    timezone, language = parse_timezone(timezone), parse_language(language)
    if not target:
        raise QueryError("a digest needs a target (a channel) to post to", code="digest_target_missing")
    s = schema.digest_subscriptions
    mine = of_tenant(s, tenant)
    with bookkeeping(db) as conn:
        ref = resolve_project(conn, project).ref
        existing = conn.execute(
            select(s.c.id).where(mine, s.c.target == target, s.c.project_ref == ref)
        ).scalar()
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
                .values(
                    target=target,
                    project_ref=ref,
                    created_by=created_by,
                    created_at=now,
                    **tenant.columns(),
                    **values,
                )
                .on_conflict_do_nothing(index_elements=["team_id", "enterprise_id", "target", "project_ref"])
                .returning(s.c.id)
            )
            new_id = conn.execute(stmt).scalar()
            if new_id is not None:
                return subscription_from_row(
                    conn.execute(subscription_query().where(s.c.id == new_id)).one()
                ), True
            existing = conn.execute(
                select(s.c.id).where(mine, s.c.target == target, s.c.project_ref == ref)
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
            d = schema.digest_deliveries
            conn.execute(
                update(d)
                .where(d.c.subscription_id == existing, d.c.status.in_((CLAIMED, PENDING)))
                .values(status=SUPERSEDED, holder=None, lease_expires_at=None)
            )
        return subscription_from_row(
            conn.execute(subscription_query().where(s.c.id == existing)).one()
        ), False


def get_subscriptions(
    db: Database, *, tenant: Tenant = Tenant.LEGACY, target: str | None = None, project: str | None = None
) -> tuple[Subscription, ...]:
    """The tenant's subscriptions (of one target / project when given), by target then project name."""
    s = schema.digest_subscriptions
    with db.reading() as conn:
        stmt = subscription_query().where(of_tenant(s, tenant))
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        if project is not None:
            stmt = stmt.where(s.c.project_ref == _subscription_project_ref(conn, project, target, tenant))
        rows = conn.execute(stmt.order_by(s.c.target, "project_name", s.c.id)).all()
    return tuple(subscription_from_row(row) for row in rows)


def _subscription_project_ref(conn: Connection, project: str, target: str | None, tenant: Tenant) -> str:
    """The ref of ``project``; a project since deleted still matches its old subscriptions."""
    try:
        return resolve_project(conn, project).ref
    except NotFoundError:
        s = schema.digest_subscriptions
        stmt = select(s.c.project_ref).where(
            of_tenant(s, tenant), or_(s.c.project_ref == project, s.c.project_ref == f"project:{project}")
        )
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        ref = conn.execute(stmt.limit(1)).scalar()
        if ref is None:
            raise
        return ref


def unsubscribe(
    db: Database, *, tenant: Tenant = Tenant.LEGACY, target: str, project: str | None = None
) -> tuple[Subscription, ...]:
    """Remove the target's subscription to ``project`` (None: its only one); returns what was removed.

    Raises ``UnknownSubscriptionError`` when nothing matches, or when ``project`` is None and the
    target has several subscriptions (the message lists them).
    """
    current = get_subscriptions(db, tenant=tenant, target=target)
    if project is None:
        if len(current) != 1:
            names = [sub.project_name for sub in current]
            if not names:
                raise UnknownSubscriptionError("there is no digest subscription here", code="no_subscription")
            raise UnknownSubscriptionError(
                f"this channel has {len(names)} digest subscriptions ({', '.join(f'`{n}`' for n in names)}); "
                "name the project to unsubscribe from",
                code="subscription_ambiguous",
                details={"projects": names, "count": len(names)},
                suggestions=names,
            )
        chosen = current
    else:
        with db.reading() as conn:
            try:
                ref = _subscription_project_ref(conn, project, target, tenant)
            except NotFoundError:
                ref = None
        chosen = tuple(sub for sub in current if sub.project_ref == ref)
        if not chosen:
            names = [sub.project_name for sub in current]
            tail = f"; subscribed here: {', '.join(f'`{n}`' for n in names)}" if names else ""
            raise UnknownSubscriptionError(
                f"this channel has no digest subscription for `{echo_typed(project)}`{tail}",
                code=None if names else "no_subscription_for_project",
                details={"project": echo_typed(project), "subscribed": names},
                suggestions=names,
            )
    s = schema.digest_subscriptions
    with bookkeeping(db) as conn:
        conn.execute(delete(s).where(s.c.id.in_([sub.id for sub in chosen])))
    return chosen


def pause_subscription(
    db: Database, subscription_id: int, reason: str, *, now: datetime | None = None
) -> None:
    """Stop posting until someone subscribes again; ``reason`` is shown by ``digest list``."""
    now = now or datetime.now(UTC)
    with bookkeeping(db) as conn:
        pause_in(conn, subscription_id, reason, now)


def pause_tenant(db: Database, tenant: Tenant, reason: str, *, now: datetime | None = None) -> int:
    """Pause every active subscription of ``tenant`` (its install is gone); returns how many."""
    now = now or datetime.now(UTC)
    s = schema.digest_subscriptions
    with bookkeeping(db) as conn:
        ids = conn.execute(select(s.c.id).where(of_tenant(s, tenant), s.c.status == ACTIVE)).scalars().all()
        for subscription_id in ids:
            pause_in(conn, subscription_id, reason, now)
    return len(ids)


def pause_in(conn: Connection, subscription_id: int, reason: str, now: datetime) -> None:
    s, d = schema.digest_subscriptions, schema.digest_deliveries
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
    db: Database, *, tenant: Tenant = Tenant.LEGACY, target: str | None = None, now: datetime | None = None
) -> tuple[SubscriptionStatus, ...]:
    """Every subscription of the tenant (of ``target``) with its next fire, last delivery and latest problem."""
    now = now or datetime.now(UTC)
    subs = get_subscriptions(db, tenant=tenant, target=target)
    if not subs:
        return ()
    d = schema.digest_deliveries
    with db.reading() as conn:
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
