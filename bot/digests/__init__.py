"""Weekly digests in Slack: the Slack poster for the core's delivery loop, the scheduler and the commands.

The digest message is rendered by ``bot.rendering.digest`` and its words are in the app's one
catalog (``bot.rendering.catalog``). The wiring needs only:

* ``handle_digest_command(ctx, args, channel_id=…, user_id=…, language=…, client=…) -> DigestReply``
* ``start_digest_scheduler(ctx, client) -> DigestScheduler`` (``.shutdown()`` on exit)
* ``deliver_due(ctx, client, now)``: the core's delivery loop (``contexta_core.digests.posting``)
  posting with a Slack client; ``contexta digest run-due`` finds the same poster (``slack_poster``)
  through the ``contexta.digest_posters`` entry point
"""

from bot.digests.commands import DigestReply, handle_digest_command
from bot.digests.delivery import SlackPoster, deliver_due, slack_poster
from bot.digests.scheduler import DigestScheduler, start_digest_scheduler

__all__ = [
    "DigestReply",
    "DigestScheduler",
    "SlackPoster",
    "deliver_due",
    "handle_digest_command",
    "slack_poster",
    "start_digest_scheduler",
]
