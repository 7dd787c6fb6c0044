"""How an `Answer` reaches Slack: the response_url, a thread, or only the asker's eyes."""

from __future__ import annotations

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.answers import Answer


def respond_with(respond: Respond, answer: Answer, *, replace_original: bool | None = None) -> None:
    """Via `response_url`: in the channel for answers, to the asker alone for errors and help."""
    respond(
        text=answer.text,
        blocks=answer.blocks,
        response_type="ephemeral" if answer.ephemeral else "in_channel",
        replace_original=replace_original,
    )


def post_in_thread(
    client: WebClient, answer: Answer, *, channel: str, thread_ts: str | None, user: str | None = None
) -> None:
    """A reply in `thread_ts` (top level when None); ephemeral answers go to `user` only when known."""
    if answer.ephemeral and user:
        client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks
        )
        return
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks)
