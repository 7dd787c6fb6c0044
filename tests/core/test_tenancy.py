"""Chat-side state per tenant (team, Enterprise Grid organisation) on both databases: the same keys
in two teams are two rows, a workspace from before teams hands its rows to LEGACY, and the
single-workspace bot's team adopts them once, leaving nothing half moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from contexta_core import Contexta
from contexta_core.store.engine import MIGRATIONS_DIR
from contexta_core.synthetic import seed_demo
from contexta_core.tenancy import Tenant

A, B = Tenant.of("TA"), Tenant.of("TB")
GRID = Tenant.of("TA", "E1")  # the same team id inside an organisation is another tenant
ORG = Tenant.of(None, "E1")  # an organisation-wide install


def test_tenant_keys_read_back() -> None:
    for tenant in (A, GRID, ORG, Tenant.LEGACY):
        assert Tenant.parse(tenant.key) == tenant
    assert Tenant.parse(" E1:TA ") == GRID and GRID.key == "E1:TA" and ORG.key == "E1:"


def test_the_same_keys_in_two_teams_are_two_rows(ctx: Contexta) -> None:
    seed_demo(ctx)
    for tenant, value in ((A, "a"), (B, "b"), (GRID, "grid"), (ORG, "org")):
        ctx.set_preference("slack-channel:C1", "default_project", value, tenant=tenant)
        ctx.remember_question("slack:C1", {"intent": "best", "project": value}, tenant=tenant)
    assert [
        ctx.get_preference("slack-channel:C1", "default_project", tenant=t) for t in (A, B, GRID, ORG)
    ] == [
        "a",
        "b",
        "grid",
        "org",
    ]
    assert ctx.get_preference("slack-channel:C1", "default_project") is None  # LEGACY has none
    assert ctx.recall_question("slack:C1", tenant=B)["project"] == "b"
    assert ctx.claim_once("slack-event:Ev1", tenant=A) and ctx.claim_once("slack-event:Ev1", tenant=B)
    assert not ctx.claim_once("slack-event:Ev1", tenant=A)
    ctx.release_claim("slack-event:Ev1", tenant=A)
    assert ctx.claim_once("slack-event:Ev1", tenant=A) and not ctx.claim_once("slack-event:Ev1", tenant=B)

    now = datetime(2026, 3, 20, tzinfo=UTC)
    ctx.digests.subscribe(tenant=A, target="C1", project="churn-prediction", now=now)
    ctx.digests.subscribe(tenant=B, target="C1", project="churn-prediction", weekday="fri", now=now)
    ctx.digests.set_workspace_timezone("Europe/Berlin", tenant=A)
    assert [s.weekday for s in ctx.digests.subscriptions(tenant=A)] == ["mon"]
    assert [s.tenant for s in ctx.digests.subscriptions(tenant=B, target="C1")] == [B]
    assert ctx.digests.workspace_timezone(tenant=A) == ("Europe/Berlin", True)
    assert ctx.digests.workspace_timezone(tenant=B)[1] is False
    ctx.digests.unsubscribe(tenant=B, target="C1")
    assert len(ctx.digests.subscriptions(tenant=A)) == 1 and ctx.digests.subscriptions(tenant=B) == ()
    assert set(ctx.tenants()) == {A, B, GRID, ORG}


def test_a_claim_pass_takes_only_its_own_teams_digests(ctx: Contexta) -> None:
    seed_demo(ctx)
    before = datetime(2026, 3, 20, tzinfo=UTC)
    fire = datetime(2026, 3, 23, 0, 0, 5, tzinfo=UTC)  # Monday 09:00:05 Asia/Seoul
    ctx.digests.subscribe(tenant=A, target="C1", project="churn-prediction", now=before)
    ctx.digests.subscribe(tenant=B, target="C1", project="churn-prediction", now=before)
    taken = ctx.digests.claim_due(tenant=B, now=fire, holder="bot-b")
    assert [c.subscription.tenant for c in taken.claims] == [B]
    (a_sub,) = ctx.digests.subscriptions(tenant=A)
    assert ctx.digests.deliveries(a_sub.id) == []  # A's period is still free for A's bot
    assert [
        c.subscription.tenant for c in ctx.digests.claim_due(tenant=A, now=fire, holder="bot-a").claims
    ] == [A]
    assert ctx.digests.pause_tenant(A, "uninstalled (`app_uninstalled`)") == 1
    assert [s.status for s in ctx.digests.subscriptions(tenant=A)] == ["paused"]
    assert [s.status for s in ctx.digests.subscriptions(tenant=B)] == ["active"]


def _workspace_from_before_teams(database_url: str) -> None:
    """A workspace at revision 0007 with a channel default, a subscription, a follow-up and a claim."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(database_url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")
        now = "2026-03-01 00:00:00"
        conn.execute(
            text(
                "INSERT INTO projects (ref, name, created_at, tags, settings) VALUES ('project:p', 'p', :n, '{}', '{}')"
            ),
            {"n": now},
        )
        conn.execute(
            text("INSERT INTO preferences (scope, key, value, updated_at) VALUES (:s, :k, :v, :n)"),
            [
                {"s": "slack-channel:C1", "k": "default_project", "v": '"p"', "n": now},
                {"s": "workspace", "k": "digest_timezone", "v": '"Europe/Berlin"', "n": now},
            ],
        )
        conn.execute(
            text(
                "INSERT INTO digest_subscriptions (target, project_ref, weekday, time_of_day, timezone, language,"
                " status, created_at, updated_at, schedule_from) VALUES"
                " ('C1', 'project:p', 'mon', '09:00', 'Asia/Seoul', 'en', 'active', :n, :n, :n)"
            ),
            {"n": now},
        )
        conn.execute(
            text(
                "INSERT INTO digest_deliveries (subscription_id, period_key, scheduled_for, period_start,"
                " period_end, status, attempts, claimed_at) VALUES (1, '2026-W10', :n, :n, :n, 'delivered', 1, :n)"
            ),
            {"n": now},
        )
        conn.execute(
            text("INSERT INTO claims (key, claimed_at, done) VALUES ('slack-event:Ev0', :n, false)"),
            {"n": now},
        )
    engine.dispose()


