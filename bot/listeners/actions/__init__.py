"""Interactivity wiring: the buttons our answers carry (ack at once, answer in a lazy listener)."""

from slack_bolt import App

from bot.listeners.actions.buttons import acknowledge, make_click_listener
from bot.rendering.clarify import CHOOSE_PROJECT
from bot.rendering.paging import SHOW_MORE
from bot.rendering.report import FULL_REPORT
from contexta_core import Contexta


def register(app: App, contexta: Contexta) -> None:
    for action_id in (CHOOSE_PROJECT, SHOW_MORE, FULL_REPORT):
        app.action(action_id)(ack=acknowledge, lazy=[make_click_listener(contexta)])
