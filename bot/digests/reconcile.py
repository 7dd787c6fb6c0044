"""Did a digest post that got no clear answer reach the channel? Ask the channel, not a guess.

Every digest carries Slack message ``metadata`` naming its delivery. When ``chat.postMessage``
fails in a way that may have posted anyway (Slack answered 5xx or ``internal_error``, or the
answer was lost to a timeout or a dropped connection), the channel's recent history is searched
for that metadata before anything is posted again. Reading history needs ``channels:history``
(``groups:history`` for private channels) and the bot in the channel; when the history cannot be
read, the outcome cannot be decided and the caller marks the period ``uncertain``.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from contexta_core.digests import DeliveryClaim

EVENT_TYPE = "contexta_digest"
LOOKBACK_SECONDS = 15 * 60  # posts older than this cannot be the one just attempted
MAX_PAGES = 5


class Undecidable(Exception):
    """The channel's history could not be read, so whether the post appeared is unknown."""


def delivery_token(claim: DeliveryClaim) -> str:
    """Names one delivery across processes and retries (the claim time tells workspaces apart)."""
    claimed = int(claim.claimed_at.timestamp() * 1000) if claim.claimed_at else 0
    return f"{claim.subscription.id}:{claim.period_key}:{claim.delivery_id}:{claimed}"


def digest_metadata(claim: DeliveryClaim) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"delivery": delivery_token(claim)}}


def find_posted_digest(client: Any, channel: str, claim: DeliveryClaim, *, since: float) -> str | None:
    """The ts of the message carrying ``claim``'s metadata posted after ``since`` (epoch seconds),
    or None when the channel certainly has none; raises ``Undecidable`` when it cannot tell."""
    token = delivery_token(claim)
    cursor = None
    try:
        for _ in range(MAX_PAGES):
            page = client.conversations_history(
                channel=channel,
                oldest=f"{since - LOOKBACK_SECONDS:.6f}",
                limit=200,
                include_all_metadata=True,
                **({"cursor": cursor} if cursor else {}),
            )
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                if (
                    metadata.get("event_type") == EVENT_TYPE
                    and (metadata.get("event_payload") or {}).get("delivery") == token
                ):
                    return message.get("ts")
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
    except SlackApiError as exc:  # missing scope, not in the channel, Slack down
        data = getattr(exc.response, "data", None)
        reason = data.get("error") if isinstance(data, dict) else None
        raise Undecidable(f"could not read the channel to check: {reason or 'Slack error'}") from None
    except (SlackClientError, OSError) as exc:
        raise Undecidable(f"could not read the channel to check: {type(exc).__name__}") from None
    raise Undecidable(f"not among the channel's latest {MAX_PAGES * 200} messages")
