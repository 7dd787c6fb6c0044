"""Replies to @mentions and DMs in the message's thread (placeholder text until the router lands)."""

from slack_bolt import Say

PLACEHOLDER_REPLY = "I heard you. Answers are coming soon; try `/contexta help` meanwhile."


def reply_to_mention(event: dict, say: Say) -> None:
    say(text=PLACEHOLDER_REPLY, thread_ts=event.get("thread_ts") or event["ts"])


def reply_to_direct_message(event: dict, say: Say) -> None:
    """Only human messages in the bot's DM; channel messages and edits/joins/bot posts are ignored."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    say(text=PLACEHOLDER_REPLY, thread_ts=event.get("thread_ts") or event["ts"])
