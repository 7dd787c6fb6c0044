"""Weekly digests in Slack: the composer, delivery (claim → post → mark), the scheduler and the commands.

The lead's wiring needs only:

* ``handle_digest_command(ctx, args, channel_id=…, user_id=…, language=…, client=…) -> DigestReply``
* ``start_digest_scheduler(ctx, client) -> DigestScheduler`` (``.shutdown()`` on exit)
* ``deliver_due(ctx, client, now)`` for ``contexta digest run-due``
"""

from bot.digests.commands import DigestReply, handle_digest_command
from bot.digests.composer import compose_digest
from bot.digests.delivery import ChannelPacer, DeliveryReport, RetryPolicy, deliver_due, delivery_client
from bot.digests.scheduler import DigestScheduler, start_digest_scheduler

__all__ = [
    "ChannelPacer",
    "DeliveryReport",
    "DigestReply",
    "DigestScheduler",
    "RetryPolicy",
    "compose_digest",
    "deliver_due",
    "delivery_client",
    "handle_digest_command",
    "start_digest_scheduler",
]
