"""Reading and changing project access rules, with the audit trail, per tenant.

A change is one transaction: the rules, the audit row (who, when, before, after) and the digest
subscriptions and alert watches it affects. A subscription whose target loses sight of the project is paused with
``ACCESS_PAUSE_REASON`` (its channel's ``digest list`` says why); one paused so that can see the
project again is resumed from now on (it never posts for weeks it missed). Whether a target still
sees the project is asked of the surface (``subscriber``): only it knows what a DM target's
person is a member of.

A DM target's person can also leave the project's channels and user groups with no rule changing,
so the digest loop asks again before every post (``rules_of``; it pauses with
``OWNER_PAUSE_REASON`` when they may not see the project any more) and on every pass resumes what
access paused once its reader may see the project again (``resume_seen``). The alert loop does
the same for alert watches (``OWNER_WATCH_PAUSE_REASON``, ``resume_seen_watches``): a resumed
watch tells only what happens from then on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, false, func, insert, or_, select, update

from ..alerts import watches as alert_watches
from ..digests.constants import ACTIVE, PAUSED
from ..digests.subscriptions import pause_in
from ..errors import QueryError
from ..queries.lookup import resolve_project
from ..store import schema
from ..store.engine import Database
from ..tenancy import Tenant
from .rules import (
    ACCESS_PAUSE_CODES,
    ACCESS_PAUSE_REASON,
    CHANNEL,
    USERGROUP,
    AccessChange,
    ProjectAccess,
    Target,
    Viewer,
    may_see,
    paused_for_access,
)

logger = logging.getLogger(__name__)
Subscriber = Callable[[str, str | None], Viewer]  # (target, subscribed by) -> who reads it there
HISTORY_SHOWN = 10
MAX_TARGETS = 50


def channel_subscriber(target: str, _created_by: str | None) -> Viewer:
    """By default a subscription's target is a shared channel: its readers are whoever is in it."""
    return Viewer.in_channel(target)


