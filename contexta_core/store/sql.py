"""Small SQL helpers shared by the repositories (dialect-aware upsert, chunked IN lookups)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

CHUNK = 500  # bind parameters per IN (...) — far below SQLite's and PostgreSQL's limits


def dialect_insert(table: Table, dialect: str):
    """An INSERT that knows ``ON CONFLICT`` (SQLite and PostgreSQL spell it the same way)."""
    return (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)


def upsert(table: Table, dialect: str, keys: Sequence[str], update: Iterable[str] | None = None):
    """``INSERT … ON CONFLICT (keys) DO UPDATE`` for SQLite and PostgreSQL alike."""
    stmt = dialect_insert(table, dialect)
    columns = update if update is not None else [c.name for c in table.columns if c.name not in keys and c.name != "id"]
    return stmt.on_conflict_do_update(index_elements=list(keys), set_={c: stmt.excluded[c] for c in columns})


def chunked(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch_in(conn: Connection, select_stmt, column, values: Sequence[Any]) -> list[Any]:
    """Rows of ``select_stmt`` where ``column`` is in ``values`` (any number of values)."""
    rows: list[Any] = []
    for part in chunked(list(values)):
        rows.extend(conn.execute(select_stmt.where(column.in_(part))).all())
    return rows
