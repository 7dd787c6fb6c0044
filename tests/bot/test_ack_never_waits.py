"""An ack never waits on a database lock, and event claims do not pile up (issue #12, finding 8).

Slack allows 3 s for the ack. The event's once-only claim is a database write, which on SQLite
waits for whoever holds the write lock (a training process writing a batch): it is made after the
ack, in Bolt's listener thread. Old claims are pruned by the bot as it claims new ones.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from contexta_core.store import schema as t
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.harness import SlackDriver
from tests.support.signed_requests import event_callback

HOLD_SECONDS = 4.0
LOCK_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def mention(event_id: str, text: str = "how many runs?", retry_num: int | None = None):
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@U0BOT> {text}",
        "channel": "C1",
        "ts": "1700009999.000100",
    }
    return event_callback(event, secret=SIGNING_SECRET, event_id=event_id, retry_num=retry_num)


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # PostgreSQL has no whole-database write lock
def test_a_mention_is_acked_at_once_while_another_process_holds_the_write_lock(
    slack_rw: SlackDriver, demo_ctx
) -> None:
    path = demo_ctx.database_url.removeprefix("sqlite:///")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, path, str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        locked_at = time.monotonic()
        status, seconds = slack_rw.dispatch(mention("EvLOCKED1"))
        assert status == 200 and seconds < 1.0, f"ack took {seconds:.2f}s"
        answer = slack_rw.wait_for_post(0, timeout=HOLD_SECONDS + 20)
        assert time.monotonic() - locked_at >= HOLD_SECONDS - 0.5  # answered once the lock was free
        assert "6" in answer.params["text"]
        # Slack's retry of the same event (its ack was not late, but retries happen): acked, not answered
        status, seconds = slack_rw.dispatch(mention("EvLOCKED1", retry_num=1))
        assert status == 200 and seconds < 1.0
        time.sleep(0.5)
        assert len(slack_rw.posts()) == 1
    finally:
        holder.wait(timeout=30)


def test_old_event_claims_are_pruned(slack_rw: SlackDriver, demo_ctx) -> None:
    old = datetime.now(UTC) - timedelta(days=3)
    with demo_ctx.database.writing(bump_version=False) as conn:
        conn.execute(
            insert(t.claims),
            [
                {"key": f"slack-event:Ev{i}", "claimed_at": old, "holder": None, "done": False}
                for i in range(50)
            ]
            + [{"key": "digest:keep", "claimed_at": old, "holder": None, "done": False}],
        )
    status, _ = slack_rw.dispatch(mention("EvFRESH1"))
    assert status == 200
    slack_rw.wait_for_post(0)
    deadline = time.monotonic() + 5
    while True:
        with demo_ctx.database.reading() as conn:
            keys = set(conn.execute(select(t.claims.c.key)).scalars())
        if "slack-event:Ev0" not in keys or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert keys == {"slack-event:EvFRESH1", "digest:keep"}  # other kinds of claims are not the bot's to prune


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_first_request_after_the_upgrade_is_acked_at_once_and_answered_from_the_old_rows(
    slack_rw: SlackDriver, demo_ctx, standin
) -> None:
    """Adopting the rows from before teams is a write: the ack never waits for it, the answer does."""
    from tests.support.signed_requests import slash_command

    demo_ctx.set_preference("slack-channel:C1", "default_project", "churn-prediction")  # before teams
    path = demo_ctx.database_url.removeprefix("sqlite:///")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, path, str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        command = slash_command(
            "runs", secret=SIGNING_SECRET, channel_id="C1", response_url=standin.response_url("first")
        )
        status, seconds = slack_rw.dispatch(command)
        assert status == 200 and seconds < 1.0, f"ack took {seconds:.2f}s"
        (answer,) = standin.wait_for("response_url", timeout=HOLD_SECONDS + 20)
        assert "churn-prediction" in answer.body.decode() and "Which project" not in answer.body.decode()
    finally:
        holder.wait(timeout=30)