class AccessRules:
    """``ctx.access``: the rules of every tenant, and the one place that changes them."""

    def __init__(self, db: Database):
        self._db = db

    # -- reading ------------------------------------------------------------------------------

    def restricted(self, tenant: Tenant) -> dict[str, ProjectAccess]:
        """The tenant's restricted projects by name (projects since deleted are left out)."""
        with self._db.reading() as conn:
            return _read_rules(conn, tenant)

    def of(self, tenant: Tenant, project: str) -> ProjectAccess:
        """The rules of one project (typed loosely; any project: this is the operator's read)."""
        with self._db.reading() as conn:
            row = resolve_project(conn, project)
            return _read_rules(conn, tenant, row.ref).get(row.name) or ProjectAccess(row.name, row.ref)

    def rules_of(self, tenant: Tenant, project_ref: str) -> ProjectAccess | None:
        """The rules of the project stored as ``project_ref`` (exactly); None when it is open to
        the whole workspace or gone. One read, for a check made before every digest post."""
        with self._db.reading() as conn:
            return next(iter(_read_rules(conn, tenant, project_ref).values()), None)

    def resume_seen(
        self, tenant: Tenant, subscriber: Subscriber, *, now: datetime | None = None
    ) -> tuple[str, ...]:
        """Resume ``tenant``'s digest subscriptions paused for access whose reader (``subscriber``)
        may see the project again, e.g. a DM's person who is back in one of its channels; from now
        on, as a rule change resumes them. When the surface cannot tell, they stay paused. Returns
        the targets resumed. Costs one read when nothing is paused for access."""
        now = now or datetime.now(UTC)
        s, p = schema.digest_subscriptions, schema.projects
        with self._db.reading() as conn:
            paused = conn.execute(
                select(s.c.id, s.c.target, s.c.created_by, s.c.project_ref, s.c.paused_reason)
                .join(p, p.c.ref == s.c.project_ref)  # a deleted project's stay paused
                .where(
                    _tenant(s, tenant),
                    s.c.status == PAUSED,
                    or_(*(s.c.paused_reason.contains(code, autoescape=True) for code in ACCESS_PAUSE_CODES)),
                )
                .order_by(s.c.id)
            ).all()
            if not paused:
                return ()
            rules = {rule.project_ref: rule for rule in _read_rules(conn, tenant).values()}
        seen = []
        for row in paused:
            try:
                visible = may_see(rules.get(row.project_ref), subscriber(row.target, row.created_by))
            except Exception:  # the surface could not ask: not seen, so it stays paused
                logger.warning(
                    "could not check who reads %s; its digest stays paused", row.target, exc_info=True
                )
                continue
            if visible:
                seen.append(row)
        resumed = []
        if seen:
            with self._db.writing(bump_version=False) as conn:
                for row in seen:  # unless someone changed it meanwhile (unsubscribed, paused otherwise)
                    if _resume_in(conn, row.id, now, paused_reason=row.paused_reason):
                        resumed.append(row.target)
        return tuple(resumed)

    def resume_seen_watches(
        self,
        subscriber_for: Callable[[Tenant], Subscriber],
        *,
        tenants: Sequence[Tenant] | None = None,
        now: datetime | None = None,
    ) -> tuple[str, ...]:
        """Resume the alert watches of ``tenants`` (None: every team) paused for access whose
        reader (``subscriber_for(tenant)``) may see the project again, e.g. a DM's person who is
        back in one of its channels. A resumed watch tells only what happens from now on (nothing
        from while it was paused), as a rule change resumes it. When the surface cannot tell,
        they stay paused. Returns the channels resumed. Costs one read when nothing is paused so."""
        now = now or datetime.now(UTC)
        w, p = schema.alert_watches, schema.projects
        stmt = (
            select(w.c.id, w.c.team_id, w.c.enterprise_id, w.c.channel, w.c.created_by, w.c.project_ref)
            .add_columns(w.c.paused_reason)
            .join(p, p.c.ref == w.c.project_ref)  # a deleted project's stay paused
            .where(
                w.c.status == alert_watches.PAUSED,
                or_(*(w.c.paused_reason.contains(code, autoescape=True) for code in ACCESS_PAUSE_CODES)),
            )
            .order_by(w.c.id)
        )
        if tenants is not None:
            stmt = stmt.where(or_(false(), *(_tenant(w, tenant) for tenant in tenants)))
        with self._db.reading() as conn:
            paused = conn.execute(stmt).all()
            if not paused:
                return ()
            teams = {Tenant.of(row.team_id, row.enterprise_id) for row in paused}
            rules = {
                (team, rule.project_ref): rule for team in teams for rule in _read_rules(conn, team).values()
            }
        readers: dict[Tenant, Subscriber | None] = {}
        seen = []
        for row in paused:
            team = Tenant.of(row.team_id, row.enterprise_id)
            try:
                if team not in readers:
                    readers[team] = subscriber_for(team)
                reader = readers[team]
                visible = reader is not None and may_see(
                    rules.get((team, row.project_ref)), reader(row.channel, row.created_by)
                )
            except Exception:  # the surface could not ask: not seen, so it stays paused
                readers.setdefault(team, None)
                logger.warning(
                    "could not check who reads %s; its alert watch stays paused", row.channel, exc_info=True
                )
                continue
            if visible:
                seen.append(row)
        resumed = []
        if seen:
            with self._db.writing(bump_version=False) as conn:
                newest = _newest_event(conn)
                for row in seen:  # unless someone changed it meanwhile (unwatched, paused otherwise)
                    if _resume_watch_in(conn, row.id, now, newest, paused_reason=row.paused_reason):
                        resumed.append(row.channel)
        return tuple(resumed)

    def tenants(self) -> tuple[Tenant, ...]:
        """Every tenant that has (or had) access rules, for an operator who names none."""
        c = schema.project_access_changes
        with self._db.reading() as conn:
            rows = conn.execute(select(c.c.team_id, c.c.enterprise_id).distinct()).all()
        return tuple(sorted((Tenant.of(*row) for row in rows), key=lambda t: t.key))

    def hidden_projects(self, tenant: Tenant, viewer: Viewer) -> frozenset[str]:
        """The names of the projects ``viewer`` may not see (usually none: only restricted ones)."""
        if viewer.operator:
            return frozenset()
        return frozenset(name for name, rule in self.restricted(tenant).items() if not may_see(rule, viewer))

    def visible_projects(self, tenant: Tenant, viewer: Viewer) -> tuple[str, ...]:
        """Every project ``viewer`` may see, alphabetically (for features listing "what can I watch?")."""
        hidden = self.hidden_projects(tenant, viewer)
        p = schema.projects
        with self._db.reading() as conn:
            names = conn.execute(select(p.c.name).order_by(p.c.name)).scalars().all()
        return tuple(name for name in names if name not in hidden)

    def may_see(self, tenant: Tenant, viewer: Viewer, project: str) -> bool:
        """Whether ``viewer`` may see the project stored as ``project`` (its name or ref); a project
        that does not exist is not seen by anyone but operators."""
        if viewer.operator:
            return True
        p = schema.projects
        with self._db.reading() as conn:
            row = conn.execute(
                select(p.c.name, p.c.ref).where((p.c.name == project) | (p.c.ref == project))
            ).first()
            if row is None:
                return False
            return may_see(_read_rules(conn, tenant, row.ref).get(row.name), viewer)

    def history(
        self, tenant: Tenant, project: str, *, limit: int = HISTORY_SHOWN
    ) -> tuple[AccessChange, ...]:
        """The project's recorded changes, newest first."""
        c = schema.project_access_changes
        with self._db.reading() as conn:
            row = resolve_project(conn, project)
            rows = conn.execute(
                select(c)
                .where(_tenant(c, tenant), c.c.project_ref == row.ref)
                .order_by(c.c.changed_at.desc(), c.c.id.desc())
                .limit(limit)
            ).all()
        return tuple(
            AccessChange(
                project=row.name,
                action=r.action,
                actor=r.actor,
                surface=r.surface,
                changed_at=r.changed_at,
                before=_from_snapshot(row.name, row.ref, r.before),
                after=_from_snapshot(row.name, row.ref, r.after),
            )
            for r in rows
        )

    # -- changing -----------------------------------------------------------------------------

    def restrict(
        self,
        tenant: Tenant,
        project: str,
        channels: Sequence[Target],
        usergroups: Sequence[Target] = (),
        *,
        actor: str,
        surface: str,
        subscriber: Subscriber = channel_subscriber,
        now: datetime | None = None,
    ) -> AccessChange:
        """Restrict ``project`` to exactly these channels (and user groups), replacing its rules."""
        channels, usergroups = _targets(channels, CHANNEL), _targets(usergroups, USERGROUP)
        if not channels:
            raise QueryError(
                "name at least one channel to restrict the project to, e.g. `#ml-secret`",
                code="access_no_channels",
            )
        return self._change(
            tenant, project, "restrict", channels, usergroups, actor, surface, subscriber, now
        )

    def open(
        self,
        tenant: Tenant,
        project: str,
        *,
        actor: str,
        surface: str,
        subscriber: Subscriber = channel_subscriber,
        now: datetime | None = None,
    ) -> AccessChange:
        """Open ``project`` to the whole workspace again (paused subscriptions resume)."""
        return self._change(tenant, project, "open", (), (), actor, surface, subscriber, now)

    def _change(
        self,
        tenant: Tenant,
        project: str,
        action: str,
        channels: tuple[Target, ...],
        usergroups: tuple[Target, ...],
        actor: str,
        surface: str,
        subscriber: Subscriber,
        now: datetime | None,
    ) -> AccessChange:
        now = now or datetime.now(UTC)
        if not actor:
            raise QueryError("an access change needs who made it", code="access_actor_missing")
        with self._db.reading() as conn:
            row = resolve_project(conn, project)
            s, w = schema.digest_subscriptions, schema.alert_watches
            subscriptions = _followers(conn, s, s.c.target, tenant, row.ref)
            watches = _followers(conn, w, w.c.channel, tenant, row.ref)
        after = ProjectAccess(row.name, row.ref, channels, usergroups)
        # Asked before writing: a DM target's membership comes from the chat platform.
        sees = {
            (target, by): may_see(after, subscriber(target, by))
            for _, target, by, _, _ in (*subscriptions, *watches)
        }
        with self._db.writing(bump_version=False) as conn:
            before = _read_rules(conn, tenant, row.ref).get(row.name) or ProjectAccess(row.name, row.ref)
            if before.snapshot() == after.snapshot():
                return AccessChange(row.name, action, actor, surface, now, before, after, changed=False)
            r = schema.project_access_rules
            conn.execute(delete(r).where(_tenant(r, tenant), r.c.project_ref == row.ref))
            rows = [
                {**tenant.columns(), "project_ref": row.ref, "kind": t.kind, "target_id": t.id,
                 "target_name": t.name, "created_at": now}
                for t in (*channels, *usergroups)
            ]  # fmt: skip
            if rows:
                conn.execute(insert(r), rows)
            conn.execute(
                insert(schema.project_access_changes).values(
                    **tenant.columns(),
                    project_ref=row.ref,
                    action=action,
                    actor=actor[:255],
                    surface=surface[:16],
                    before=before.snapshot(),
                    after=after.snapshot(),
                    changed_at=now,
                )
            )
            paused, resumed = _follow_subscriptions(conn, subscriptions, sees, now)
            paused_watches, resumed_watches = _follow_watches(conn, watches, sees, now)
        return AccessChange(
            row.name, action, actor, surface, now, before, after, paused=paused, resumed=resumed,
            paused_watches=paused_watches, resumed_watches=resumed_watches,
        )  # fmt: skip


