"""import state: what each imported source (MLflow, Contexta 1.x, TensorBoard) has brought in, so
importing again brings only what is new

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from contexta_core.store.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_items",
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("item", sa.String(length=512), nullable=False),
        sa.Column("target_ref", sa.String(length=255), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "item", name=op.f("pk_import_items")),
    )
    op.create_index("ix_import_items_target", "import_items", ["target_ref"])


def downgrade() -> None:
    op.drop_index("ix_import_items_target", table_name="import_items")
    op.drop_table("import_items")
