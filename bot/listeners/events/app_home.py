"""App Home tab: the workspace's projects and what to ask, published each time a user opens it.

The messages tab (the bot's DM) needs nothing here: questions there arrive as `message.im`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.access import SlackAccess
from bot.home import home_view
from bot.people import user_timezone
from bot.rendering.home import render_home_unavailable
from bot.tenancy import tenant_of
from contexta_core import Contexta
from contexta_core.news import Viewer

logger = logging.getLogger(__name__)


def make_home_publisher(contexta: Contexta, access: SlackAccess) -> Callable[..., None]:
    def publish_home(event: dict, client: WebClient, context: BoltContext) -> None:
        """The Home tab is private to the person opening it: it lists what they may see."""
        if event.get("tab") != "home":
            return
        tenant, user = tenant_of(context), event["user"]
        try:
            seen = access.seen_by(contexta, client, tenant, channel=None, user=user)
            view = home_view(seen, Viewer(tenant, user), user_timezone(client, tenant, user))
        except Exception:  # a broken workspace still gets a Home tab, with the questions to ask
            logger.exception("Could not build the App Home view")
            view = render_home_unavailable()
        client.views_publish(user_id=event["user"], view=view)

    return publish_home
