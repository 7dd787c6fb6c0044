"""The previous question of each conversation, kept in the database so follow-ups work across
restarts and whichever bot process takes the next message; it expires (``FRESH_FOR``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from ..tenancy import Tenant
from . import schema
from .engine import Database
from .sql import dialect_insert, of_tenant

FRESH_FOR = timedelta(minutes=30)
KEEP_FOR = timedelta(days=1)  # older rows are deleted as new ones are written


class ConversationStore:
    def __init__(self, db: Database):
        self._db = db

    def remember(
        self, conversation: str, question: dict[str, Any], *, tenant: Tenant = Tenant.LEGACY
    ) -> None:
        c = schema.conversation_context
        now = datetime.now(UTC)
        stmt = dialect_insert(c, self._db.dialect)
        stmt = stmt.on_conflict_do_update(
            index_elements=["team_id", "enterprise_id", "conversation"],
            set_={"question": stmt.excluded.question, "updated_at": stmt.excluded.updated_at},
        )
        row = {
            "conversation": conversation[:255],
            "question": question,
            "updated_at": now,
            **tenant.columns(),
        }
        with self._db.writing(bump_version=False) as conn:  # bookkeeping: cached answers stay valid
            conn.execute(stmt, row)
            conn.execute(delete(c).where(c.c.updated_at < now - KEEP_FOR))  # every team's stale rows

    def recall(
        self, conversation: str, fresh_for: timedelta = FRESH_FOR, *, tenant: Tenant = Tenant.LEGACY
    ) -> dict[str, Any] | None:
        c = schema.conversation_context
        with self._db.reading() as conn:
            row = conn.execute(
                select(c.c.question, c.c.updated_at).where(
                    of_tenant(c, tenant), c.c.conversation == conversation[:255]
                )
            ).first()
        if row is None or row.updated_at < datetime.now(UTC) - fresh_for:
            return None
        return row.question

    def forget(self, conversation: str, *, tenant: Tenant = Tenant.LEGACY) -> None:
        c = schema.conversation_context
        with self._db.writing(bump_version=False) as conn:
            conn.execute(delete(c).where(of_tenant(c, tenant), c.c.conversation == conversation[:255]))
