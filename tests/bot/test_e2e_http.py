"""`contexta-bot` as a real process: gunicorn + Bolt answering a signed `/contexta help` over HTTP, with the
worker's digest clock running and everything stopping cleanly on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.bot.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.signed_requests import post, slash_command
from tests.support.slack_standin import SlackStandIn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("contexta-bot")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "bot.app"]
    return [*entry, "--host", "127.0.0.1", "--port", str(port)]


def wait_until_healthy(process: subprocess.Popen, url: str, log: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"contexta-bot exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"contexta-bot never became healthy:\n{log.read_text()}")


@pytest.mark.slow
def test_contexta_bot_serves_a_slash_command_over_http(standin: SlackStandIn, tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CONTEXTA_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        CONTEXTA_WORKSPACE=str(tmp_path / "ws"),
    )
    log = tmp_path / "bot.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(bot_command(port), env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(process, f"http://127.0.0.1:{port}/healthz", log)
        body, headers = slash_command("help", secret=SIGNING_SECRET, response_url=standin.response_url("e2e"))
        started = time.monotonic()
        status, _, _ = post(f"http://127.0.0.1:{port}/slack/events", body, headers, timeout=3)
        assert status == 200 and time.monotonic() - started < 3
        (answer,) = standin.wait_for("response_url", timeout=5)
        assert "/contexta help" in answer.params["text"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text()
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output
    assert output.count("digest scheduler started") == 1  # in the one worker, not in gunicorn's master
    assert "Traceback" not in output
