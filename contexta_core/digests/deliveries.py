"""Once-only delivery claims: a unique (subscription, period) row is taken before anything is
posted; its states are described in the package docstring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from ..store import schema
from ..store.engine import Database
from ..store.leases import LeasedRows
from ..store.sql import chunked, dialect_insert, of_tenant, serialize_on_postgresql
from ..tenancy import Tenant
from .constants import (
    ACTIVE,
    CLAIMED,
    DEFAULT_LEASE,
    DELIVERED,
    PENDING,
    POSTING,
    SUPERSEDED,
    UNCERTAIN,
)
from .schedule import period_key, require_aware
from .subscriptions import Subscription, bookkeeping, pause_in, subscription_from_row, subscription_query

CLAIM_PASS_LOCK = 7421003  # the advisory lock key of claim passes (any constant no other lock uses)


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
    claimed_at: datetime | None = None  # when the period was first claimed (stable across takeovers)


@dataclass(frozen=True, slots=True)
class ClaimPass:
    """What one ``claim_due`` pass did besides claiming (for logs and the CLI)."""

    claims: tuple[DeliveryClaim, ...]
    uncertain: tuple[str, ...] = ()  # "target/period" of posts whose holder died mid-post
    superseded: int = 0


def claim_due(
    db: Database,
    *,
    tenant: Tenant = Tenant.LEGACY,
    now: datetime,
    holder: str,
    lease: timedelta = DEFAULT_LEASE,
    target: str | None = None,
) -> ClaimPass:
    """Claim every delivery of ``tenant`` that is due at ``now`` for ``holder``; safe to run in many
    processes. Other tenants' rows are neither read, taken nor marked (their bot posts them).

    Due means: an active subscription's latest fire time ≤ ``now`` whose period has no delivery row
    yet (and is not before the subscription's ``schedule_from``), a deferred retry whose time has
    come, or a claim whose holder's lease ran out before it started posting. Periods missed while
    nothing ran are coalesced: only the latest is posted, covering everything since the last post.
    """
    require_aware(now)
    s, d = schema.digest_subscriptions, schema.digest_deliveries
    claims: list[DeliveryClaim] = []
    with db.reading() as conn:  # most minutes nothing is due: do not take the write lock for that
        if not _anything_to_claim(conn, now, tenant, target):
            return ClaimPass(())
    with bookkeeping(db) as conn:
        serialize_on_postgresql(conn, CLAIM_PASS_LOCK)  # one claim pass at a time
        # A holder that died while its post was in flight: never post that period again.
        among = d.c.subscription_id.in_(select(s.c.id).where(of_tenant(s, tenant)))
        stale_ids = _rows(db).expire_stale_posts(conn, now, among)
        stale = (
            conn.execute(
                select(d.c.id, s.c.target, d.c.period_key)
                .join(s, s.c.id == d.c.subscription_id)
                .where(d.c.id.in_(stale_ids))
            ).all()
            if stale_ids
            else []
        )
        stmt = subscription_query().where(of_tenant(s, tenant), s.c.status == ACTIVE)
        if target is not None:
            stmt = stmt.where(s.c.target == target)
        subs = [subscription_from_row(row) for row in conn.execute(stmt.order_by(s.c.target, s.c.id)).all()]
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


def _anything_to_claim(conn: Connection, now: datetime, tenant: Tenant, target: str | None) -> bool:
    """A cheap read: could ``claim_due`` find work? (It re-checks everything under its lock.)"""
    s, d = schema.digest_subscriptions, schema.digest_deliveries
    open_work = (
        select(d.c.id)
        .join(s, s.c.id == d.c.subscription_id)
        .where(
            of_tenant(s, tenant),
            or_(
                and_(d.c.status.in_((POSTING, CLAIMED)), d.c.lease_expires_at < now),
                and_(d.c.status == PENDING, s.c.status == ACTIVE, d.c.next_attempt_at <= now),
            ),
        )
    )
    stmt = subscription_query().where(of_tenant(s, tenant), s.c.status == ACTIVE)
    if target is not None:
        open_work, stmt = open_work.where(s.c.target == target), stmt.where(s.c.target == target)
    if conn.execute(open_work.limit(1)).first() is not None:
        return True
    wanted: dict[int, str] = {}
    for row in conn.execute(stmt).all():
        sub = subscription_from_row(row)
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
    d = schema.digest_deliveries
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
    return DeliveryClaim(new_id, sub, key, fire, since, fire, holder, 0, now)


def _period_start(conn: Connection, sub: Subscription, fire: datetime) -> datetime:
    """Since the end of the last posted period; else since the first attempted one; else since the
    previous weekly fire time (a week of local time, so 7 days ± the DST hour)."""
    d = schema.digest_deliveries
    scope = and_(d.c.subscription_id == sub.id, d.c.scheduled_for < fire)
    last_end = conn.execute(
        select(func.max(d.c.period_end)).where(scope, d.c.status.in_((DELIVERED, UNCERTAIN)))
    ).scalar()
    if last_end is None:
        last_end = conn.execute(select(func.min(d.c.period_start)).where(scope)).scalar()
    return min(last_end or sub.previous_fire_time(fire - timedelta(microseconds=1)), fire)


def _load_claim(conn: Connection, delivery_id: int, sub: Subscription, holder: str) -> DeliveryClaim:
    d = schema.digest_deliveries
    row = conn.execute(
        select(
            d.c.period_key, d.c.scheduled_for, d.c.period_start, d.c.period_end, d.c.attempts, d.c.claimed_at
        ).where(d.c.id == delivery_id)
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
        row.claimed_at,
    )


def _rows(db: Database) -> LeasedRows:
    return LeasedRows(db, schema.digest_deliveries)


def begin_attempt(
    db: Database, claim: DeliveryClaim, *, now: datetime, lease: timedelta = DEFAULT_LEASE
) -> bool:
    """Mark the post as in flight; False when the claim was lost (taken over, paused, unsubscribed)."""
    return _rows(db).begin_attempt(claim, now=now, lease=lease)


def end_attempt(db: Database, claim: DeliveryClaim, *, error: str) -> bool:
    """The post failed and certainly did not appear; keep the claim for another attempt now."""
    return _rows(db).end_attempt(claim, error=error)


def mark_delivered(
    db: Database, claim: DeliveryClaim, *, now: datetime, message_ts: str | None = None
) -> bool:
    return _rows(db).mark_delivered(claim, now=now, message_ts=message_ts)


def record_late_delivery(
    db: Database, claim: DeliveryClaim, *, now: datetime, message_ts: str | None
) -> bool:
    """The post went out after this holder's lease ran out and another process marked the period
    ``uncertain``: it is known now, so the row says ``delivered``. False if the row moved on otherwise."""
    return _rows(db).record_late_delivery(claim, now=now, message_ts=message_ts)


def mark_uncertain(db: Database, claim: DeliveryClaim, *, error: str) -> bool:
    """The post may or may not have appeared and that cannot be found out: never post it again."""
    return _rows(db).mark_uncertain(claim, error=error)


def defer_delivery(db: Database, claim: DeliveryClaim, *, retry_at: datetime, error: str) -> bool:
    """Give the claim back until ``retry_at`` (any process may take it then); nothing is lost."""
    return _rows(db).defer(claim, retry_at=retry_at, error=error)


def fail_delivery(
    db: Database,
    claim: DeliveryClaim,
    *,
    now: datetime,
    error: str,
    pause_reason: str | None = None,
) -> bool:
    """Give up on this period; with ``pause_reason`` also pause the subscription (a permanent error)."""
    with bookkeeping(db) as conn:
        done = _rows(db).fail(claim, error=error, conn=conn)
        if pause_reason:
            pause_in(conn, claim.subscription.id, pause_reason, now)
        return done


def delivery_rows(db: Database, subscription_id: int | None = None) -> list[dict[str, Any]]:
    """Every delivery row (of one subscription), oldest first: for tests, audits and the CLI."""
    d = schema.digest_deliveries
    stmt = select(d).order_by(d.c.scheduled_for, d.c.id)
    if subscription_id is not None:
        stmt = stmt.where(d.c.subscription_id == subscription_id)
    with db.reading() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]
