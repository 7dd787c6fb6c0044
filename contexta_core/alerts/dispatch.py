"""From outbox events to claimed alert messages: route, gather, claim. Safe in any number of processes.

One pass (``claim_due``) does, under one write lock (``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL):

1. **Route** every event no pass has seen yet (``dispatched_at IS NULL``) to the watches of its
   project that want its kind, were made before it (``from_event_id``) and are not older than
   what it tells (``occurred_at``: a backfilled run that ended last week is not news). Each
   (watch, event) pair is inserted once (its primary key), into the watch's ``gathering`` message.
2. **Gather**: a message waits ``quiet`` seconds after its latest event, at most ``max_gather``
   after its first, so a sweep of 50 runs landing together becomes one message, and a single
   change still reaches the channel within seconds.
3. **Claim** the messages that are due: gathered ones, deferred retries whose time came, claims
   whose holder died before posting. A watch never has two messages in flight, and posts at most
   one message per ``min_interval`` (a minute): what lands within the minute of a message that is
   out is folded into it, and the message is updated in place (``chat.update``), so 50 runs
   landing within a minute read as one message that says "50 new runs" while each change still
   shows within seconds.

Whatever was posting when its holder died is marked ``uncertain``, never posted again. Passes
when nothing happens cost one read (``anything_to_do``): two index seeks, no write lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, false, func, or_, select, true, update

from ..store import schema
from ..store.engine import Database
from ..store.leases import CLAIMED, DELIVERED, PENDING, POSTING, UNCERTAIN, LeasedRows
from ..store.outbox import DEPLOYMENT, RUN_COMPLETED, RUN_FAILED
from ..store.sql import dialect_insert, of_tenant, serialize_on_postgresql
from ..tenancy import Tenant
from .watches import (
    ACTIVE,
    DEPLOYMENTS,
    FAILURES,
    GATHERING,
    NEW_BEST,
    REGRESSIONS,
    Watch,
    watch_from_row,
    watch_query,
)

DISPATCH_LOCK = 7421015  # the advisory lock key of alert passes (digests use 7421003)
KEEP = timedelta(days=30)  # how long settled events and messages are kept (for audits)
ROUTE_BATCH = 2000  # events routed per pass; the rest wait for the next pass (a second later)
# Which watch kinds an event concerns.
WANTED_BY = {
    RUN_COMPLETED: (NEW_BEST,),
    RUN_FAILED: (FAILURES,),
    DEPLOYMENT: (DEPLOYMENTS, REGRESSIONS),
}


@dataclass(frozen=True)
class AlertTiming:
    """How alerts gather (see the module docstring); every value is configurable in the bot."""

    quiet: timedelta = timedelta(seconds=2)
    max_gather: timedelta = timedelta(seconds=6)
    min_interval: timedelta = timedelta(seconds=60)
    clock_skew: timedelta = timedelta(minutes=5)  # tolerance between the writer's clock and the watch's


DEFAULT_TIMING = AlertTiming()


@dataclass(frozen=True, slots=True)
class AlertClaim:
    """This process's right to post one alert message of one watch."""

    delivery_id: int
    watch: Watch
    holder: str
    attempts: int = 0
    claimed_at: datetime | None = None  # when the message was first claimed: its minute starts then
    message_ts: str | None = None  # set: the message is out and is updated with what came since


@dataclass(frozen=True, slots=True)
class AlertPass:
    claims: tuple[AlertClaim, ...] = ()
    routed: int = 0  # events routed in this pass
    uncertain: tuple[int, ...] = ()  # deliveries whose holder died mid-post


def rows(db: Database) -> LeasedRows:
    return LeasedRows(db, schema.alert_deliveries)


def anything_to_do(conn: Connection, now: datetime, tenants: Sequence[Tenant] | None = None) -> bool:
    """The idle check: is there an unrouted event (any team's: routing serves every team), or a
    message of ``tenants`` (None: any team) needing a look by ``now``? Another team's overdue
    message, which this bot could never post, keeps no pass busy. One statement, two index seeks
    (``ix_alert_events_pending``; ``ix_alert_deliveries_due``, which holds the team columns too,
    so the team filter reads no table rows)."""
    e, d = schema.alert_events, schema.alert_deliveries
    due = d.c.due_at <= now
    among = _of_tenants(tenants)
    return bool(
        conn.execute(
            select(
                or_(
                    exists().where(e.c.dispatched_at.is_(None)),
                    exists().where(due if among is None else and_(due, among)),
                )
            )
        ).scalar()
    )