# -- helpers ----------------------------------------------------------------------------------


def _tenant(table: Any, tenant: Tenant):
    return and_(table.c.team_id == tenant.team_id, table.c.enterprise_id == tenant.enterprise_id)


def _targets(given: Iterable[Target], kind: str) -> tuple[Target, ...]:
    """Distinct targets of ``kind`` in the order given, checked for shape."""
    found: dict[str, Target] = {}
    for target in given:
        if not isinstance(target, Target) or not target.id or len(target.id) > 64:
            raise QueryError(
                f"not a usable {kind}: {target!r}", code="access_bad_target", details={"kind": kind}
            )
        found.setdefault(target.id, Target(kind, target.id, (target.name or None) and target.name[:255]))
    if len(found) > MAX_TARGETS:
        raise QueryError(
            f"a project can be restricted to at most {MAX_TARGETS} {kind}s",
            code="access_too_many",
            details={"kind": kind, "limit": MAX_TARGETS},
        )
    return tuple(found.values())


def _read_rules(conn: Connection, tenant: Tenant, ref: str | None = None) -> dict[str, ProjectAccess]:
    r, p = schema.project_access_rules, schema.projects
    stmt = (
        select(p.c.name, r.c.project_ref, r.c.kind, r.c.target_id, r.c.target_name)
        .join(p, p.c.ref == r.c.project_ref)
        .where(_tenant(r, tenant))
        .order_by(p.c.name, r.c.kind, r.c.target_name, r.c.target_id)
    )
    if ref is not None:
        stmt = stmt.where(r.c.project_ref == ref)
    grouped: dict[str, tuple[str, list[Target], list[Target]]] = {}
    for name, project_ref, kind, target_id, target_name in conn.execute(stmt):
        _, channels, groups = grouped.setdefault(name, (project_ref, [], []))
        (channels if kind == CHANNEL else groups).append(Target(kind, target_id, target_name))
    return {
        name: ProjectAccess(name, project_ref, tuple(channels), tuple(groups))
        for name, (project_ref, channels, groups) in grouped.items()
    }


