"""conversation context: the previous question of each conversation, for follow-ups

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_context",
        sa.Column("conversation", sa.String(255), nullable=False),
        sa.Column("question", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation", name="pk_conversation_context"),
    )
    op.create_index("ix_conversation_context_updated_at", "conversation_context", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_context_updated_at", table_name="conversation_context")
    op.drop_table("conversation_context")
