"""Events API wiring: @mentions, direct messages and the App Home tab."""

from slack_bolt import App

from bot.access import SlackAccess
from bot.listeners.events.app_home import make_home_publisher
from bot.listeners.events.conversation import make_dm_listener, make_mention_listener
from bot.middleware import once_per_event
from contexta_core import Contexta


def register(app: App, contexta: Contexta, access: SlackAccess) -> None:
    # once_per_event: the de-duplicating claim is made after the ack, in the listener's thread
    app.event("app_mention")(once_per_event(make_mention_listener(contexta, access)))
    app.event("message")(once_per_event(make_dm_listener(contexta, access)))
    # Subscribed in manifest.yml; an unhandled event gets a 404 and Slack counts it as a failed delivery.
    app.event("app_home_opened")(once_per_event(make_home_publisher(contexta, access)))
