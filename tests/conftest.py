"""Shared fixtures: every workspace test runs on a real SQLite file and on the real PostgreSQL.

PostgreSQL tests get a fresh schema each (``search_path`` in the URL) and drop it afterwards. When
the server is unreachable they are skipped locally but fail under CI (``CI=true``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ADMIN_URL = os.environ.get("CONTEXTA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, object] = {}


def _pg_available() -> str | None:
    if "error" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
                pass
            _pg_state["error"] = None
        except Exception as exc:  # pragma: no cover - depends on the machine
            _pg_state["error"] = str(exc)
    return _pg_state["error"]  # type: ignore[return-value]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose default schema is new and empty."""
    error = _pg_available()
    if error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """Each test that uses it runs twice: once per supported database."""
    if request.param == "sqlite":
        (tmp_path / "ws").mkdir(exist_ok=True)
        return f"sqlite:///{tmp_path / 'ws' / 'contexta.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def ctx(database_url: str, tmp_path: Path, monkeypatch):
    from contexta_core import Contexta

    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    with Contexta(workspace=tmp_path / "ws", database_url=database_url) as opened:
        yield opened


@pytest.fixture
def demo_ctx(ctx):
    """The seed case's churn-prediction history (6 runs, 2 deployments)."""
    from contexta_core.synthetic import seed_demo

    seed_demo(ctx)
    return ctx
