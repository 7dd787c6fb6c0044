"""Clicks on our buttons: "Choose" a project, "Show more", "Full report", "Trend chart",
"Compare with production", and the App Home's "Onboard me".

All are acked at once; the answer is built by a lazy listener. Answer buttons reply in the
clicked message's thread (or through `response_url` when the message was only visible to the
clicker); "Onboard me" lives on the Home tab, which has no thread, so it answers in the
clicker's DM with the bot.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.access import SlackAccess
from bot.answers import answer_action
from bot.channel_defaults import visible_channel_default
from bot.listeners.replies import post_in_thread, reply_to_command
from bot.people import asker
from bot.rendering.home import HOME_ONBOARD
from bot.tenancy import tenant_of
from contexta_core import Contexta


def acknowledge(ack: Ack) -> None:
    ack()


def make_click_listener(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def answer_click(
        body: dict, action: dict, client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        """A button's value names its project: it is answered only if the clicker may see it there."""
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        user = (body.get("user") or {}).get("id")
        tenant = tenant_of(context)
        seen = access.seen_by(contexta, client, tenant, channel=channel, user=user)
        answer = answer_action(
            seen,
            action["action_id"],
            action.get("value") or "",
            channel_default=visible_channel_default(seen, channel, tenant),
            **asker(context, user, client),
        )
        message_ts = container.get("message_ts")
        if answer.ephemeral or container.get("is_ephemeral") or not (channel and message_ts):
            reply_to_command(client, respond, answer, channel=channel, replace_original=False)
            return
        thread = container.get("thread_ts") or message_ts
        post_in_thread(client, answer, channel=channel, thread_ts=thread)

    return answer_click


def make_home_onboard_listener(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def onboard_in_dm(body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        """The onboarding answer (and its chart) in the clicker's DM with the bot: private to them."""
        user = (body.get("user") or {}).get("id")
        if not user:
            return
        seen = access.seen_by(contexta, client, tenant_of(context), channel=None, user=user)
        answer = answer_action(  # the value says the language
            seen, HOME_ONBOARD, action.get("value") or "", **asker(context, user, client)
        )
        dm = client.conversations_open(users=user)["channel"]["id"]
        post_in_thread(client, answer, channel=dm, thread_ts=None)

    return onboard_in_dm
