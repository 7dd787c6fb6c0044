"""PostgreSQL's bulk paths for the record store: one lookup per batch, binary COPY, a staged upsert.

Row-by-row INSERTs cost PostgreSQL a statement each, however they are pipelined: ~16–20k records/s.
Here a batch's records are streamed with ``COPY … FROM STDIN (FORMAT BINARY)`` and its summaries
are copied into a session-local staging table, then merged into ``metric_summaries`` by one
``INSERT … SELECT … ON CONFLICT`` (the same merge rule as SQLite's upsert, built by the record
store). Binary, because the server then parses no text (two timestamps and a float per record);
streamed, because rows are encoded while the server is still inserting the ones before them.
Runs and stages are found with one join against the batch's refs: right after a bulk load the
tables have no statistics yet, and a long ``IN (…)`` list is then compared row by row (seconds
per batch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, column, select, table
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

from . import schema

STAGING = "contexta_summaries_in"
# COPY's binary form of json is its text, as for varchar: the row carries the JSON already encoded
COPY_TYPES = {"float": "float8", "json": "text"}


def lookup(conn: Connection, table_name: str, columns: Sequence[str], refs: Sequence[str]) -> list[tuple]:
    """Rows (``columns``) of ``table_name`` whose ``ref`` is one of ``refs``, in one query."""
    if not refs:
        return []
    listed = ", ".join(f"t.{name}" for name in columns)
    sql = (
        f"SELECT {listed} FROM {table_name} AS t JOIN unnest(%s::text[]) AS wanted(ref) ON t.ref = wanted.ref"
    )
    return conn.exec_driver_sql(sql, (list(refs),)).fetchall()


@cache
def copy_types(table_name: str, columns: tuple[str, ...]) -> list[str]:
    """The PostgreSQL type of each column as binary COPY must be told it (from the schema)."""
    dialect = postgresql.dialect()
    found = []
    for name in columns:
        compiled = schema.metadata.tables[table_name].c[name].type.compile(dialect=dialect)
        base = compiled.lower().split("(")[0]
        found.append(COPY_TYPES.get(base, base))
    return found


def copy_rows(
    conn: Connection,
    table_name: str,
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    shaped_like: str | None = None,
) -> None:
    """Binary ``COPY table (columns) FROM STDIN`` of ``rows`` (values already in database form, an
    iterable consumed as it is sent), in this transaction. ``shaped_like``: the schema table whose
    column types a temporary table copied."""
    sql = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types(copy_types(shaped_like or table_name, tuple(columns)))
            for row in rows:
                copy.write_row(row)
    except Exception as error:
        import psycopg

        if isinstance(error, psycopg.errors.IntegrityError):  # as SQLAlchemy would have raised it
            raise IntegrityError(sql, None, error) from error
        raise


def staged_upsert(
    conn: Connection,
    columns: Sequence[str],
    rows: Sequence[tuple],
    upsert_from: Callable[[Any], Any],
    like: str,
) -> None:
    """Copy ``rows`` into a temporary table shaped like ``like`` and run ``upsert_from(select of it)``."""
    if not rows:
        return
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (LIKE {like} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    copy_rows(conn, STAGING, columns, rows, shaped_like=like)
    staged = table(STAGING, *(column(name) for name in columns))
    conn.execute(upsert_from(select(*(staged.c[name] for name in columns))))
