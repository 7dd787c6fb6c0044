"""Wires every Slack listener onto the Bolt app; one subpackage per kind of Slack request."""

from slack_bolt import App

from bot.listeners import actions, commands, events
from contexta_core import Contexta


def register_listeners(app: App, contexta: Contexta) -> None:
    """Register all listeners, each answering from `contexta`; called once by `bot.app.create_app`."""
    for feature in (commands, events, actions):  # no modals yet, so no views/ package
        feature.register(app, contexta)
