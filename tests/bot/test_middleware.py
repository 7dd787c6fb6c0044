"""Idempotency keys and the in-memory claim store behind event de-duplication."""

from bot.middleware import InMemoryClaims, event_key


def test_event_key_prefers_event_id_then_channel_and_ts() -> None:
    assert event_key({"type": "event_callback", "event_id": "Ev1", "event": {}}) == "slack-event:Ev1"
    fallback = {"type": "event_callback", "event": {"channel": "D1", "ts": "1.2"}}
    assert event_key(fallback) == "slack-event:D1:1.2"
    assert event_key({"type": "block_actions"}) is None
    assert event_key({"command": "/contexta"}) is None


def test_claims_are_first_wins_until_they_expire() -> None:
    now = [100.0]
    claims = InMemoryClaims(ttl=10, clock=lambda: now[0])
    assert claims.claim("a") is True
    assert claims("a") is False
    now[0] += 10.5
    assert claims.claim("a") is True


def test_claims_are_bounded() -> None:
    claims = InMemoryClaims(max_keys=2)
    assert all(claims.claim(key) for key in ("a", "b", "c"))
    assert claims.claim("a") is True  # evicted as the oldest
    assert claims.claim("c") is False
