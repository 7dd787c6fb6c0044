"""Interactivity wiring: the buttons our answers and the Home tab carry (ack at once, answer in a lazy listener)."""

from slack_bolt import App

from bot.access import SlackAccess
from bot.listeners.actions.buttons import acknowledge, make_click_listener, make_home_onboard_listener
from bot.rendering.best import COMPARE_PRODUCTION
from bot.rendering.clarify import CHOOSE_PROJECT, CHOOSE_READING
from bot.rendering.home import HOME_ONBOARD, HOME_ONBOARD_KO
from bot.rendering.paging import SHOW_MORE
from bot.rendering.report import FULL_REPORT
from bot.rendering.trend import TREND_CHART
from contexta_core import Contexta


def register(app: App, contexta: Contexta, access: SlackAccess) -> None:
    for action_id in (
        CHOOSE_PROJECT,
        CHOOSE_READING,
        SHOW_MORE,
        FULL_REPORT,
        TREND_CHART,
        COMPARE_PRODUCTION,
    ):
        app.action(action_id)(ack=acknowledge, lazy=[make_click_listener(contexta, access)])
    for action_id in (HOME_ONBOARD, HOME_ONBOARD_KO):
        app.action(action_id)(ack=acknowledge, lazy=[make_home_onboard_listener(contexta, access)])
