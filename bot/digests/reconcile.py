"""Did a post that got no clear answer reach the channel? Ask the channel, not a guess.

Every digest and every alert carries Slack message ``metadata`` naming its delivery (the core's
``delivery_key``; ``event_type`` tells digests and alerts apart). When ``chat.postMessage`` fails in a way that may have posted anyway (Slack
answered 5xx or ``internal_error``, or the answer was lost to a timeout or a dropped connection),
the delivery loop asks ``find_posted_digest`` before anything is posted again. Reading history
needs ``channels:history`` (``groups:history`` for private channels) and the bot in the channel;
when the history cannot be read the outcome is unknown and the loop marks the period ``uncertain``.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from contexta_core.delivery import OutcomeUnknown

EVENT_TYPE = "contexta_digest"
ALERT_EVENT_TYPE = "contexta_alert"
LOOKBACK_SECONDS = 15 * 60  # posts older than this cannot be the one just attempted
MAX_PAGES = 5


def message_metadata(delivery: str, event_type: str = EVENT_TYPE) -> dict[str, Any]:
    return {"event_type": event_type, "event_payload": {"delivery": delivery}}


def digest_metadata(delivery: str) -> dict[str, Any]:
    return message_metadata(delivery, EVENT_TYPE)


def find_posted_digest(client: Any, channel: str, delivery: str, *, since: float) -> str | None:
    return find_posted(client, channel, delivery, since=since, event_type=EVENT_TYPE)


def find_posted(
    client: Any, channel: str, delivery: str, *, since: float, event_type: str = EVENT_TYPE
) -> str | None:
    """The ts of the message carrying ``delivery``'s metadata (of ``event_type``) posted after
    ``since`` (epoch seconds), or None when the channel certainly has none; raises
    ``OutcomeUnknown`` otherwise."""
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
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == event_type and payload.get("delivery") == delivery:
                    return message.get("ts")
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
    except SlackApiError as exc:  # missing scope, not in the channel, Slack down
        data = getattr(exc.response, "data", None)
        reason = data.get("error") if isinstance(data, dict) else None
        raise OutcomeUnknown(f"could not read the channel to check: {reason or 'Slack error'}") from None
    except (SlackClientError, OSError) as exc:
        raise OutcomeUnknown(f"could not read the channel to check: {type(exc).__name__}") from None
    raise OutcomeUnknown(f"not among the channel's latest {MAX_PAGES * 200} messages")
