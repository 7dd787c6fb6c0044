"""Wires every Slack listener onto the Bolt app; one subpackage per kind of Slack request."""

from slack_bolt import App

from bot.access import SlackAccess
from bot.listeners import actions, commands, events
from contexta_core import Contexta


def register_listeners(app: App, contexta: Contexta, access: SlackAccess | None = None) -> None:
    """Register all listeners, each answering from what the asker may see of `contexta` (`access`
    holds the Slack facts that decides); called once by `bot.app.create_app`."""
    access = access or SlackAccess()
    for feature in (commands, events, actions):  # no modals yet, so no views/ package
        feature.register(app, contexta, access)
