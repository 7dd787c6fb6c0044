"""Slash command wiring: `/contexta` acks at once and answers afterwards (Slack allows 3 s for the ack)."""

from slack_bolt import App

from bot.listeners.commands.contexta import acknowledge, answer


def register(app: App) -> None:
    app.command("/contexta")(ack=acknowledge, lazy=[answer])
