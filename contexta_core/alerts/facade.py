"""``Contexta.alerts``: the one way into alerts (watches, the dispatcher's claims, the messages).

It is also the ``Ledger`` the shared posting loop (``contexta_core.delivery``) moves a claimed
alert through, with the same lease moves as digests (``store.leases``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from ..queries.lookup import resolve_project
from ..store import schema
from ..store.engine import Database
from ..tenancy import Tenant
from . import dispatch, watches
from .dispatch import DEFAULT_TIMING, AlertClaim, AlertPass, AlertTiming
from .summary import AlertSummary, ScopeOf, alert_summary
from .watches import DEFAULT_KINDS, SKIPPED, Watch


class Alerts:
    """Alerts of one workspace; every method is safe to call from many processes."""

    def __init__(self, db: Database, scope_of: ScopeOf):
        self._db = db
        self._scope_of = scope_of
        self._rows = dispatch.rows(db)

    # -- watches ---------------------------------------------------------------------------------

    def watch(
        self,
        *,
        tenant: Tenant,
        channel: str,
        project: str,
        kinds: tuple[str, ...] = DEFAULT_KINDS,
        metric_key: str | None = None,
        language: str = "en",
        created_by: str | None = None,
        now: datetime | None = None,
    ) -> tuple[Watch, bool]:
        """Watch ``project`` (a name or ref; UnknownProjectError if there is none) from ``channel``."""
        with self._db.reading() as conn:
            project_ref = resolve_project(conn, project).ref
        return watches.watch(
            self._db,
            tenant=tenant,
            channel=channel,
            project_ref=project_ref,
            kinds=kinds,
            metric_key=metric_key,
            language=language,
            created_by=created_by,
            now=now,
        )

    def watches(self, *, tenant: Tenant, channel: str | None = None) -> tuple[Watch, ...]:
        return watches.watches(self._db, tenant=tenant, channel=channel)

    def unwatch(self, *, tenant: Tenant, channel: str, project: str) -> Watch | None:
        """Stop the channel's watch of ``project`` (its name, or its name when watched if it was
        deleted since); None when the channel does not watch it (UnknownProjectError: no such project)."""
        wanted = project.strip().casefold()
        for watch in self.watches(tenant=tenant, channel=channel):
            if wanted in (watch.project_name.casefold(), watch.project_ref.casefold()):
                return watches.unwatch(
                    self._db, tenant=tenant, channel=channel, project_ref=watch.project_ref
                )
        with self._db.reading() as conn:
            resolve_project(conn, project)
        return None

    def pause_tenant(self, tenant: Tenant, reason: str, *, now: datetime | None = None) -> int:
        """Pause every active watch of ``tenant`` (e.g. the app was uninstalled there) and skip
        its messages not yet out; returns how many watches were paused."""
        return watches.pause_tenant(self._db, tenant, reason, now=now)

    # -- the dispatcher --------------------------------------------------------------------------

    def anything_to_do(self, now: datetime, *, tenants: Sequence[Tenant] | None = None) -> bool:
        with self._db.reading() as conn:
            return dispatch.anything_to_do(conn, now, tenants)

    def claim_due(
        self,
        *,
        now: datetime,
        holder: str,
        lease: timedelta,
        timing: AlertTiming = DEFAULT_TIMING,
        tenants: Sequence[Tenant] | None = None,
    ) -> AlertPass:
        return dispatch.claim_due(
            self._db, now=now, holder=holder, lease=lease, timing=timing, tenants=tenants
        )

    def prune(self, *, before: datetime) -> int:
        return dispatch.prune(self._db, before=before)

    def summary(self, claim: AlertClaim) -> AlertSummary | None:
        """What the claimed message tells (None: its project is gone)."""
        with self._db.reading() as conn:
            return alert_summary(conn, claim.watch, claim.delivery_id, self._scope_of)

    def skip(self, claim: AlertClaim, *, reason: str) -> bool:
        """Nothing in the message is worth telling (a run that beat nothing): close it unposted."""
        return self._rows.move(
            claim,
            ("claimed",),
            status=SKIPPED,
            holder=None,
            lease_expires_at=None,
            due_at=None,
            last_error=reason,
        )

    def deliveries(self, watch_id: int | None = None) -> list[dict]:
        """Every alert message row (of one watch), oldest first: for tests, audits and the CLI."""
        d = schema.alert_deliveries
        stmt = select(d).order_by(d.c.id)
        if watch_id is not None:
            stmt = stmt.where(d.c.watch_id == watch_id)
        with self._db.reading() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    # -- the Ledger of the shared posting loop ----------------------------------------------------

    def begin_attempt(self, claim: AlertClaim, *, now: datetime, lease: timedelta) -> bool:
        return self._rows.begin_attempt(claim, now=now, lease=lease)

    def end_attempt(self, claim: AlertClaim, *, error: str) -> bool:
        return self._rows.end_attempt(claim, error=error)

    def mark_delivered(self, claim: AlertClaim, *, now: datetime, message_ts: str | None = None) -> bool:
        return self._rows.mark_delivered(claim, now=now, message_ts=message_ts)

    def record_late_delivery(self, claim: AlertClaim, *, now: datetime, message_ts: str | None) -> bool:
        return self._rows.record_late_delivery(claim, now=now, message_ts=message_ts)

    def mark_uncertain(self, claim: AlertClaim, *, error: str) -> bool:
        return self._rows.mark_uncertain(claim, error=error)

    def defer(self, claim: AlertClaim, *, retry_at: datetime, error: str) -> bool:
        return self._rows.defer(claim, retry_at=retry_at, error=error)

    def fail(
        self,
        claim: AlertClaim,
        *,
        now: datetime,
        error: str,
        pause_reason: str | None = None,
        skip_unsent: bool = False,
    ) -> bool:
        """Give up on this message; with ``pause_reason`` (the channel refuses posts) pause the
        watch, and with ``skip_unsent`` (its reader may not see the project) skip its other
        messages not yet out, so nothing gathered before the pause is posted after a resume."""
        with self._db.writing(bump_version=False) as conn:
            done = self._rows.fail(claim, error=error, conn=conn)
            if pause_reason:
                watches.pause_in(conn, claim.watch.id, pause_reason, now, skip_unsent=skip_unsent)
            return done
