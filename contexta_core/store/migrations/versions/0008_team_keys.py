"""team keys: chat-side state keyed by team and Enterprise Grid organisation; the OAuth installation
and state tables of multi-workspace installs

Existing rows get ``team_id = enterprise_id = ''`` (``Tenant.LEGACY``): the single-workspace bot
adopts them for its own team when it starts (``Contexta.adopt_legacy_rows``). Downgrading works
while one team has state (two teams' rows with the same key cannot go back to one key).

Revision ID: 0008_team_keys
Revises: 0007
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0008_team_keys"
down_revision = "0007"
branch_labels = None
depends_on = None

# table → its primary key before teams (the tenant columns now lead it)
_KEYED = {
    "claims": ["key"],
    "preferences": ["scope", "key"],
    "conversation_context": ["conversation"],
}
_SUBSCRIPTIONS_OLD_UQ = "uq_digest_subscriptions_target_project"
_SUBSCRIPTIONS_UQ = "uq_digest_subscriptions_tenant_target_project"


def _tenant_columns() -> list[sa.Column]:
    return [
        sa.Column("team_id", sa.String(length=32), nullable=False, server_default=""),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    for table, key in _KEYED.items():
        with op.batch_alter_table(table) as batch:
            for column in _tenant_columns():
                batch.add_column(column)
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.create_primary_key(f"pk_{table}", ["team_id", "enterprise_id", *key])
    with _deliveries_kept(), op.batch_alter_table("digest_subscriptions") as batch:
        for column in _tenant_columns():
            batch.add_column(column)
        batch.drop_constraint(_SUBSCRIPTIONS_OLD_UQ, type_="unique")
        batch.create_unique_constraint(
            _SUBSCRIPTIONS_UQ, ["team_id", "enterprise_id", "target", "project_ref"]
        )
    _create_installation_tables()


@contextmanager
def _deliveries_kept():
    """SQLite changes a constraint by copying the table and dropping the old one, and with foreign
    keys on (the store's connections always have them, and a transaction cannot turn them off) that
    drop cascades to every digest delivery: keep them aside and put them back."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_digest_deliveries AS SELECT * FROM digest_deliveries")
    yield
    if sqlite:
        op.execute("DELETE FROM digest_deliveries")  # none left; just in case the drop kept some
        op.execute("INSERT INTO digest_deliveries SELECT * FROM kept_digest_deliveries")
        op.execute("DROP TABLE kept_digest_deliveries")


def _create_installation_tables() -> None:
    """slack-sdk 3.x's ``SQLAlchemyInstallationStore`` / ``SQLAlchemyOAuthStateStore`` layout,
    frozen here (a test compares it with the installed slack-sdk's)."""
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("enterprise_url", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", sa.String(length=200), nullable=True),
        sa.Column("user_scopes", sa.String(length=1000), nullable=True),
        sa.Column("user_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
    )


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
    with _deliveries_kept(), op.batch_alter_table("digest_subscriptions") as batch:
        batch.drop_constraint(_SUBSCRIPTIONS_UQ, type_="unique")
        batch.create_unique_constraint(_SUBSCRIPTIONS_OLD_UQ, ["target", "project_ref"])
        batch.drop_column("enterprise_id")
        batch.drop_column("team_id")
    for table, key in _KEYED.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.create_primary_key(f"pk_{table}", key)
            batch.drop_column("enterprise_id")
            batch.drop_column("team_id")
