"""Fixtures for the digest tests: a Slack stand-in, a client on it, a fake clock and a pacer on it."""

from __future__ import annotations

import pytest

from contexta_core.digests.posting import ChannelPacer
from tests.support import fixtures

from .helpers import FakeClock, slack_client

isolated_env = fixtures.isolated_env  # shared with the other Slack tests (tests/support/fixtures.py)
standin = fixtures.standin


@pytest.fixture
def client(standin):
    return slack_client(standin)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pacer(clock: FakeClock) -> ChannelPacer:
    return ChannelPacer(clock=clock.monotonic, sleep=clock.sleep)


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory) -> str:
    """One migrated SQLite workspace, copied per test: the digest suite stays fast."""
    from contexta_core import Contexta

    folder = tmp_path_factory.mktemp("template")
    with Contexta(database_url=f"sqlite:///{folder / 'contexta.db'}"):
        pass
    return str(folder / "contexta.db")


@pytest.fixture
def sqlite_ctx(_migrated_sqlite_template: str, tmp_path):
    """A Contexta on a fresh, already migrated SQLite file (for tests that need one database only)."""
    import shutil

    from contexta_core import Contexta

    (tmp_path / "ws").mkdir(exist_ok=True)
    target = tmp_path / "ws" / "contexta.db"
    shutil.copyfile(_migrated_sqlite_template, target)
    with Contexta(workspace=tmp_path / "ws", database_url=f"sqlite:///{target}") as opened:
        yield opened
