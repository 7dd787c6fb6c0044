"""news marks: when each person last got an answer about each project ("what's new" since then),
and the index that finds the runs finished since a moment

Revision ID: 0011
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news_marks",
        sa.Column("team_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_news_marks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "team_id", "enterprise_id", "user_id", "project_id", name=op.f("pk_news_marks")
        ),
    )
    op.create_index("ix_runs_project_ended", "runs", ["project_id", "ended_at"])


def downgrade() -> None:
    op.drop_index("ix_runs_project_ended", table_name="runs")
    op.drop_table("news_marks")
