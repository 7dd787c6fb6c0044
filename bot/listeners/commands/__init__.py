"""Slash command wiring: `/contexta` acks at once and answers afterwards (Slack allows 3 s for the ack)."""

from slack_bolt import App

from bot.access import SlackAccess
from bot.listeners.commands.contexta import acknowledge, make_answer
from contexta_core import Contexta


def register(app: App, contexta: Contexta, access: SlackAccess) -> None:
    app.command("/contexta")(ack=acknowledge, lazy=[make_answer(contexta, access)])
