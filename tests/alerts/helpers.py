"""Helpers for the alert tests: training code in another process, a dispatcher on the stand-in."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.alerts.poster import ClientFor, SlackAlertPoster
from bot.slack_client import web_client
from contexta_core.alerts import AlertTiming, deliver_due_alerts
from contexta_core.delivery import ChannelPacer, RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
FAST = AlertTiming(
    quiet=timedelta(milliseconds=300), max_gather=timedelta(seconds=2), min_interval=timedelta(seconds=60)
)
NO_WAIT = RetryPolicy(inline_backoff=0.01, settle_wait=0.01, deferred_backoff=timedelta(seconds=1))

TRAINING = """
import json, sys, time
from contexta_core import Contexta

spec = json.loads(sys.argv[1])
with Contexta(workspace=spec["workspace"], database_url=spec["url"]) as ctx:
    for name, value in spec["runs"]:
        time.sleep(spec.get("pause", 0))
        if value is None:
            try:
                with ctx.run(name, project=spec["project"]) as run:
                    run.log_event("cuda_oom", "CUDA out of memory: tried to allocate 2 GiB", level="error")
                    raise RuntimeError("training crashed")
            except RuntimeError:
                pass
            continue
        with ctx.run(name, project=spec["project"]) as run:
            with run.stage("evaluate") as stage:
                stage.log_metric(spec.get("metric", "accuracy"), value)
    for name, run_id in spec.get("deployments", []):
        ctx.record_deployment(name, run_id)
"""


def single_workspace(client: Any) -> ClientFor:
    """Every team posts with the one client (what a test's dispatcher needs; the bot passes its
    ``TeamClients``, which also say which teams it posts for)."""
    return lambda tenant: client


def train_in_another_process(
    ctx,
    project: str,
    runs: list[tuple[str, float | None]],
    deployments=(),
    metric: str = "accuracy",
    pause: float = 0.0,
    wait: bool = True,
):
    """Record ``runs`` (name, value; None: a run that crashes) through the capture API in a separate
    Python process, as training code would (``pause`` seconds before each), and wait for it to
    finish (``wait=False``: the process, for ``finished``)."""
    spec = {
        "workspace": str(ctx.workspace) if hasattr(ctx, "workspace") else ".",
        "url": ctx.database_url,
        "project": project,
        "runs": runs,
        "deployments": list(deployments),
        "metric": metric,
        "pause": pause,
    }
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(TRAINING), json.dumps(spec)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait:
        return process
    finished(process)
    return process


def finished(process) -> None:
    _, err = process.communicate(timeout=180)
    assert process.returncode == 0, err


def poster_for(standin) -> SlackAlertPoster:
    return SlackAlertPoster(
        single_workspace(web_client("xoxb-test", base_url=standin.api_url, retries=False))
    )


def dispatch_until_quiet(
    ctx, poster, *, timing: AlertTiming = FAST, seconds: float = 10.0, holder=None
) -> list:
    """Run dispatcher passes (real time) until nothing is left to do or ``seconds`` pass; the outcomes."""
    outcomes = []
    deadline = time.monotonic() + seconds
    pacer = ChannelPacer(interval=0)
    while time.monotonic() < deadline:
        report = deliver_due_alerts(ctx, poster, holder=holder, timing=timing, policy=NO_WAIT, pacer=pacer)
        outcomes.extend(report.outcomes)
        if not ctx.alerts.anything_to_do(datetime.now(UTC) + timing.max_gather + timedelta(seconds=1)):
            break
        time.sleep(0.1)
    return outcomes


def alert_posts(standin, channel: str | None = None) -> list:
    posts = [c for c in standin.calls("chat.postMessage") if _is_alert(c.params)]
    return [c for c in posts if channel is None or c.params.get("channel") == channel]


def _is_alert(params: dict) -> bool:
    metadata = params.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return bool(metadata) and metadata.get("event_type") == "contexta_alert"


def blocks_text(call) -> str:
    blocks = call.params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return call.params.get("text", "") + "\n" + json.dumps(blocks, ensure_ascii=False)
