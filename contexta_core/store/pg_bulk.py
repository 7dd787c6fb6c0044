"""PostgreSQL's bulk paths for the record store: owners found under a lock, binary COPY, summaries
copied when new and upserted when not.

Row-by-row INSERTs cost PostgreSQL a statement each, however they are pipelined: ~16–20k records/s.
Here a batch's records are streamed with ``COPY … FROM STDIN (FORMAT BINARY)``: binary, because the
server then parses no text (two timestamps and a float per record); streamed, because rows are
encoded while the server is still inserting the ones before them. Summaries whose (run, stage,
metric) is not stored yet, as in any bulk load, are copied straight into ``metric_summaries``; the
others go through a session-local staging table and one ``INSERT … SELECT … ON CONFLICT`` (the
same merge rule as SQLite's upsert, built by the record store).

Owners (runs, stages) are found by one index probe per ref (``lock_owners``), so a batch costs the same
in a table of a thousand runs or a million: a hash join read the whole table for every batch, and
right after a bulk load, without statistics, a long ``IN (…)`` list is compared row by row. The
probe locks each owner ``FOR KEY SHARE``, as a foreign key's check does, but once per owner and
batch rather than once per record (the two tables carry no foreign keys; see ``schema``).
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
# COPY's binary form of json is its text, as for varchar: the row carries the JSON already encoded.
# UTCDateTime columns are sent as timestamptz: its binary form is the UTC microseconds that the
# store's naive-UTC timestamp column holds, so aware datetimes go out unconverted (a replace() per
# value cost more than encoding the whole row).
COPY_TYPES = {"float": "float8", "json": "text", "timestamp without time zone": "timestamptz"}


def lock_owners(
    conn: Connection, table_name: str, columns: Sequence[str], refs: Sequence[str]
) -> list[tuple]:
    """Rows (``columns``) of ``table_name`` whose ``ref`` is one of ``refs``, each locked ``FOR KEY
    SHARE`` until the transaction ends so it cannot be deleted meanwhile (a deleting transaction
    waits; at REPEATABLE READ a row deleted since the snapshot fails with a serialization error, as
    a foreign key's check would). One statement, one index probe per ref (``OFFSET 0`` keeps the
    planner from turning it into a scan of the table)."""
    if not refs:
        return []
    listed = ", ".join(f"t.{name}" for name in columns)
    sql = (
        f"SELECT {listed} FROM unnest(string_to_array(%s, ' ')) AS wanted(ref) CROSS JOIN LATERAL "
        f"(SELECT {', '.join(columns)} FROM {table_name} WHERE ref = wanted.ref OFFSET 0 FOR KEY SHARE) AS t"
    )
    return conn.exec_driver_sql(sql, (_spaced(refs),)).fetchall()


def _spaced(refs: Sequence[str]) -> str:
    """The refs as one space-separated string: sent as a text[] the driver's list adapter takes
    ~2 µs a ref; refs never hold a space (the ref grammar, ``contexta_core.refs``)."""
    if any(" " in ref for ref in refs):
        raise ValueError("a ref with a space reached the record store")
    return " ".join(refs)


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


def merge_summaries(
    conn: Connection, columns: Sequence[str], rows: Sequence[tuple], upsert_from: Callable[[Any], Any]
) -> None:
    """``rows`` (keyed by their first three columns: run, stage, metric) into ``metric_summaries``:
    the keys not stored yet by COPY, the rest by ``staged_upsert``. Should another writer store
    one of the new keys meanwhile, the COPY is undone to its savepoint and those rows upserted too."""
    if not rows:
        return
    run_ids = sorted({row[0] for row in rows})
    stored = set(
        conn.exec_driver_sql(
            "SELECT s.run_id, s.stage_name, s.metric_key FROM unnest(string_to_array(%s, ' ')::int[]) "
            "AS wanted(id) CROSS JOIN LATERAL (SELECT run_id, stage_name, metric_key FROM metric_summaries "
            "WHERE run_id = wanted.id OFFSET 0) AS s",
            (" ".join(map(str, run_ids)),),
        ).fetchall()
    )
    rows = sorted(rows, key=lambda row: row[:3])  # one key order for every writer: no deadlock between two
    new = [row for row in rows if row[:3] not in stored]
    rest = [row for row in rows if row[:3] in stored]
    if new:
        try:
            with conn.begin_nested():
                copy_rows(conn, "metric_summaries", columns, new)
        except IntegrityError:  # a concurrent append stored some of them: merge every row
            rest = rows
    staged_upsert(conn, columns, rest, upsert_from)


def staged_upsert(
    conn: Connection,
    columns: Sequence[str],
    rows: Sequence[tuple],
    upsert_from: Callable[[Any], Any],
) -> None:
    """Copy ``rows`` into a temporary table shaped like ``metric_summaries`` and run
    ``upsert_from(select of it)``."""
    if not rows:
        return
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (LIKE metric_summaries INCLUDING DEFAULTS) "
        "ON COMMIT DELETE ROWS"
    )
    copy_rows(conn, STAGING, columns, rows, shaped_like="metric_summaries")
    staged = table(STAGING, *(column(name) for name in columns))
    conn.execute(upsert_from(select(*(staged.c[name] for name in columns))))
