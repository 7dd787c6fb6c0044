"""Opening a workspace database: engine settings, transactions, and schema migration on open.

SQLite runs in WAL mode so a training process can write while the bot reads; writes take the
write lock up front (``BEGIN IMMEDIATE``) so two writers queue instead of dead-locking. A workspace
written by an older version is upgraded with Alembic when opened; one written by a newer version is
refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select, text, update
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from ..errors import ConfigurationError, SchemaVersionError
from ..redaction import redact_text, redact_url
from . import schema

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HEAD_REVISION = "0012"  # newest migration (0009 came after 0011, then 0012); a test keeps the two in step


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every sqlite test
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: keeps the indexes of a large workspace hot
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Sessions in UTC, the zone the store keeps: a timestamptz then arrives as an aware UTC
        # datetime built by the driver in C (the bulk trend read relies on it).
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()


class Database:
    """An engine plus the two ways the code uses it: a read snapshot and an all-or-nothing write."""

    def __init__(self, url: str):
        self.url = url
        self.dialect = url.split(":", 1)[0].split("+", 1)[0]
        try:
            if self.dialect == "sqlite":
                self.engine = create_engine(url)
                _configure_sqlite(self.engine)
            else:
                self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
                _configure_postgresql(self.engine)
        except (ArgumentError, ValueError) as exc:  # their text quotes the URL, password and all
            raise ConfigurationError(
                f"the workspace database URL {redact_url(url)} is not usable: {redact_text(str(exc), url)}",
                code="database_url_invalid",
                details={"source": redact_url(url)},
            ) from None
        self._closed = False
        self._unit = threading.local()  # the open transaction() of each thread, if any
        self._bulk = threading.local()  # bulk_import() depth of each thread

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection whose reads see one consistent snapshot (inside ``transaction()``: its own)."""
        outer = getattr(self._unit, "conn", None)
        if outer is not None:
            yield outer
            return
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self, *, bump_version: bool = True) -> Iterator[Connection]:
        """A transaction that commits on success and leaves nothing behind on error.

        Every write also bumps the workspace's data version in the same transaction, so cached
        answers (keyed by that version) are never served after the data changed, in any process.
        Inside ``transaction()`` it joins that transaction instead.
        """
        outer = getattr(self._unit, "conn", None)
        if outer is not None:
            yield outer
            return
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                yield conn
                if bump_version:
                    state = schema.workspace_state
                    conn.execute(update(state).where(state.c.id == 1).values(version=state.c.version + 1))

    @contextmanager
    def transaction(self, *, bump_version: bool = True) -> Iterator[Connection]:
        """One all-or-nothing unit over many repository calls on this thread (an importer's batch
        of runs with their stages, records and import state): every ``writing()`` and ``reading()``
        inside joins it, and the data version is bumped once, at its end (not at all for
        bookkeeping that changes no answer)."""
        if getattr(self._unit, "conn", None) is not None:
            raise RuntimeError("transaction() does not nest")
        with self.writing(bump_version=bump_version) as conn:
            self._unit.conn = conn
            try:
                yield conn
            finally:
                self._unit.conn = None

    @contextmanager
    def bulk_import(self) -> Iterator[None]:
        """Writes on this thread inside the block bring history in wholesale (an import, a
        backfill): they note no alert events (``store/outbox.py``), since old history is not news."""
        self._bulk.depth = getattr(self._bulk, "depth", 0) + 1
        try:
            yield
        finally:
            self._bulk.depth -= 1

    @property
    def in_bulk_import(self) -> bool:
        return getattr(self._bulk, "depth", 0) > 0

    def data_version(self, conn: Connection) -> int:
        state = schema.workspace_state
        return conn.execute(select(state.c.version).where(state.c.id == 1)).scalar_one()

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True

    # -- schema ---------------------------------------------------------------------------------

    def current_revision(self, conn: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema to HEAD_REVISION; refuse a schema newer than this code."""
        try:
            with self.reading() as conn:
                # the common case, without importing Alembic (~0.1 s of every CLI call)
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except (OperationalError, ProgrammingError) as exc:
            empty = "alembic_version" in str(exc.orig) and (
                isinstance(exc, OperationalError) or getattr(exc.orig, "sqlstate", None) == "42P01"
            )  # merely no alembic_version table yet (SQLite / PostgreSQL's undefined_table)
            if not empty:
                raise ConfigurationError(
                    f"cannot open the workspace database {redact_url(self.url)}: "
                    f"{redact_text(str(exc.orig), self.url)}",
                    code="database_unreachable",
                    details={"source": redact_url(self.url)},
                ) from None
            current = None
        if current == HEAD_REVISION:
            return
        with self.writing(bump_version=False) as conn:
            if not self.is_sqlite:  # one migrator at a time across processes
                conn.execute(text("SELECT pg_advisory_xact_lock(7421001)"))
            current = self.current_revision(conn)
            if current == HEAD_REVISION:
                return
            from alembic import command
            from alembic.config import Config
            from alembic.script import ScriptDirectory

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
            if current is not None and current not in known:
                raise SchemaVersionError(
                    f"this workspace's schema is at revision {current!r}, newer than this Contexta knows "
                    f"(up to {HEAD_REVISION!r}); upgrade contexta-onboarding to open it",
                    details={"revision": str(current), "head": HEAD_REVISION},
                )
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
