"""The states of a once-only delivery row, for every table that keeps them (digests, alerts).

A delivery row is claimed by one holder under a lease before anything is posted and then moves::

    claimed ──begin_attempt──▶ posting ──mark_delivered──▶ delivered
       ▲                         │ ──end_attempt (failed, retry now)──▶ claimed
       │                         │ ──defer──▶ pending ──(retry time)──▶ claimed by any pass
       │                         │ ──fail──▶ failed
    posting with an expired lease ─▶ uncertain  (its holder died mid-post: never posted again)

``LeasedRows`` makes those moves on one table whose rows have ``id``, ``status``, ``holder``,
``lease_expires_at``, ``attempts``, ``next_attempt_at``, ``last_error``, ``delivered_at`` and
``message_ts``; a move happens only while the holder still owns the row (else it returns False).
A table with a ``due_at`` column (alerts) also gets it kept as "when a pass must look at this row
next", so an idle pass is one indexed read of ``due_at``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Table, and_, update

from .engine import Database

CLAIMED, POSTING, PENDING = "claimed", "posting", "pending"
DELIVERED, FAILED, UNCERTAIN = "delivered", "failed", "uncertain"


class HeldClaim(Protocol):
    delivery_id: int
    holder: str


class LeasedRows:
    def __init__(self, db: Database, table: Table):
        self._db = db
        self.table = table
        self._due = "due_at" in table.c

    def _owned(self, claim: HeldClaim, *states: str):
        t = self.table
        return and_(t.c.id == claim.delivery_id, t.c.holder == claim.holder, t.c.status.in_(states))

    def _due_at(self, when: datetime | None) -> dict[str, Any]:
        return {"due_at": when} if self._due else {}

    def move(
        self, claim: HeldClaim, states: tuple[str, ...], conn: Connection | None = None, **values
    ) -> bool:
        """Move a row this holder still owns (in one of ``states``) on; False when it was lost."""
        stmt = update(self.table).where(self._owned(claim, *states)).values(**values)
        if conn is not None:
            return bool(conn.execute(stmt).rowcount)
        with self._db.writing(bump_version=False) as own:  # delivery state changes no answer
            return bool(own.execute(stmt).rowcount)

    def begin_attempt(self, claim: HeldClaim, *, now: datetime, lease: timedelta) -> bool:
        """Mark the post as in flight; False when the claim was lost (taken over, paused, removed)."""
        expires = now + lease
        return self.move(
            claim,
            (CLAIMED,),
            status=POSTING,
            attempts=self.table.c.attempts + 1,
            lease_expires_at=expires,
            **self._due_at(expires),
        )

    def end_attempt(self, claim: HeldClaim, *, error: str) -> bool:
        """The post failed and certainly did not appear; keep the claim for another attempt now."""
        return self.move(claim, (POSTING,), status=CLAIMED, last_error=error[:1000])

    def mark_delivered(self, claim: HeldClaim, *, now: datetime, message_ts: str | None = None) -> bool:
        return self.move(
            claim,
            (POSTING, CLAIMED),
            status=DELIVERED,
            delivered_at=now,
            message_ts=message_ts,
            lease_expires_at=None,  # the holder stays: who posted it
            last_error=None,
            **self._due_at(None),
        )

    def record_late_delivery(self, claim: HeldClaim, *, now: datetime, message_ts: str | None) -> bool:
        """The post went out after this holder's lease ran out and another process marked the row
        ``uncertain``: it is known now, so the row says ``delivered``."""
        t = self.table
        with self._db.writing(bump_version=False) as conn:
            return bool(
                conn.execute(
                    update(t)
                    .where(t.c.id == claim.delivery_id, t.c.status == UNCERTAIN)
                    .values(
                        status=DELIVERED,
                        delivered_at=now,
                        message_ts=message_ts,
                        holder=claim.holder,
                        last_error=None,
                    )
                ).rowcount
            )

    def mark_uncertain(self, claim: HeldClaim, *, error: str) -> bool:
        """The post may or may not have appeared and that cannot be found out: never post it again."""
        return self.move(
            claim,
            (POSTING,),
            status=UNCERTAIN,
            last_error=error[:1000],
            holder=None,
            lease_expires_at=None,
            **self._due_at(None),
        )

    def defer(self, claim: HeldClaim, *, retry_at: datetime, error: str) -> bool:
        """Give the claim back until ``retry_at`` (any process may take it then); nothing is lost."""
        return self.move(
            claim,
            (POSTING, CLAIMED),
            status=PENDING,
            next_attempt_at=retry_at,
            last_error=error[:1000],
            holder=None,
            lease_expires_at=None,
            **self._due_at(retry_at),
        )

    def fail(self, claim: HeldClaim, *, error: str, conn: Connection | None = None, **extra: Any) -> bool:
        """Give up on this row."""
        return self.move(
            claim,
            (POSTING, CLAIMED),
            conn,
            status=FAILED,
            last_error=error[:1000],
            holder=None,
            lease_expires_at=None,
            **self._due_at(None),
            **extra,
        )

    def expire_stale_posts(self, conn: Connection, now: datetime, among: Any = None) -> list[int]:
        """Rows whose holder died while its post was in flight become ``uncertain``; their ids.
        ``among`` (a condition on the table) keeps the pass to one team's rows."""
        t = self.table
        stale = and_(t.c.status == POSTING, t.c.lease_expires_at < now)
        if among is not None:
            stale = and_(stale, among)
        ids = [row.id for row in conn.execute(t.select().with_only_columns(t.c.id).where(stale))]
        if ids:
            conn.execute(
                update(t)
                .where(t.c.id.in_(ids), stale)
                .values(
                    status=UNCERTAIN,
                    last_error="the bot stopped while posting it",
                    holder=None,
                    lease_expires_at=None,
                    **self._due_at(None),
                )
            )
        return ids
