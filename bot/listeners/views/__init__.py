"""Modal submission listeners; none yet."""

from slack_bolt import App


def register(app: App) -> None:
    """Register view submission listeners on `app` (placeholder until the bot opens modals)."""