def claim_due(
    db: Database,
    *,
    now: datetime,
    holder: str,
    lease: timedelta,
    timing: AlertTiming = DEFAULT_TIMING,
    tenants: Sequence[Tenant] | None = None,
) -> AlertPass:
    """Route new events to every watch, then claim the messages due for ``tenants`` (the teams the
    caller can post for; None: every team). Another team's bot on the same database never claims
    a message it could only fail to post."""
    with db.reading() as conn:
        if not anything_to_do(conn, now, tenants):
            return AlertPass()
    with db.writing(bump_version=False) as conn:
        serialize_on_postgresql(conn, DISPATCH_LOCK)  # one pass at a time
        among = _of_tenants(tenants)
        uncertain = rows(db).expire_stale_posts(conn, now, among)
        routed = _route(conn, db.dialect, now, timing)
        claims = _claim(conn, now, holder, lease, timing, among)
    return AlertPass(tuple(claims), routed, tuple(uncertain))


def _route(conn: Connection, dialect: str, now: datetime, timing: AlertTiming) -> int:
    e, w, p = schema.alert_events, schema.alert_watches, schema.projects
    events = conn.execute(
        select(e.c.id, e.c.kind, e.c.project_id, e.c.occurred_at)
        .where(e.c.dispatched_at.is_(None))
        .order_by(e.c.id)
        .limit(ROUTE_BATCH)
    ).all()
    if not events:
        return 0
    project_ids = sorted({ev.project_id for ev in events})
    refs = dict(conn.execute(select(p.c.id, p.c.ref).where(p.c.id.in_(project_ids))).all())
    watching: dict[str, list[Watch]] = defaultdict(list)
    for row in conn.execute(
        watch_query().where(w.c.project_ref.in_(set(refs.values())), w.c.status == ACTIVE)
    ):
        watching[row.project_ref].append(watch_from_row(row))
    pairs: dict[int, list[int]] = defaultdict(list)  # watch id → its new event ids
    for ev in events:
        for watch in watching.get(refs.get(ev.project_id, ""), ()):
            if ev.id <= watch.from_event_id or ev.occurred_at < watch.created_at - timing.clock_skew:
                continue  # history older than the watch
            if any(watch.wants(kind) for kind in WANTED_BY.get(ev.kind, ())):
                pairs[watch.id].append(ev.id)
    by_id = {watch.id: watch for found in watching.values() for watch in found}
    for watch_id, event_ids in pairs.items():
        _gather(conn, dialect, by_id[watch_id], event_ids, now, timing)
    conn.execute(update(e).where(e.c.id.in_([ev.id for ev in events])).values(dispatched_at=now))
    return len(events)


def _gather(
    conn: Connection, dialect: str, watch: Watch, event_ids: list[int], now: datetime, timing: AlertTiming
) -> None:
    """Put the events into the watch's gathering message (one is opened if there is none)."""
    d, de = schema.alert_deliveries, schema.alert_delivery_events
    open_row = conn.execute(
        select(d.c.id, d.c.first_event_at).where(d.c.watch_id == watch.id, d.c.status == GATHERING).limit(1)
    ).first()
    if open_row is None:
        delivery_id = conn.execute(
            d.insert()
            .values(
                watch_id=watch.id,
                **watch.tenant.columns(),
                status=GATHERING,
                first_event_at=now,
                last_event_at=now,
                due_at=now + timing.quiet,
                attempts=0,
            )
            .returning(d.c.id)
        ).scalar_one()
        first = now
    else:
        delivery_id, first = open_row.id, open_row.first_event_at
    added = conn.execute(
        dialect_insert(de, dialect)
        .values([{"watch_id": watch.id, "event_id": i, "delivery_id": delivery_id} for i in event_ids])
        .on_conflict_do_nothing(index_elements=["watch_id", "event_id"])
    ).rowcount
    if added:
        conn.execute(
            update(d)
            .where(d.c.id == delivery_id)
            .values(last_event_at=now, due_at=min(now + timing.quiet, first + timing.max_gather))
        )


def _of_tenants(tenants: Sequence[Tenant] | None) -> ColumnElement[bool] | None:
    if tenants is None:
        return None
    d = schema.alert_deliveries
    return or_(false(), *(of_tenant(d, tenant) for tenant in tenants))


