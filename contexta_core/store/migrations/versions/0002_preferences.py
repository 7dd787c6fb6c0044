"""preferences: small per-scope settings (a chat channel's default project, …)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_preferences")),
    )


def downgrade() -> None:
    op.drop_table("preferences")
