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

from bot.answers import answer_action
from bot.channel_defaults import channel_default_project
from bot.listeners.replies import post_in_thread, reply_to_command
from bot.people import asker
from bot.rendering.home import HOME_ONBOARD
from bot.tenancy import tenant_of
from contexta_core import Contexta


def acknowledge(ack: Ack) -> None:
    ack()


def make_click_listener(contexta: Contexta) -> Callable[..., None]:
    def answer_click(
        body: dict, action: dict, client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        default = channel_default_project(contexta, channel, tenant_of(context))
        answer = answer_action(
            contexta,
            action["action_id"],
            action.get("value") or "",
            channel_default=default,
            **asker(context, (body.get("user") or {}).get("id"), client),
        )
        message_ts = container.get("message_ts")
        if answer.ephemeral or container.get("is_ephemeral") or not (channel and message_ts):
            reply_to_command(client, respond, answer, channel=channel, replace_original=False)
            return
        thread = container.get("thread_ts") or message_ts
        post_in_thread(client, answer, channel=channel, thread_ts=thread)

    return answer_click


def make_home_onboard_listener(contexta: Contexta) -> Callable[..., None]:
    def onboard_in_dm(body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        """The onboarding answer (and its chart) in the clicker's DM with the bot."""
        user = (body.get("user") or {}).get("id")
        if not user:
            return
        answer = answer_action(  # the value says the language
            contexta, HOME_ONBOARD, action.get("value") or "", **asker(context, user, client)
        )
        dm = client.conversations_open(users=user)["channel"]["id"]
        post_in_thread(client, answer, channel=dm, thread_ts=None)

    return onboard_in_dm
