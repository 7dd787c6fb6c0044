"""Wires every Slack listener onto the Bolt app; one subpackage per kind of Slack request."""

from slack_bolt import App

from bot.listeners import actions, commands, events, views


def register_listeners(app: App) -> None:
    """Register all listeners; called once by `bot.app.create_app`."""
    for feature in (commands, events, actions, views):
        feature.register(app)
