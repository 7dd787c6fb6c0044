"""App Home tab: the help view, published each time a user opens it."""

from slack_sdk import WebClient

from bot.rendering.help import render_help


def publish_home(event: dict, client: WebClient) -> None:
    if event.get("tab") != "home":
        return
    view = {"type": "home", "blocks": render_help("en").blocks}
    client.views_publish(user_id=event["user"], view=view)
