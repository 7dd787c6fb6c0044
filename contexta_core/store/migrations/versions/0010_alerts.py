"""alerts: the outbox of changes (alert_events), channel watches, and once-only alert deliveries

Revision ID: 0010
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0010"
down_revision = "0008_team_keys"
branch_labels = None
depends_on = None

PENDING = sa.text("dispatched_at IS NULL")


def _tenant() -> list[sa.Column]:
    return [
        sa.Column("team_id", sa.String(length=32), nullable=False, server_default=""),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("deployment_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_alert_events_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_alert_events_run_id_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_alert_events_deployment_id_deployments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
        sqlite_autoincrement=True,  # ids are never reused after a prune: watches compare them
    )
    op.create_index(
        "ix_alert_events_pending", "alert_events", ["id"], sqlite_where=PENDING, postgresql_where=PENDING
    )
    op.create_index("ix_alert_events_project", "alert_events", ["project_id", "id"])
    op.create_table(
        "alert_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        *_tenant(),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("project_ref", sa.String(length=255), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("metric_key", sa.String(length=128), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paused_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("from_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_watches")),
        sa.UniqueConstraint(
            "team_id", "enterprise_id", "channel", "project_ref", name="uq_alert_watches_target"
        ),
    )
    op.create_index("ix_alert_watches_project", "alert_watches", ["project_ref"])
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        *_tenant(),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("first_event_at", UTCDateTime(), nullable=False),
        sa.Column("last_event_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("holder", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["alert_watches.id"],
            name=op.f("fk_alert_deliveries_watch_id_alert_watches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
    )
    op.create_index("ix_alert_deliveries_due", "alert_deliveries", ["due_at", "team_id", "enterprise_id"])
    op.create_index("ix_alert_deliveries_watch", "alert_deliveries", ["watch_id", "status"])
    op.create_table(
        "alert_delivery_events",
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["alert_watches.id"],
            name=op.f("fk_alert_delivery_events_watch_id_alert_watches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["alert_events.id"],
            name=op.f("fk_alert_delivery_events_event_id_alert_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["alert_deliveries.id"],
            name=op.f("fk_alert_delivery_events_delivery_id_alert_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("watch_id", "event_id", name=op.f("pk_alert_delivery_events")),
    )
    op.create_index("ix_alert_delivery_events_delivery", "alert_delivery_events", ["delivery_id"])


def downgrade() -> None:
    op.drop_table("alert_delivery_events")
    op.drop_table("alert_deliveries")
    op.drop_table("alert_watches")
    op.drop_table("alert_events")
