"""PostgreSQL's bulk paths for the record store: one lookup per batch, COPY, and a staged upsert.

Row-by-row INSERTs cost PostgreSQL a statement each, however they are pipelined: ~16–20k records/s.
Here a batch's records are streamed with ``COPY … FROM STDIN`` and its summaries are copied into a
session-local staging table, then merged into ``metric_summaries`` by one ``INSERT … SELECT … ON
CONFLICT`` (the same merge rule as SQLite's upsert, built by the record store). Runs and stages are
found with one join against the batch's refs: right after a bulk load the tables have no
statistics yet, and a long ``IN (…)`` list is then compared row by row (seconds per batch).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, column, select, table
from sqlalchemy.exc import IntegrityError

STAGING = "contexta_summaries_in"


def lookup(conn: Connection, table_name: str, columns: Sequence[str], refs: Sequence[str]) -> list[tuple]:
    """Rows (``columns``) of ``table_name`` whose ``ref`` is one of ``refs``, in one query."""
    if not refs:
        return []
    listed = ", ".join(f"t.{name}" for name in columns)
    sql = (
        f"SELECT {listed} FROM {table_name} AS t JOIN unnest(%s::text[]) AS wanted(ref) ON t.ref = wanted.ref"
    )
    return conn.exec_driver_sql(sql, (list(refs),)).fetchall()


def copy_rows(conn: Connection, table_name: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (values already in database form), in this transaction."""
    if not rows:
        return
    sql = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
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
    copy_rows(conn, STAGING, columns, rows)
    staged = table(STAGING, *(column(name) for name in columns))
    conn.execute(upsert_from(select(*(staged.c[name] for name in columns))))
