"""Small shared state kept beside the run history: per-scope preferences and once-only claims.

Claims make "do this exactly once" hold across processes (a Slack event delivered twice, two bot
processes racing to post the same digest): the first ``claim_once(key)`` inserts the row and wins.
Both belong to a chat tenant (``contexta_core.tenancy``): every read and write names one, so two
teams sharing the database never see or win each other's rows, whatever their keys.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from ..tenancy import Tenant
from . import schema
from .engine import Database
from .sql import dialect_insert, of_tenant


class PreferenceStore:
    def __init__(self, db: Database):
        self._db = db

    def get(self, scope: str, key: str, *, tenant: Tenant = Tenant.LEGACY) -> Any | None:
        p = schema.preferences
        with self._db.reading() as conn:
            return conn.execute(
                select(p.c.value).where(of_tenant(p, tenant), p.c.scope == scope, p.c.key == key)
            ).scalar()

    def set(self, scope: str, key: str, value: Any, *, tenant: Tenant = Tenant.LEGACY) -> None:
        stmt = dialect_insert(schema.preferences, self._db.dialect)
        stmt = stmt.on_conflict_do_update(
            index_elements=["team_id", "enterprise_id", "scope", "key"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        row = {
            "scope": scope,
            "key": key,
            "value": value,
            "updated_at": datetime.now(UTC),
            **tenant.columns(),
        }
        with self._db.writing() as conn:
            conn.execute(stmt, row)

    def delete(self, scope: str, key: str, *, tenant: Tenant = Tenant.LEGACY) -> None:
        p = schema.preferences
        with self._db.writing() as conn:
            conn.execute(delete(p).where(of_tenant(p, tenant), p.c.scope == scope, p.c.key == key))


class ClaimStore:
    def __init__(self, db: Database):
        self._db = db

    def claim_once(self, key: str, *, tenant: Tenant = Tenant.LEGACY, holder: str | None = None) -> bool:
        """True for the first caller ever to claim ``key`` for ``tenant`` (in any process), False afterwards."""
        c = schema.claims
        stmt = (
            dialect_insert(c, self._db.dialect)
            .on_conflict_do_nothing(index_elements=["team_id", "enterprise_id", "key"])
            .returning(c.c.key)
        )
        row = {
            "key": key[:255],
            "claimed_at": datetime.now(UTC),
            "holder": holder,
            "done": False,
            **tenant.columns(),
        }
        with self._db.writing(bump_version=False) as conn:  # bookkeeping: cached answers stay valid
            return conn.execute(stmt, row).first() is not None

    def release(self, key: str, *, tenant: Tenant = Tenant.LEGACY) -> None:
        """Give a claim back (the work it guarded failed and may be tried again)."""
        c = schema.claims
        with self._db.writing(bump_version=False) as conn:
            conn.execute(delete(c).where(of_tenant(c, tenant), c.c.key == key[:255]))

    def prune(self, older_than: timedelta, prefix: str) -> int:
        """Forget old claims under ``prefix`` of every tenant (event ids are only redelivered for
        minutes; forgetting a day-old claim changes nothing for its team)."""
        cutoff = datetime.now(UTC) - older_than
        c = schema.claims
        with self._db.writing(bump_version=False) as conn:
            return conn.execute(delete(c).where(c.c.claimed_at < cutoff, c.c.key.startswith(prefix))).rowcount
