"""App Home tab: a static welcome view, published each time a user opens it."""

from slack_sdk import WebClient

from bot.listeners.commands.contexta import HELP_TEXT


def publish_home(event: dict, client: WebClient) -> None:
    if event.get("tab") != "home":
        return
    view = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": HELP_TEXT}}]}
    client.views_publish(user_id=event["user"], view=view)
