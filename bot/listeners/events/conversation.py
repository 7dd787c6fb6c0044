"""Questions in @mentions (answered in the question's thread) and in the bot's DM (answered in the DM)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.access import SlackAccess
from bot.answers import answer_question
from bot.channel_defaults import visible_channel_default
from bot.listeners.replies import post_in_thread
from bot.people import asker
from bot.tenancy import tenant_of
from contexta_core import Contexta


def conversation_key(channel: str, thread: str | None = None) -> str:
    """Where follow-ups belong (within the team, which keys the row): a mention's thread, or the
    whole DM with the bot."""
    return f"slack:{channel}:{thread}" if thread else f"slack:{channel}"


def make_mention_listener(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def reply_to_mention(event: dict, client: WebClient, context: BoltContext) -> None:
        """Answered in the channel's thread, so from what the channel may see."""
        channel = event["channel"]
        tenant = tenant_of(context)
        seen = access.seen_by(contexta, client, tenant, channel=channel, user=event.get("user"))
        default = visible_channel_default(seen, channel, tenant)
        thread = event.get("thread_ts") or event["ts"]
        answer = answer_question(
            seen,
            event.get("text") or "",
            default_project=default,
            conversation=conversation_key(channel, thread),
            tenant=tenant,
            **asker(context, event.get("user"), client),
        )
        post_in_thread(client, answer, channel=channel, thread_ts=thread, user=event.get("user"))

    return reply_to_mention


def make_dm_listener(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def reply_to_direct_message(event: dict, client: WebClient, context: BoltContext) -> None:
        """Only people's new messages in the bot's DM; channel messages, edits, joins and bot posts are ignored.
        The DM is the asker's own, so what they may see follows their channels and user groups."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        channel = event["channel"]
        tenant = tenant_of(context)
        seen = access.seen_by(contexta, client, tenant, channel=channel, user=event.get("user"), own_dm=True)
        default = visible_channel_default(seen, channel, tenant)
        answer = answer_question(
            seen,
            event.get("text") or "",
            default_project=default,
            conversation=conversation_key(channel),
            tenant=tenant,
            **asker(context, event.get("user"), client),
        )
        # The DM is private, so every answer is shown; threaded only when the question was.
        post_in_thread(client, answer, channel=channel, thread_ts=event.get("thread_ts"))

    return reply_to_direct_message
