"""intake: per-year reference counter, body fingerprint for the duplicate-spam signal

Revision ID: 0003_intake
Revises: 0001_foundation
Create Date: 2026-11-28 22:48:30.259924

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_intake"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reference_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counter")),
    )
    with op.batch_alter_table("enquiry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_enquiry_body_hash_created", ["body_hash", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("enquiry", schema=None) as batch_op:
        batch_op.drop_index("ix_enquiry_body_hash_created")
        batch_op.drop_column("body_hash")

    op.drop_table("reference_counter")
