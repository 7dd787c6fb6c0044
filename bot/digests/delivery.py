"""Digests into Slack: the poster the core's delivery loop posts through, and what Slack's errors mean.

``contexta_core.digests.posting.deliver_due`` owns claiming, retrying, pacing and pausing; this
module composes each digest as Block Kit and posts it with ``chat.postMessage``, telling the loop
which failures are permanent (``channel_not_found``, ``not_in_channel``, ``is_archived`` …), which
refused the blocks (post as text instead) and which are worth retrying (rate limits with their
``Retry-After``, Slack 5xx or ``internal_error``, network errors).

``slack_poster`` is registered as the ``slack`` entry point of ``contexta.digest_posters`` (see
pyproject.toml): ``contexta digest run-due`` finds it by name, so the terminal never imports the bot.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.rendering.digest import render_digest
from bot.rendering.i18n import t
from bot.slack_client import web_client
from contexta_core.digests import DigestSummary, Subscription, posting
from contexta_core.digests.posting import DeliveryReport, PostFailed
from contexta_core.errors import ConfigurationError

# Slack errors that will not go away by retrying: pause the subscription. The stored reason is the
# catalog's English for ``digest.pause.<error>`` with the error in a code span, so the terminal shows
# it as it is and Slack's ``digest list`` words it again in the reader's language.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "missing_scope",
        "messages_tab_disabled",
    }
)
# The blocks were refused: post the same digest as plain text once instead of failing.
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


class SlackPoster:
    """Posts a digest to its subscription's channel with a slack_sdk ``WebClient``."""

    def __init__(self, client: Any):
        self.client = client

    def post(self, subscription: Subscription, summary: DigestSummary, *, plain: bool = False) -> str | None:
        message = render_digest(
            summary, language=subscription.language, timezone=subscription.timezone, subscription=subscription
        )
        try:
            response = self.client.chat_postMessage(
                channel=subscription.target,
                text=message.text,
                blocks=None if plain else message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackClientError, OSError) as exc:  # OSError: URLError, timeouts, refused connections
            raise classify_failure(exc) from exc
        return response.get("ts") if hasattr(response, "get") else None


def slack_poster(api_url: str | None = None) -> SlackPoster:
    """The ``slack`` digest poster for ``contexta digest run-due``: the bot's token from
    ``SLACK_BOT_TOKEN``, the Web API at ``api_url``, else ``SLACK_API_URL``, else Slack's."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigurationError(
            "SLACK_BOT_TOKEN is not set; run-due posts with the bot's token (xoxb-…)",
            code="slack_token_missing",
        )
    # No client-side retry handlers: the delivery loop retries itself, honouring Retry-After.
    return SlackPoster(web_client(token, base_url=api_url or os.environ.get("SLACK_API_URL"), retries=False))


def deliver_due(ctx: Any, client: Any, now: datetime | None = None, **options: Any) -> DeliveryReport:
    """The core's ``deliver_due``, posting to Slack with ``client`` (a slack_sdk ``WebClient``)."""
    return posting.deliver_due(ctx, SlackPoster(client), now, **options)


def classify_failure(exc: BaseException) -> PostFailed:
    """Which Slack failures pause, which fall back to text, which are retried (everything else)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", None)
        error = _response_error(response) or (f"http_{status}" if status else "slack_error")
        retry_after = _retry_after(response)
        if status == 429 or error in ("ratelimited", "rate_limited"):
            return PostFailed("retry", "ratelimited", retry_after=retry_after or 1.0)
        if error in PERMANENT_ERRORS:
            return PostFailed("permanent", error, reason=f"{t('en', f'digest.pause.{error}')} (`{error}`)")
        if error in BLOCK_ERRORS:
            return PostFailed("rich", error)
        shown = f"{error} (HTTP {status})" if status and status != 200 else error
        return PostFailed("retry", shown, retry_after=retry_after)
    if isinstance(exc, OSError):  # URLError and TimeoutError are OSErrors
        reason = getattr(exc, "reason", None) or exc
        return PostFailed("retry", f"network error: {reason}")
    if isinstance(exc, SlackClientError):
        return PostFailed("retry", f"slack client error: {exc}")
    raise exc


def _response_error(response: Any) -> str | None:
    try:
        data = response.data if hasattr(response, "data") else response
        return data.get("error") if isinstance(data, dict) else None
    except Exception:  # a non-JSON body
        return None


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                return None
    return None