def test_rows_from_before_teams_are_legacy_until_the_bots_team_adopts_them(database_url, tmp_path) -> None:
    _workspace_from_before_teams(database_url)
    with Contexta(workspace=tmp_path, database_url=database_url) as ctx:
        assert ctx.tenants() == [Tenant.LEGACY]
        assert ctx.get_preference("slack-channel:C1", "default_project") == "p"
        assert [s.target for s in ctx.digests.subscriptions()] == ["C1"]
        ctx.set_preference("workspace", "digest_timezone", "Asia/Tokyo", tenant=A)  # A's own, set since

        adopted = ctx.adopt_legacy_rows(A)
        assert adopted == {"claims": 1, "preferences": 1, "digest_subscriptions": 1}
        assert ctx.get_preference("slack-channel:C1", "default_project", tenant=A) == "p"
        (sub,) = ctx.digests.subscriptions(tenant=A)
        assert sub.tenant == A and ctx.digests.last_posted_until(sub.id) is not None  # its history came along
        assert not ctx.claim_once("slack-event:Ev0", tenant=A)
        # the team's own row wins; the legacy one is left as it was, not overwritten or lost
        assert ctx.get_preference("workspace", "digest_timezone", tenant=A) == "Asia/Tokyo"
        assert ctx.get_preference("workspace", "digest_timezone") == "Europe/Berlin"
        assert ctx.digests.subscriptions() == ()
        assert ctx.adopt_legacy_rows(A) == {}  # idempotent
        assert set(ctx.tenants()) == {A, Tenant.LEGACY}
        with pytest.raises(ValueError):
            ctx.adopt_legacy_rows(Tenant.LEGACY)


def test_adoption_is_all_or_nothing(ctx: Contexta, monkeypatch) -> None:
    from contexta_core.store import tenants

    ctx.set_preference("slack-channel:C1", "default_project", "p")
    ctx.remember_question("slack:C1", {"intent": "best"})
    real = tenants._adopt

    def failing(conn, table, tenant):
        if table.name == "conversation_context":
            raise RuntimeError("disk full")
        return real(conn, table, tenant)

    monkeypatch.setattr(tenants, "_adopt", failing)
    with pytest.raises(RuntimeError):
        ctx.adopt_legacy_rows(A)
    assert ctx.get_preference("slack-channel:C1", "default_project") == "p"  # nothing moved
    assert ctx.get_preference("slack-channel:C1", "default_project", tenant=A) is None


def test_old_follow_ups_and_claims_are_pruned_for_every_team(ctx: Contexta) -> None:
    assert ctx.claim_once("slack-event:Ev1", tenant=A) and ctx.claim_once("slack-event:Ev1", tenant=B)
    assert ctx.prune_claims("slack-event:", older_than=timedelta(0)) == 2
