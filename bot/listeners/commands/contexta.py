"""`/contexta`: an empty ack at once, then the answer from a lazy listener.

Slack allows 3 s for the ack; the lazy listener runs after it, so a slow question on a large
project never makes the command fail. Answers go back through `respond`, except in-channel
answers with files, which are posted so their files can be threaded under them (see
`bot.listeners.replies`).
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.access import AccessAsker, SlackAccess
from bot.answers import answer_command, parse_error_answer
from bot.channel_defaults import visible_channel_default
from bot.listeners.replies import reply_to_command, respond_with
from bot.people import asker
from bot.tenancy import tenant_of
from contexta_core import Contexta
from contexta_core.ask.commands import CommandError, parse_command
from contexta_core.language import detect_language


def acknowledge(ack: Ack) -> None:
    """Acknowledge within Slack's 3 s; the answer follows from the lazy listener."""
    ack()


def make_answer(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def answer(command: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
        """Parse → ask the core (what the asker may see here) → reply (in the channel, or to the
        asker alone for errors/help/use/access)."""
        text = command.get("text") or ""
        language = detect_language(text)
        channel, user = command.get("channel_id"), command.get("user_id")
        try:
            parsed = parse_command(text)
        except CommandError as error:
            respond_with(respond, parse_error_answer(error, language))
            return
        tenant = tenant_of(context)
        seen = access.seen_by(contexta, client, tenant, channel=channel, user=user)
        result = answer_command(
            seen,
            parsed,
            channel_default=visible_channel_default(seen, channel, tenant),
            language=language,
            channel_id=channel,
            user_id=user,
            client=client,
            access=AccessAsker(contexta, tenant, user, client, access),
            **asker(context, user, client),
            tenant=tenant,
        )
        reply_to_command(client, respond, result, channel=channel)

    return answer
