"""Idempotency keys and the in-memory claim store behind event de-duplication."""

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult

from bot.middleware import InMemoryClaims, event_key
from bot.tenancy import tenant_of
from contexta_core.tenancy import Tenant


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


def test_claims_and_tenants_are_per_team() -> None:
    claims = InMemoryClaims()
    assert claims.claim("Ev1", Tenant.of("TA")) and claims.claim("Ev1", Tenant.of("TB"))
    assert not claims.claim("Ev1", Tenant.of("TA"))

    # the installation whose token answers wins over the ids in the body (Slack Connect, token mode)
    context = BoltContext(team_id="T_OTHER", enterprise_id=None)
    context["authorize_result"] = AuthorizeResult(enterprise_id="E1", team_id="T1", bot_token="xoxb-1")
    assert tenant_of(context) == Tenant.of("T1", "E1")
    assert tenant_of(BoltContext(team_id="T2")) == Tenant.of("T2")
    org_wide = BoltContext(team_id="T3", enterprise_id="E1", is_enterprise_install=True)
    assert tenant_of(org_wide) == Tenant.of(None, "E1")  # one bot for the whole organisation
