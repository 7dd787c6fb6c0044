"""trend index: metric summaries in run start order, so a trend needs no sort

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_summaries_trend",
        "metric_summaries",
        ["project_id", "metric_key", "stage_name", "run_started_at", "run_id", "latest_value"],
    )


def downgrade() -> None:
    op.drop_index("ix_summaries_trend", table_name="metric_summaries")
