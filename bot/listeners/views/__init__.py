"""Modal submission listeners; none yet."""

from slack_bolt import App

from contexta_core import Contexta


def register(app: App, contexta: Contexta) -> None:
    """Register view submission listeners on `app` (placeholder until the bot opens modals)."""
