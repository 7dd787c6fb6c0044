"""What importers need from the store beyond the public write API: their own state, and the
look-ups that make importing again bring only what is new.

Saves join the caller's ``Database.transaction()``, so the state an importer records always
matches the runs and records written with it: an interrupted import leaves neither behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from . import schema
from .engine import Database
from .sql import fetch_in, upsert


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One source item as last imported: the ref it became, its fingerprint, where reading stopped."""

    item: str
    target_ref: str | None = None
    fingerprint: str | None = None
    is_open: bool = False
    cursor: Any = None


class ImportStateStore:
    def __init__(self, db: Database):
        self._db = db

    def items(
        self, source: str, *, prefix: str | None = None, keys: Sequence[str] | None = None
    ) -> dict[str, ImportItem]:
        """The items of ``source``: all, those whose key starts with ``prefix``, or those in ``keys``."""
        s = schema.import_items
        stmt = select(s.c.item, s.c.target_ref, s.c.fingerprint, s.c.is_open, s.c.cursor).where(
            s.c.source == source
        )
        if prefix:
            stmt = stmt.where(s.c.item.startswith(prefix, autoescape=True))
        with self._db.reading() as conn:
            rows = conn.execute(stmt).all() if keys is None else fetch_in(conn, stmt, s.c.item, list(keys))
        return {row.item: ImportItem(*row) for row in rows}

    def open_items(self, source: str) -> dict[str, ImportItem]:
        """The items that were still changing when last seen (running runs)."""
        s = schema.import_items
        stmt = select(s.c.item, s.c.target_ref, s.c.fingerprint, s.c.is_open, s.c.cursor).where(
            s.c.source == source, s.c.is_open.is_(True)
        )
        with self._db.reading() as conn:
            return {row.item: ImportItem(*row) for row in conn.execute(stmt)}

    def save(self, source: str, items: Iterable[ImportItem]) -> None:
        rows = [
            {
                "source": source,
                "item": i.item,
                "target_ref": i.target_ref,
                "fingerprint": i.fingerprint,
                "is_open": i.is_open,
                "cursor": i.cursor,
                "updated_at": datetime.now(UTC),
            }
            for i in items
        ]
        if rows:
            with self._db.writing() as conn:
                conn.execute(upsert(schema.import_items, self._db.dialect, ["source", "item"]), rows)

    def forget(self, source: str) -> int:
        """Drop a source's state (the next import reads it from the start, still without duplicates)."""
        with self._db.writing() as conn:
            return conn.execute(
                delete(schema.import_items).where(schema.import_items.c.source == source)
            ).rowcount

    def owners(self, target_refs: Sequence[str]) -> dict[str, str]:
        """ref → the import source that created it, for those of ``target_refs`` an import made."""
        s = schema.import_items
        with self._db.reading() as conn:
            rows = fetch_in(conn, select(s.c.target_ref, s.c.source), s.c.target_ref, list(target_refs))
        return {row.target_ref: row.source for row in rows}

    def existing_refs(self, kind: str, refs: Sequence[str]) -> set[str]:
        """Those of ``refs`` (projects, runs, stages, deployments or records) already stored."""
        table = {
            "project": schema.projects,
            "run": schema.runs,
            "stage": schema.stages,
            "deployment": schema.deployments,
            "record": schema.records,
        }[kind]
        with self._db.reading() as conn:
            return {row.ref for row in fetch_in(conn, select(table.c.ref), table.c.ref, list(refs))}

    def record_refs_of_runs(self, run_refs: Sequence[str]) -> set[str]:
        """The refs of every record already stored for these runs (what an import must not repeat)."""
        r, runs = schema.records, schema.runs
        stmt = select(r.c.ref).join(runs, runs.c.id == r.c.run_id)
        with self._db.reading() as conn:
            return {row.ref for row in fetch_in(conn, stmt, runs.c.ref, list(run_refs))}

    def project_refs_by_name(self) -> dict[str, str]:
        with self._db.reading() as conn:
            return dict(conn.execute(select(schema.projects.c.name, schema.projects.c.ref)).all())

    def project_count(self) -> int:
        from sqlalchemy import func

        with self._db.reading() as conn:
            return conn.execute(select(func.count()).select_from(schema.projects)).scalar_one()
