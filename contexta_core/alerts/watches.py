"""Watches: which channel (of which team) is told about which project's changes, and of what kinds.

One watch per (tenant, channel, project); watching again changes its kinds and metric and resumes
a paused one. A new watch starts at the newest outbox event, so nothing that happened before it
is ever told (``from_event_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, delete, func, select, update

from ..errors import QueryError
from ..store import schema
from ..store.engine import Database
from ..store.leases import CLAIMED, PENDING
from ..store.sql import dialect_insert
from ..tenancy import Tenant

NEW_BEST, DEPLOYMENTS, FAILURES, REGRESSIONS = "new-best", "deployments", "failures", "regressions"
KINDS = (NEW_BEST, DEPLOYMENTS, FAILURES, REGRESSIONS)
DEFAULT_KINDS = (NEW_BEST, DEPLOYMENTS, FAILURES)
ACTIVE, PAUSED = "active", "paused"
GATHERING, SKIPPED = "gathering", "skipped"  # an alert message's own states besides the leases'
# The states of an alert message not out yet: skipped when its watch can no longer be posted to.
UNSENT = (GATHERING, PENDING, CLAIMED)


@dataclass(frozen=True, slots=True)
class Watch:
    id: int
    tenant: Tenant
    channel: str
    project_ref: str
    project_name: str  # the project's current name (its ref when the project is gone)
    kinds: tuple[str, ...]
    metric_key: str | None
    language: str
    status: str
    paused_reason: str | None
    created_by: str | None
    created_at: datetime
    from_event_id: int

    def wants(self, kind: str) -> bool:
        return kind in self.kinds


def watch_query():
    w, p = schema.alert_watches, schema.projects
    return select(w, func.coalesce(p.c.name, w.c.project_ref).label("project_name")).outerjoin(
        p, p.c.ref == w.c.project_ref
    )


def watch_from_row(row) -> Watch:
    return Watch(
        id=row.id,
        tenant=Tenant(row.team_id, row.enterprise_id),
        channel=row.channel,
        project_ref=row.project_ref,
        project_name=row.project_name,
        kinds=tuple(k for k in KINDS if k in (row.kinds or ())),
        metric_key=row.metric_key,
        language=row.language,
        status=row.status,
        paused_reason=row.paused_reason,
        created_by=row.created_by,
        created_at=row.created_at,
        from_event_id=row.from_event_id,
    )


def _tenant_where(tenant: Tenant):
    w = schema.alert_watches
    return and_(w.c.team_id == tenant.team_id, w.c.enterprise_id == tenant.enterprise_id)


def _one(conn: Connection, tenant: Tenant, channel: str, project_ref: str) -> Watch | None:
    w = schema.alert_watches
    row = conn.execute(
        watch_query().where(_tenant_where(tenant), w.c.channel == channel, w.c.project_ref == project_ref)
    ).first()
    return watch_from_row(row) if row else None


def watch(
    db: Database,
    *,
    tenant: Tenant,
    channel: str,
    project_ref: str,
    kinds: tuple[str, ...] = DEFAULT_KINDS,
    metric_key: str | None = None,
    language: str = "en",
    created_by: str | None = None,
    now: datetime | None = None,
) -> tuple[Watch, bool]:
    """Create or change the channel's watch of a project; True when it is new."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise QueryError(
            f"unknown alert kind `{unknown[0] if unknown else ''}`; use {', '.join(KINDS)}",
            code="unknown_alert_kind",
            details={"kind": unknown[0] if unknown else "", "allowed": list(KINDS)},
        )
    if not channel:
        raise QueryError("a watch needs a channel", code="watch_needs_channel")
    now = now or datetime.now(UTC)
    w = schema.alert_watches
    values = {
        "kinds": [k for k in KINDS if k in kinds],
        "metric_key": metric_key,
        "language": language,
        "status": ACTIVE,
        "paused_reason": None,
        "updated_at": now,
    }
    with db.writing(bump_version=False) as conn:
        newest = conn.execute(select(func.max(schema.alert_events.c.id))).scalar() or 0
        inserted = conn.execute(
            dialect_insert(w, db.dialect)
            .values(
                **tenant.columns(),
                channel=channel,
                project_ref=project_ref,
                created_by=created_by,
                created_at=now,
                from_event_id=newest,
                **values,
            )
            .on_conflict_do_nothing(index_elements=["team_id", "enterprise_id", "channel", "project_ref"])
            .returning(w.c.id)
        ).scalar()
        if inserted is None:
            conn.execute(
                update(w)
                .where(_tenant_where(tenant), w.c.channel == channel, w.c.project_ref == project_ref)
                .values(**values)
            )
        found = _one(conn, tenant, channel, project_ref)
    assert found is not None
    return found, inserted is not None


def watches(db: Database, *, tenant: Tenant, channel: str | None = None) -> tuple[Watch, ...]:
    """The tenant's watches (of one channel), by project name."""
    w = schema.alert_watches
    stmt = watch_query().where(_tenant_where(tenant))
    if channel is not None:
        stmt = stmt.where(w.c.channel == channel)
    with db.reading() as conn:
        rows = conn.execute(stmt).all()
    return tuple(
        sorted((watch_from_row(r) for r in rows), key=lambda x: (x.channel, x.project_name.casefold()))
    )


def unwatch(db: Database, *, tenant: Tenant, channel: str, project_ref: str) -> Watch | None:
    """Stop the channel's watch of a project (its undelivered alerts go with it); the watch, if any."""
    w = schema.alert_watches
    with db.writing(bump_version=False) as conn:
        found = _one(conn, tenant, channel, project_ref)
        if found is not None:
            conn.execute(delete(w).where(w.c.id == found.id))
    return found


def pause_tenant(db: Database, tenant: Tenant, reason: str, *, now: datetime | None = None) -> int:
    """Pause every active watch of ``tenant`` (its install is gone: nothing could be posted) and
    skip their messages not yet out (gathering, deferred, claimed); returns how many watches."""
    now = now or datetime.now(UTC)
    w, d = schema.alert_watches, schema.alert_deliveries
    with db.writing(bump_version=False) as conn:
        ids = conn.execute(select(w.c.id).where(_tenant_where(tenant), w.c.status == ACTIVE)).scalars().all()
        if ids:
            conn.execute(
                update(w)
                .where(w.c.id.in_(ids))
                .values(status=PAUSED, paused_reason=reason[:1000], updated_at=now)
            )
            conn.execute(
                update(d)
                .where(d.c.watch_id.in_(ids), d.c.status.in_(UNSENT))
                .values(
                    status=SKIPPED, last_error=reason[:1000], holder=None, lease_expires_at=None, due_at=None
                )
            )
    return len(ids)


def pause_in(
    conn: Connection, watch_id: int, reason: str, now: datetime, *, skip_unsent: bool = False
) -> None:
    """Slack will not take this channel's alerts (removed, archived …): stop until watched again.
    ``skip_unsent``: its messages not yet out are skipped too (its reader may not see them)."""
    w, d = schema.alert_watches, schema.alert_deliveries
    conn.execute(
        update(w).where(w.c.id == watch_id).values(status=PAUSED, paused_reason=reason[:1000], updated_at=now)
    )
    if skip_unsent:
        conn.execute(
            update(d)
            .where(d.c.watch_id == watch_id, d.c.status.in_(UNSENT))
            .values(status=SKIPPED, last_error=reason[:1000], holder=None, lease_expires_at=None, due_at=None)
        )
