"""App Home tab: the workspace's projects and what to ask, published each time a user opens it.

The messages tab (the bot's DM) needs nothing here: questions there arrive as `message.im`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.home import home_view
from bot.rendering.home import render_home_unavailable
from contexta_core import Contexta

logger = logging.getLogger(__name__)


def make_home_publisher(contexta: Contexta) -> Callable[..., None]:
    def publish_home(event: dict, client: WebClient, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        try:
            view = home_view(contexta)
        except Exception:  # a broken workspace still gets a Home tab, with the questions to ask
            logger.exception("Could not build the App Home view")
            view = render_home_unavailable()
        client.views_publish(user_id=event["user"], view=view)

    return publish_home
