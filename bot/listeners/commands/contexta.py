"""`/contexta`: a quick empty ack, then the answer via `respond` (placeholder: usage text only)."""

from slack_bolt import Ack, Respond

HELP_TEXT = (
    "*Contexta* answers questions about a model project from its run history.\n"
    "• `/contexta best <project>`: the best run and why it won\n"
    "• `/contexta onboard <project>`: what a newcomer should know\n"
    "• `/contexta runs [project]`: recent runs\n"
    "• `/contexta help`: this message"
)


def acknowledge(ack: Ack) -> None:
    """Acknowledge within Slack's 3 s; the answer follows from `answer`."""
    ack()


def answer(command: dict, respond: Respond) -> None:
    """Runs after the ack (lazy listener), so it may take longer than 3 s."""
    respond(text=HELP_TEXT, response_type="ephemeral")
