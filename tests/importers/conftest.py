"""Fixtures for the importers: copies of the sources made by their own libraries, and a real MLflow
server process.

The server is started when this folder's tests are collected and waited for (bounded) only by
the tests that use it, so its start-up overlaps the other tests instead of adding to them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MLFLOW_DB = FIXTURES / "mlflow_store" / "mlflow.db"
CONTEXTA1 = FIXTURES / "contexta1"
TENSORBOARD_LOGS = FIXTURES / "tensorboard_logs"
SERVER_START_TIMEOUT = 240  # s; a cold start on a busy 2-core machine takes a minute or more


def copy_mlflow_store(target_dir: Path) -> str:
    """A tracking URI for a private copy of the fixture store, upgraded if this MLflow is newer."""
    target_dir.mkdir(parents=True, exist_ok=True)
    db = target_dir / "mlflow.db"
    shutil.copyfile(MLFLOW_DB, db)
    uri = f"sqlite:///{db}"
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    try:
        MlflowClient(uri).search_experiments()
    except MlflowException as exc:  # written by an older MLflow than the one installed
        if "out-of-date" not in str(exc):
            raise
        subprocess.run(
            [sys.executable, "-m", "mlflow", "db", "upgrade", uri], check=True, capture_output=True
        )
    return uri


class MlflowServer:
    """`mlflow server` on a free loopback port over a copy of the fixture store."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="contexta-mlflow-server-"))
        self.db = self.folder / "mlflow.db"
        shutil.copyfile(MLFLOW_DB, self.db)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (self.folder / "server.log").open("wb")
        env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "mlflow", "server",
                "--backend-store-uri", f"sqlite:///{self.db}",
                "--default-artifact-root", str(self.folder / "artifacts"),
                "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
            ],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip

    def wait_ready(self) -> str:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"mlflow server exited ({self.process.returncode}): {self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as reply:
                    if reply.status == 200:
                        return self.url
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"mlflow server not ready within {SERVER_START_TIMEOUT} s: {self._tail()}")

    def _tail(self) -> str:
        self.log.flush()
        return (self.folder / "server.log").read_text(errors="replace")[-1500:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: MlflowServer | None = None


def pytest_collection_finish(session) -> None:
    """Start the server as soon as a test that needs it is collected."""
    global _server
    if _server is None and any(
        "mlflow_server" in getattr(item, "fixturenames", ()) for item in session.items
    ):
        _server = MlflowServer()


@pytest.fixture(scope="session")
def mlflow_server():
    global _server
    if _server is None:
        _server = MlflowServer()
    try:
        yield _server.wait_ready()
    finally:
        _server.stop()
        _server = None


@pytest.fixture
def mlflow_uri(tmp_path: Path) -> str:
    return copy_mlflow_store(tmp_path / "mlflow")


@pytest.fixture
def contexta1_workspace(tmp_path: Path) -> Path:
    target = tmp_path / "legacy" / ".contexta"
    shutil.copytree(CONTEXTA1, target)
    return target


@pytest.fixture
def tensorboard_logs(tmp_path: Path) -> Path:
    target = tmp_path / "tb"
    shutil.copytree(TENSORBOARD_LOGS, target)
    return target


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop a server started for tests that never ran (-x, a failure before them)."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None


@pytest.fixture
def sqlite_ctx(tmp_path: Path, monkeypatch):
    """A SQLite workspace, for tests whose subject is the source rather than the database (the
    writer's behaviour on both databases is covered by the tests using ``ctx``)."""
    from contexta_core import Contexta

    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    with Contexta(workspace=tmp_path / "ws") as opened:
        yield opened
