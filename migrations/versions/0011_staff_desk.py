"""staff desk: outcomes, follow-up and outcome indexes, staff settings, one digest a day

Revision ID: 0011_staff_desk
Revises: 0010_privacy
Create Date: 2026-12-06 21:00:00

Every account, existing ones included, gets the keyboard shortcuts on and the daily digest on
at 07:00 Norwegian time (the server defaults fill the existing rows). ``digest_sent`` holds one
row per staff member and day: its unique key is what keeps two workers from sending a person
two digests on one day (``portal.digest``). The enquiry's columns are added one by one, not in
batch mode, which on SQLite would rebuild the table and lose its full-text triggers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_staff_desk"
down_revision = "0010_privacy"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("enquiry", sa.Column("outcome", sa.String(length=30), nullable=True))
    op.add_column("enquiry", sa.Column("outcome_referred_to", sa.String(length=200), nullable=True))
    op.add_column("enquiry", sa.Column("outcome_text", sa.Text(), nullable=True))
    op.create_index("ix_enquiry_follow_up_id", "enquiry", ["follow_up_on", "id"], unique=False)
    op.create_index("ix_enquiry_outcome_id", "enquiry", ["outcome", "id"], unique=False)
    op.add_column(
        "staff_user",
        sa.Column("shortcuts", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "staff_user", sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column(
        "staff_user",
        sa.Column("digest_hour", sa.Integer(), nullable=False, server_default="7"),
    )
    op.create_table(
        "digest_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
            name=op.f("fk_digest_sent_staff_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_sent")),
        sa.UniqueConstraint("staff_id", "day", name="uq_digest_sent_staff_day"),
    )


def downgrade():
    op.drop_table("digest_sent")
    with op.batch_alter_table("staff_user") as batch_op:
        batch_op.drop_column("digest_hour")
        batch_op.drop_column("digest")
        batch_op.drop_column("shortcuts")
    op.drop_index("ix_enquiry_outcome_id", table_name="enquiry")
    op.drop_index("ix_enquiry_follow_up_id", table_name="enquiry")
    op.drop_column("enquiry", "outcome_text")
    op.drop_column("enquiry", "outcome_referred_to")
    op.drop_column("enquiry", "outcome")
