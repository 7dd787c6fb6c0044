"""project access: the channels (and user groups) a project is restricted to, per chat team, and
the audit trail of every change

Revision ID: 0009
Revises: 0011 (chained after the team keys, alerts and news marks)
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0009"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_access_rules",
        sa.Column("team_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("project_ref", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("target_name", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "team_id",
            "enterprise_id",
            "project_ref",
            "kind",
            "target_id",
            name=op.f("pk_project_access_rules"),
        ),
    )
    op.create_table(
        "project_access_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("project_ref", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("surface", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_access_changes")),
    )
    op.create_index(
        "ix_project_access_changes_project",
        "project_access_changes",
        ["team_id", "enterprise_id", "project_ref", "changed_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_project_access_changes_project", table_name="project_access_changes")
    op.drop_table("project_access_changes")
    op.drop_table("project_access_rules")
