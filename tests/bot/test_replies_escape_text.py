"""Every reply path escapes what people typed and what the database holds (issue #12, findings 6, 7).

Through the real Bolt app with signed requests: a digest command's error must not turn a typed
`<!channel>` or `<https://…|click>` into a live mention or link, and names stored before the
contract refused control characters reach Slack with those characters escaped.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from contexta_core.store import schema as t
from tests.bot.harness import SlackDriver

LIVE = ("<!channel>", "<!here>", "<https://evil.example|click>", "<@U0BOSS>")
RAW = ("\u202e", "\u2066", "\x1b", "\x07", "\x9b")


def assert_inert(content: str, mrkdwn: str | None = None) -> None:
    """No raw control or bidi character anywhere; no live mention or link where Slack parses
    mrkdwn (`mrkdwn`, default everything: a plain_text header shows `<!channel>` as written)."""
    for live in LIVE:
        assert live not in (content if mrkdwn is None else mrkdwn), live
    for raw in RAW:
        assert raw not in content, repr(raw)


def parsed_text(reply) -> str:
    """The fallback text and the blocks' texts except plain_text headers."""
    blocks = [block for block in reply.blocks if block.get("type") != "header"]
    return reply.text + json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    "command",
    [
        "digest subscribe <!channel>",
        "digest subscribe churn-prediction weekly mon 09:00 tz <https://evil.example|click>",
        "digest unsubscribe <@U0BOSS>",
        "digest preview <!here>",
        "digest subscribe churn-prediction lang <!channel>",
    ],
)
def test_digest_command_errors_echo_typed_text_inert(slack: SlackDriver, command: str) -> None:
    reply = slack.command(command)
    assert reply.ephemeral
    assert_inert(reply.content)


def test_names_stored_with_control_characters_reach_slack_escaped(slack_rw: SlackDriver, demo_ctx) -> None:
    with demo_ctx.database.writing() as conn:
        conn.execute(
            update(t.runs)
            .where(t.runs.c.name == "churn-v6-apr")
            .values(name="churn-v6\u202erpa-\x1b[2J<!channel>")
        )
    for command in (
        "runs churn-prediction",
        "best churn-prediction",
        "report churn-prediction",
        "compare run:churn-prediction.churn-v5-apr run:churn-prediction.churn-v6-apr",  # names in a header
    ):
        reply = slack_rw.command(command)
        assert_inert(reply.content, parsed_text(reply))
        assert "\\u202e" in reply.content, command  # shown, as an escape
    slack_rw.command("digest subscribe churn-prediction")
    assert_inert(slack_rw.command("digest preview churn-prediction").content)