def _claim(
    conn: Connection,
    now: datetime,
    holder: str,
    lease: timedelta,
    timing: AlertTiming,
    among: ColumnElement[bool] | None = None,
) -> list[AlertClaim]:
    d, de, w = schema.alert_deliveries, schema.alert_delivery_events, schema.alert_watches
    due = conn.execute(
        select(d.c.id, d.c.status, d.c.watch_id, d.c.holder)
        .where(
            d.c.due_at <= now,
            d.c.status.in_((GATHERING, PENDING, CLAIMED)),
            true() if among is None else among,
        )
        .order_by(d.c.due_at, d.c.id)
    ).all()
    claims = []
    for row in due:
        delivery_id, status, owner = row.id, row.status, row.holder
        if status == GATHERING:
            wait_until, current = _placement(conn, row.watch_id, row.id, now, timing)
            if wait_until is not None:
                conn.execute(update(d).where(d.c.id == row.id).values(due_at=wait_until))
                continue
            if current is not None:  # the watch's message of this minute is out: it is updated instead
                conn.execute(update(de).where(de.c.delivery_id == row.id).values(delivery_id=current))
                conn.execute(delete(d).where(d.c.id == row.id))
                delivery_id, status, owner = current, DELIVERED, None
        taken = conn.execute(
            update(d)
            .where(d.c.id == delivery_id, d.c.status == status, *_same_holder(status, owner))
            .values(
                status=CLAIMED,
                holder=holder,
                lease_expires_at=now + lease,
                due_at=now + lease,
                next_attempt_at=None,
                claimed_at=func.coalesce(d.c.claimed_at, now),
                **({"attempts": 0} if status == DELIVERED else {}),
            )
        ).rowcount
        if not taken:
            continue
        state = conn.execute(
            select(d.c.attempts, d.c.claimed_at, d.c.message_ts).where(d.c.id == delivery_id)
        ).one()
        watch = conn.execute(watch_query().where(w.c.id == row.watch_id)).one()
        claims.append(
            AlertClaim(
                delivery_id, watch_from_row(watch), holder, state.attempts, state.claimed_at, state.message_ts
            )
        )
    return claims


def _same_holder(status: str, owner: str | None) -> tuple:
    """The holder a row must still have to be taken (a delivered one keeps who posted it: any)."""
    d = schema.alert_deliveries
    if status == DELIVERED:
        return ()
    return (d.c.holder.is_(None),) if owner is None else (d.c.holder == owner,)


def _placement(
    conn: Connection, watch_id: int, delivery_id: int, now: datetime, timing: AlertTiming
) -> tuple[datetime | None, int | None]:
    """Where a gathered message goes now: (hold it until, None) while another message of the
    watch is in flight or the minute of one that may have gone out is not over; (None, id) to
    fold it into the message of this minute that is out (updated in place); (None, None) to post."""
    d = schema.alert_deliveries
    others = and_(d.c.watch_id == watch_id, d.c.id != delivery_id)
    in_flight = conn.execute(
        select(d.c.status, d.c.next_attempt_at)
        .where(others, d.c.status.in_((CLAIMED, POSTING, PENDING)))
        .limit(1)
    ).first()
    if in_flight is not None:  # look again when it has gone (a deferred retry: at its retry time)
        again = now + timedelta(seconds=2)
        return (
            max(again, in_flight.next_attempt_at or again) if in_flight.status == PENDING else again
        ), None
    latest = conn.execute(
        select(d.c.id, d.c.status, d.c.claimed_at, d.c.message_ts)
        .where(others, d.c.status.in_((DELIVERED, UNCERTAIN)))
        .order_by(d.c.claimed_at.desc(), d.c.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.claimed_at is None or now >= latest.claimed_at + timing.min_interval:
        return None, None
    if latest.status == DELIVERED and latest.message_ts:
        return None, latest.id
    return latest.claimed_at + timing.min_interval, None


def prune(db: Database, *, before: datetime) -> int:
    """Forget what was settled before ``before``: routed events and finished messages (the
    dispatcher does this hourly, keeping ``KEEP``); returns how many rows went."""
    e, d = schema.alert_events, schema.alert_deliveries
    with db.writing(bump_version=False) as conn:
        messages = conn.execute(
            delete(d).where(d.c.due_at.is_(None), d.c.status != GATHERING, d.c.last_event_at < before)
        ).rowcount
        events = conn.execute(delete(e).where(e.c.dispatched_at < before)).rowcount
    return messages + events


def event_ids(conn: Connection, delivery_id: int) -> list[int]:
    de = schema.alert_delivery_events
    return list(conn.execute(select(de.c.event_id).where(de.c.delivery_id == delivery_id)).scalars())
