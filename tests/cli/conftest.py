"""Fixtures for driving the `contexta` CLI in-process (Typer's CliRunner) against a real workspace.

``demo_cli`` runs against the churn-prediction demo history, once on SQLite and once on
PostgreSQL (via the root ``database_url`` fixture, passed as ``--database-url``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from contexta_cli.main import app

Invoke = Callable[..., Result]

# Plain, 80-column output whatever the developer's terminal or CI sets.
RUNNER_ENV = {"COLUMNS": "80", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "CONTEXTA_DATABASE_URL": None}


@pytest.fixture
def runner_env() -> dict[str, str | None]:
    """The environment every in-process invocation gets (tests may add CONTEXTA_* to a copy)."""
    return dict(RUNNER_ENV)


@pytest.fixture
def run_cli(tmp_path, monkeypatch) -> Invoke:
    """``run_cli(*args, database_url=None)``: one invocation on the workspace ``tmp_path/ws``."""
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    monkeypatch.delenv("CONTEXTA_WORKSPACE", raising=False)
    runner = CliRunner(env=RUNNER_ENV)

    def invoke(*args: str, database_url: str | None = None) -> Result:
        options = ["--workspace", str(tmp_path / "ws")]
        if database_url is not None:
            options += ["--database-url", database_url]
        return runner.invoke(app, [*options, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def demo_cli(demo_ctx, database_url: str, run_cli: Invoke) -> Invoke:
    """The CLI on the seeded demo history (SQLite and PostgreSQL)."""
    return functools.partial(run_cli, database_url=database_url)
