"""`/contexta`: an empty ack at once, then the answer from a lazy listener via `respond`.

Slack allows 3 s for the ack; the lazy listener runs after it, so a slow question on a large
project never makes the command fail.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond

from bot.answers import answer_command, parse_error_answer
from bot.channel_defaults import channel_default_project
from bot.command_parser import CommandError, parse_command
from bot.listeners.replies import respond_with
from bot.rendering.i18n import detect_language
from contexta_core import Contexta


def acknowledge(ack: Ack) -> None:
    """Acknowledge within Slack's 3 s; the answer follows from the lazy listener."""
    ack()


def make_answer(contexta: Contexta) -> Callable[..., None]:
    def answer(command: dict, respond: Respond) -> None:
        """Parse → ask the core → reply (in the channel, or to the asker alone for errors/help/use)."""
        text = command.get("text") or ""
        language = detect_language(text)
        channel = command.get("channel_id")
        try:
            parsed = parse_command(text)
        except CommandError as error:
            respond_with(respond, parse_error_answer(error, language))
            return
        default = channel_default_project(contexta, channel)
        result = answer_command(
            contexta, parsed, channel_default=default, language=language, channel_id=channel
        )
        respond_with(respond, result)

    return answer
