"""`contexta-bot` refuses an unusable configuration or workspace with one line and exit 2, before
anything binds a port (issue #12, finding 9). Real processes: gunicorn binds in its master."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import BotConfigError, load_settings
from contexta_core import Contexta
from tests.bot.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.bot.test_e2e_http import bot_command, free_port


def run_bot(tmp_path: Path, port: int, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CONTEXTA_"))}
    base.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL="http://127.0.0.1:9/api/", CONTEXTA_DIGESTS="off")
    base.update(env)
    return subprocess.run(
        bot_command(port), env=base, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )


def assert_refused_before_binding(done: subprocess.CompletedProcess, port: int, *expected: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert len(output.strip().splitlines()) == 1, output
    assert output.startswith("contexta-bot: ") and "Traceback" not in output
    for part in expected:
        assert part in output, output
    assert "Listening at" not in output and "Booting worker" not in output
    with socket.socket() as probe:  # nothing is left holding the port either
        probe.bind(("127.0.0.1", port))


@pytest.mark.parametrize("secret", [" ", "\t", "  padded-secret  ", "two words", "line\nbreak"])
def test_a_blank_or_spaced_signing_secret_is_refused(secret: str) -> None:
    with pytest.raises(BotConfigError) as refused:
        load_settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=secret)
    message = str(refused.value)
    assert message.startswith("SLACK_SIGNING_SECRET ") and "Basic Information" in message
    assert secret.strip() not in message or not secret.strip()


def test_a_token_with_whitespace_is_refused_without_echoing_it() -> None:
    with pytest.raises(BotConfigError, match="SLACK_BOT_TOKEN must not contain spaces") as refused:
        load_settings(slack_bot_token=BOT_TOKEN + "\n", slack_signing_secret=SIGNING_SECRET)
    assert BOT_TOKEN not in str(refused.value)


def test_the_bot_with_a_blank_signing_secret_exits_2_before_binding(tmp_path: Path) -> None:
    port = free_port()
    done = run_bot(tmp_path, port, SLACK_SIGNING_SECRET=" ", CONTEXTA_WORKSPACE=str(tmp_path / "ws"))
    assert_refused_before_binding(done, port, "SLACK_SIGNING_SECRET")


@pytest.mark.parametrize("mode", ["http", "socket"])
def test_a_workspace_from_a_newer_version_stops_the_bot_with_one_line(tmp_path: Path, mode: str) -> None:
    with Contexta(workspace=tmp_path / "ws") as ctx, ctx.database.writing(bump_version=False) as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    port = free_port()
    env = {"SLACK_SIGNING_SECRET": SIGNING_SECRET, "CONTEXTA_WORKSPACE": str(tmp_path / "ws")}
    if mode == "socket":
        env["SLACK_APP_TOKEN"] = "xapp-test-token"
    done = run_bot(tmp_path, port, **env)
    assert_refused_before_binding(done, port, "newer than this Contexta knows", "upgrade contexta-onboarding")
    cli = subprocess.run(
        [sys.executable, "-m", "contexta_cli", "--workspace", str(tmp_path / "ws"), "projects"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 2 and len(cli.stderr.strip().splitlines()) == 1


def test_an_unreachable_database_stops_the_bot_with_one_redacted_line(tmp_path: Path) -> None:
    port = free_port()
    url = "postgresql+psycopg://bot:Hunter2-s3cret@127.0.0.1:1/contexta?password=Hunter2-s3cret"
    done = run_bot(tmp_path, port, SLACK_SIGNING_SECRET=SIGNING_SECRET, CONTEXTA_DATABASE_URL=url)
    assert_refused_before_binding(done, port, "cannot open the workspace database")
    assert "Hunter2" not in done.stdout + done.stderr
