"""Weekly digests in Slack: delivery (claim → post → mark), the scheduler and the commands.

The digest message is rendered by ``bot.rendering.digest`` and its words are in the app's one
catalog (``bot.rendering.catalog``). The wiring needs only:

* ``handle_digest_command(ctx, args, channel_id=…, user_id=…, language=…, client=…) -> DigestReply``
* ``start_digest_scheduler(ctx, client) -> DigestScheduler`` (``.shutdown()`` on exit)
* ``deliver_due(ctx, client, now)`` for ``contexta digest run-due``
"""

from bot.digests.commands import DigestReply, handle_digest_command
from bot.digests.delivery import ChannelPacer, DeliveryReport, RetryPolicy, deliver_due
from bot.digests.scheduler import DigestScheduler, start_digest_scheduler

__all__ = [
    "ChannelPacer",
    "DeliveryReport",
    "DigestReply",
    "DigestScheduler",
    "RetryPolicy",
    "deliver_due",
    "handle_digest_command",
    "start_digest_scheduler",
]
