"""Small shared state kept beside the run history: per-scope preferences and once-only claims.

Claims make "do this exactly once" hold across processes (a Slack event delivered twice, two bot
processes racing to post the same digest): the first ``claim_once(key)`` inserts the row and wins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from . import schema
from .engine import Database
from .sql import dialect_insert


class PreferenceStore:
    def __init__(self, db: Database):
        self._db = db

    def get(self, scope: str, key: str) -> Any | None:
        p = schema.preferences
        with self._db.reading() as conn:
            return conn.execute(select(p.c.value).where(p.c.scope == scope, p.c.key == key)).scalar()

    def set(self, scope: str, key: str, value: Any) -> None:
        stmt = dialect_insert(schema.preferences, self._db.dialect)
        stmt = stmt.on_conflict_do_update(
            index_elements=["scope", "key"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        with self._db.writing() as conn:
            conn.execute(stmt, {"scope": scope, "key": key, "value": value, "updated_at": datetime.now(UTC)})

    def delete(self, scope: str, key: str) -> None:
        p = schema.preferences
        with self._db.writing() as conn:
            conn.execute(delete(p).where(p.c.scope == scope, p.c.key == key))


class ClaimStore:
    def __init__(self, db: Database):
        self._db = db

    def claim_once(self, key: str, *, holder: str | None = None) -> bool:
        """True for the first caller ever to claim ``key`` (in any process), False afterwards."""
        stmt = (
            dialect_insert(schema.claims, self._db.dialect)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(schema.claims.c.key)
        )
        with self._db.writing(bump_version=False) as conn:  # bookkeeping: cached answers stay valid
            row = {"key": key[:255], "claimed_at": datetime.now(UTC), "holder": holder, "done": False}
            return conn.execute(stmt, row).first() is not None

    def release(self, key: str) -> None:
        """Give a claim back (the work it guarded failed and may be tried again)."""
        with self._db.writing(bump_version=False) as conn:
            conn.execute(delete(schema.claims).where(schema.claims.c.key == key[:255]))

    def prune(self, older_than: timedelta, prefix: str) -> int:
        """Forget old claims under ``prefix`` (event ids are only redelivered for minutes)."""
        cutoff = datetime.now(UTC) - older_than
        c = schema.claims
        with self._db.writing(bump_version=False) as conn:
            return conn.execute(delete(c).where(c.c.claimed_at < cutoff, c.c.key.startswith(prefix))).rowcount