def _from_snapshot(project: str, ref: str, data: Any) -> ProjectAccess:
    data = data if isinstance(data, dict) else {}

    def targets(kind: str, key: str) -> tuple[Target, ...]:
        return tuple(
            Target(kind, str(t.get("id")), t.get("name")) for t in data.get(key) or () if isinstance(t, dict)
        )

    return ProjectAccess(project, ref, targets(CHANNEL, "channels"), targets(USERGROUP, "usergroups"))


def _followers(conn: Connection, table: Any, where: Any, tenant: Tenant, ref: str) -> list[Any]:
    """(id, where it posts, created_by, status, paused_reason) of the project's digest
    subscriptions or alert watches in ``tenant``."""
    stmt = select(table.c.id, where, table.c.created_by, table.c.status, table.c.paused_reason).where(
        table.c.project_ref == ref, _tenant(table, tenant)
    )
    return list(conn.execute(stmt.order_by(table.c.id)).all())


def _follow_subscriptions(
    conn: Connection, subscriptions: list[Any], sees: dict, now: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pause the active subscriptions that lost sight of the project; resume those access paused."""
    paused, resumed = [], []
    for sub_id, target, created_by, status, reason in subscriptions:
        visible = sees[(target, created_by)]
        if status == ACTIVE and not visible:
            pause_in(conn, sub_id, ACCESS_PAUSE_REASON, now)
            paused.append(target)
        elif status == PAUSED and visible and paused_for_access(reason):
            _resume_in(conn, sub_id, now)
            resumed.append(target)
    return tuple(paused), tuple(resumed)


def _resume_in(conn: Connection, sub_id: int, now: datetime, *, paused_reason: str | None = None) -> bool:
    """Make a subscription paused for access active again, counting fire times from ``now`` (it
    never posts for weeks its reader could not see); with ``paused_reason``, only if it still is
    paused so. False when nothing changed."""
    s = schema.digest_subscriptions
    stmt = update(s).where(s.c.id == sub_id, s.c.status == PAUSED)
    if paused_reason is not None:
        stmt = stmt.where(s.c.paused_reason == paused_reason)
    values = {
        "status": ACTIVE,
        "paused_reason": None,
        "paused_at": None,
        "updated_at": now,
        "schedule_from": now,
    }
    return bool(conn.execute(stmt.values(**values)).rowcount)


def _follow_watches(
    conn: Connection, watches: list[Any], sees: dict, now: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Alert watches follow access as subscriptions do; a resumed watch tells only what happens
    from now on (nothing that happened while the channel could not see the project)."""
    paused, resumed = [], []
    newest = None
    for watch_id, channel, created_by, status, reason in watches:
        visible = sees[(channel, created_by)]
        if status == alert_watches.ACTIVE and not visible:
            alert_watches.pause_in(conn, watch_id, ACCESS_PAUSE_REASON, now)
            paused.append(channel)
        elif status == alert_watches.PAUSED and visible and paused_for_access(reason):
            if newest is None:
                newest = _newest_event(conn)
            _resume_watch_in(conn, watch_id, now, newest)
            resumed.append(channel)
    return tuple(paused), tuple(resumed)


def _newest_event(conn: Connection) -> int:
    return conn.execute(select(func.max(schema.alert_events.c.id))).scalar() or 0


def _resume_watch_in(
    conn: Connection, watch_id: int, now: datetime, newest: int, *, paused_reason: str | None = None
) -> bool:
    """Make a watch paused for access active again, telling only events after ``newest`` (none
    from while it could not see the project); with ``paused_reason``, only if it still is paused
    so. False when nothing changed."""
    w = schema.alert_watches
    stmt = update(w).where(w.c.id == watch_id, w.c.status == alert_watches.PAUSED)
    if paused_reason is not None:
        stmt = stmt.where(w.c.paused_reason == paused_reason)
    values = {
        "status": alert_watches.ACTIVE,
        "paused_reason": None,
        "updated_at": now,
        "from_event_id": newest,
    }
    return bool(conn.execute(stmt.values(**values)).rowcount)
