"""Interactivity listeners (button clicks, menus); none yet."""

from slack_bolt import App


def register(app: App) -> None:
    """Register block action listeners on `app` (placeholder until answers have buttons)."""
