"""The one way this app builds a slack_sdk ``WebClient``: the bot's, the digest poster's and the CLI's.

The bot's client retries 429s (honouring Retry-After), dropped connections and one 500/503 in
place. Digest delivery wants none of that: it waits short Retry-Afters itself, hands long ones
back with a recorded ``next_attempt_at`` (shown in ``digest list``) and paces per channel, so it
posts with a copy that has no retry handlers.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

SLACK_API_URL = WebClient.BASE_URL
TIMEOUT = 15  # seconds per Web API call


def retry_handlers() -> list[RetryHandler]:
    """Retries for 429 (honours Retry-After), dropped connections and one retry on 500/503."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=1),
    ]


def web_client(token: str | None, *, base_url: str | None = None, retries: bool = True) -> WebClient:
    """A Web API client for ``token`` at ``base_url`` (Slack's unless given, e.g. SLACK_API_URL)."""
    base = base_url or SLACK_API_URL
    return WebClient(
        token=token,
        base_url=base if base.endswith("/") else base + "/",
        timeout=TIMEOUT,
        retry_handlers=retry_handlers() if retries else [],
    )


def without_retries(client: Any) -> Any:
    """A copy of ``client`` (same token, API base, timeout, proxy, headers) with no retry handlers.

    Anything that is not a ``WebClient`` (a test double) is returned as it is.
    """
    if not isinstance(client, WebClient):
        return client
    copy = web_client(client.token, base_url=client.base_url, retries=False)
    copy.timeout, copy.ssl, copy.proxy = client.timeout, client.ssl, client.proxy
    copy.headers = dict(client.headers)
    copy.default_params = dict(client.default_params)
    return copy
