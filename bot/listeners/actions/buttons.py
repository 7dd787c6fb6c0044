"""Clicks on our answer buttons: "Choose" a project, "Show more", "Full report".

Acked at once; the answer is built by a lazy listener and posted in the clicked message's
thread (or through `response_url` when the message was only visible to the clicker).
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.answers import answer_action
from bot.channel_defaults import channel_default_project
from bot.listeners.replies import post_in_thread, respond_with
from contexta_core import Contexta


def acknowledge(ack: Ack) -> None:
    ack()


def make_click_listener(contexta: Contexta) -> Callable[..., None]:
    def answer_click(body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        default = channel_default_project(contexta, channel)
        answer = answer_action(
            contexta, action["action_id"], action.get("value") or "", channel_default=default
        )
        message_ts = container.get("message_ts")
        if answer.ephemeral or container.get("is_ephemeral") or not (channel and message_ts):
            respond_with(respond, answer, replace_original=False)
            return
        thread = container.get("thread_ts") or message_ts
        post_in_thread(client, answer, channel=channel, thread_ts=thread)

    return answer_click
