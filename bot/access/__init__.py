"""Project access in Slack: the Slack facts the core's rules need (who is in which channel or user
group, who is an admin, which channel a name means) and `/contexta access …`."""

from bot.access.commands import AccessAsker, handle_access_command
from bot.access.slack_facts import SlackAccess

__all__ = ["AccessAsker", "SlackAccess", "handle_access_command"]
