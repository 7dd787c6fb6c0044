"""Small SQL helpers shared by the store, queries and digests (dialect-aware upsert, chunked IN
lookups, PostgreSQL's advisory lock): where dialect differences and SQL text are spelled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, Table, and_, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from ..tenancy import Tenant

CHUNK = 500  # bind parameters per IN (...) — far below SQLite's and PostgreSQL's limits


def serialize_on_postgresql(conn: Connection, lock_key: int) -> None:
    """Hold a transaction-scoped advisory lock on PostgreSQL, so passes guarded by the same key run
    one at a time, as SQLite's ``BEGIN IMMEDIATE`` already makes every write transaction do."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})


def of_tenant(table: Any, tenant: Tenant) -> ColumnElement[bool]:
    """The rows of ``tenant`` in a table (or alias) carrying the tenant columns: both must match, so
    an organisation-wide row never leaks into one of its workspaces or the other way round."""
    return and_(table.c.team_id == tenant.team_id, table.c.enterprise_id == tenant.enterprise_id)


def dialect_insert(table: Table, dialect: str):
    """An INSERT that knows ``ON CONFLICT`` (SQLite and PostgreSQL spell it the same way)."""
    return (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)


def upsert(table: Table, dialect: str, keys: Sequence[str], update: Iterable[str] | None = None):
    """``INSERT … ON CONFLICT (keys) DO UPDATE`` for SQLite and PostgreSQL alike."""
    stmt = dialect_insert(table, dialect)
    columns = (
        update
        if update is not None
        else [c.name for c in table.columns if c.name not in keys and c.name != "id"]
    )
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


def fast_executemany(conn: Connection, stmt, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """``executemany`` of tuples (in ``columns`` order) whose values are already in database form.

    SQLAlchemy's per-row bind processing costs more than SQLite's own insert at bulk sizes, so the
    ingest path compiles the statement once and hands plain tuples to the driver.
    """
    if not rows:
        return
    compiled = stmt.compile(dialect=conn.dialect, column_keys=list(columns))
    if compiled.positional:
        order = [columns.index(key) for key in compiled.positiontup]
        if order != list(range(len(columns))):
            rows = [tuple(row[i] for i in order) for row in rows]
        conn.exec_driver_sql(str(compiled), list(rows))
    else:
        conn.exec_driver_sql(str(compiled), [dict(zip(columns, row, strict=True)) for row in rows])


def raw_rows(conn: Connection, stmt) -> list[tuple]:
    """Plain tuples straight from the driver.

    For bulk reads of integers, floats and short text (100,000 rows) SQLAlchemy's Row layer costs
    more than the query itself; only use it for columns needing no type processing (no times/JSON).
    """
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args = tuple(params[key] for key in compiled.positiontup) if compiled.positional else params
    return conn.exec_driver_sql(str(compiled), args).cursor.fetchall()


def db_time(dialect: str):
    """A function turning aware UTC datetimes into what the record store's bulk writes send (see
    UTCDateTime): PostgreSQL's binary COPY takes them as they are (``pg_bulk.COPY_TYPES``)."""
    if dialect != "sqlite":
        return lambda value: value
    memo: dict[Any, str] = {}  # a batch shares few distinct times; formatting is the slow part

    def as_text(value):
        if value is None:
            return None
        text = memo.get(value)
        if text is None:  # UTC's isoformat less its "+00:00" is the stored form, without a replace()
            utc = value if value.tzinfo is UTC else value.astimezone(UTC)
            text = memo[value] = utc.isoformat(" ", "microseconds")[:26]
        return text

    return as_text
