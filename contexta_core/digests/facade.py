"""``Contexta.digests``: the one way into weekly digests (subscriptions, due claims, the summary).

The modules beside this one take the workspace ``Database`` or a connection; this facade holds
the database so callers (the bot's delivery and commands, the CLI) never pick one themselves.
Subscriptions and their claims belong to a chat ``tenant`` (``contexta_core.tenancy``); every call
that finds them names it (``Tenant.LEGACY``, the single-workspace rows, when it does not).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..store.engine import Database
from ..tenancy import Tenant
from . import deliveries, subscriptions
from .constants import (
    DEFAULT_LANGUAGE,
    DEFAULT_LEASE,
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAY,
    DELIVERED,
    UNCERTAIN,
)
from .deliveries import ClaimPass, DeliveryClaim
from .subscriptions import Subscription, SubscriptionStatus
from .summary import DigestSummary, digest_summary


class Digests:
    """Weekly digests of one workspace; every method is safe to call from many processes."""

    def __init__(self, db: Database):
        self._db = db

    # -- subscriptions ---------------------------------------------------------------------------

    def subscribe(
        self,
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
        """Create or reschedule the (target, project) subscription; True when it is new (see
        ``subscriptions.subscribe``)."""
        return subscriptions.subscribe(
            self._db,
            tenant=tenant,
            target=target,
            project=project,
            weekday=weekday,
            time_of_day=time_of_day,
            timezone=timezone,
            language=language,
            created_by=created_by,
            now=now,
        )

    def subscriptions(
        self, *, tenant: Tenant = Tenant.LEGACY, target: str | None = None, project: str | None = None
    ) -> tuple[Subscription, ...]:
        return subscriptions.get_subscriptions(self._db, tenant=tenant, target=target, project=project)

    def unsubscribe(
        self, *, tenant: Tenant = Tenant.LEGACY, target: str, project: str | None = None
    ) -> tuple[Subscription, ...]:
        return subscriptions.unsubscribe(self._db, tenant=tenant, target=target, project=project)

    def pause(self, subscription_id: int, reason: str, *, now: datetime | None = None) -> None:
        subscriptions.pause_subscription(self._db, subscription_id, reason, now=now)

    def pause_tenant(self, tenant: Tenant, reason: str, *, now: datetime | None = None) -> int:
        """Pause every active subscription of ``tenant`` (e.g. the app was uninstalled there)."""
        return subscriptions.pause_tenant(self._db, tenant, reason, now=now)

    def statuses(
        self, *, tenant: Tenant = Tenant.LEGACY, target: str | None = None, now: datetime | None = None
    ) -> tuple[SubscriptionStatus, ...]:
        return subscriptions.subscription_statuses(self._db, tenant=tenant, target=target, now=now)

    def workspace_timezone(self, *, tenant: Tenant = Tenant.LEGACY) -> tuple[str, bool]:
        return subscriptions.workspace_timezone(self._db, tenant)

    def set_workspace_timezone(self, zone: str | None, *, tenant: Tenant = Tenant.LEGACY) -> str | None:
        return subscriptions.set_workspace_timezone(self._db, zone, tenant)

    # -- delivery claims -------------------------------------------------------------------------

    def claim_due(
        self,
        *,
        tenant: Tenant = Tenant.LEGACY,
        now: datetime,
        holder: str,
        lease: timedelta = DEFAULT_LEASE,
        target: str | None = None,
    ) -> ClaimPass:
        return deliveries.claim_due(
            self._db, tenant=tenant, now=now, holder=holder, lease=lease, target=target
        )

    def begin_attempt(self, claim: DeliveryClaim, *, now: datetime, lease: timedelta = DEFAULT_LEASE) -> bool:
        return deliveries.begin_attempt(self._db, claim, now=now, lease=lease)

    def end_attempt(self, claim: DeliveryClaim, *, error: str) -> bool:
        return deliveries.end_attempt(self._db, claim, error=error)

    def mark_delivered(self, claim: DeliveryClaim, *, now: datetime, message_ts: str | None = None) -> bool:
        return deliveries.mark_delivered(self._db, claim, now=now, message_ts=message_ts)

    def mark_uncertain(self, claim: DeliveryClaim, *, error: str) -> bool:
        """Whether the post appeared cannot be found out: the period is never posted again."""
        return deliveries.mark_uncertain(self._db, claim, error=error)

    def record_late_delivery(self, claim: DeliveryClaim, *, now: datetime, message_ts: str | None) -> bool:
        """A post that outlived its lease (the period was marked uncertain meanwhile) did go out."""
        return deliveries.record_late_delivery(self._db, claim, now=now, message_ts=message_ts)

    def defer(self, claim: DeliveryClaim, *, retry_at: datetime, error: str) -> bool:
        return deliveries.defer_delivery(self._db, claim, retry_at=retry_at, error=error)

    def fail(
        self, claim: DeliveryClaim, *, now: datetime, error: str, pause_reason: str | None = None
    ) -> bool:
        return deliveries.fail_delivery(self._db, claim, now=now, error=error, pause_reason=pause_reason)

    def deliveries(self, subscription_id: int | None = None) -> list[dict[str, Any]]:
        """Every delivery row (of one subscription), oldest first: for audits and the CLI."""
        return deliveries.delivery_rows(self._db, subscription_id)

    def last_posted_until(self, subscription_id: int) -> datetime | None:
        """Where the last posted (or possibly posted) digest of a subscription ended, if any."""
        ends = [
            row["period_end"]
            for row in self.deliveries(subscription_id)
            if row["status"] in (DELIVERED, UNCERTAIN)
        ]
        return max(ends) if ends else None

    # -- content ---------------------------------------------------------------------------------

    def summary(
        self, project: str, since: datetime, until: datetime, *, max_runs: int = 20, max_deployments: int = 10
    ) -> DigestSummary:
        """What happened in ``project`` in [since, until) (see ``DigestSummary``)."""
        with self._db.reading() as conn:
            return digest_summary(
                conn, project, since, until, max_runs=max_runs, max_deployments=max_deployments
            )
