"""When each person last got an answer about each project, per chat team: where "what's new" starts.

A mark only moves forward (an answer finished late never rewinds a newer one), and writing it is
bookkeeping: it changes no answer, so cached answers stay valid. Every read and write filters on
the whole key (team, enterprise, person), so two teams whose channel and user ids collide never
see each other's marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from ..tenancy import Tenant
from . import schema
from .engine import Database
from .sql import dialect_insert


class NewsMarkStore:
    def __init__(self, db: Database):
        self._db = db

    def mark(self, tenant: Tenant, user_id: str, projects: Iterable[str], at: datetime) -> None:
        """``user_id`` of ``tenant`` got an answer about ``projects`` (names) at ``at``."""
        names = sorted(set(projects))
        if not names or not user_id:
            return
        m, p = schema.news_marks, schema.projects
        stmt = dialect_insert(m, self._db.dialect)
        stmt = stmt.on_conflict_do_update(
            index_elements=["team_id", "enterprise_id", "user_id", "project_id"],
            set_={"last_seen_at": stmt.excluded.last_seen_at},
            where=m.c.last_seen_at < stmt.excluded.last_seen_at,
        )
        with self._db.writing(bump_version=False) as conn:
            ids = conn.execute(select(p.c.id).where(p.c.name.in_(names))).scalars().all()
            if ids:
                keys = {**tenant.columns(), "user_id": user_id}
                conn.execute(stmt, [{**keys, "project_id": pid, "last_seen_at": at} for pid in ids])

    def seen(self, tenant: Tenant, user_id: str) -> dict[str, datetime]:
        """Project name → when ``user_id`` last got an answer about it (only the projects they have)."""
        m, p = schema.news_marks, schema.projects
        stmt = (
            select(p.c.name, m.c.last_seen_at)
            .join(p, p.c.id == m.c.project_id)
            .where(
                m.c.team_id == tenant.team_id,
                m.c.enterprise_id == tenant.enterprise_id,
                m.c.user_id == user_id,
            )
        )
        with self._db.reading() as conn:
            return {row.name: row.last_seen_at for row in conn.execute(stmt)}
