"""Events API wiring: @mentions, direct messages and the App Home tab."""

from slack_bolt import App

from bot.listeners.events.app_home import publish_home
from bot.listeners.events.conversation import reply_to_direct_message, reply_to_mention


def register(app: App) -> None:
    app.event("app_mention")(reply_to_mention)
    app.event("message")(reply_to_direct_message)
    # Subscribed in manifest.yml; an unhandled event gets a 404 and Slack counts it as a failed delivery.
    app.event("app_home_opened")(publish_home)
