"""privacy: the audit trail, anonymisation and holds on enquiries

Revision ID: 0010_privacy
Revises: 0008_job_runs
Create Date: 2026-12-06 21:00:00

``audit_entry`` records audited acts (logins, account changes, exports, holds, purges,
erasures). ``enquiry.anonymised_at`` marks an enquiry whose personal data the retention purge
or an erasure cleared; ``hold_kind``/``hold_reference`` keep the purge away from it. Plain
``add_column`` (not batch mode), so SQLite keeps the enquiry table's full-text triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_privacy"
down_revision = "0008_job_runs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_user.id"],
            name=op.f("fk_audit_entry_actor_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_created_id", "audit_entry", ["created_at", "id"])
    op.create_index("ix_audit_entry_kind_created", "audit_entry", ["kind", "created_at"])
    op.create_index("ix_audit_entry_actor_created", "audit_entry", ["actor_id", "created_at"])
    op.add_column("enquiry", sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("enquiry", sa.Column("hold_kind", sa.String(length=20), nullable=True))
    op.add_column("enquiry", sa.Column("hold_reference", sa.String(length=100), nullable=True))
    op.create_index("ix_enquiry_retention", "enquiry", ["status", "updated_at"])


def downgrade():
    op.drop_index("ix_enquiry_retention", table_name="enquiry")
    for column in ("hold_reference", "hold_kind", "anonymised_at"):
        op.drop_column("enquiry", column)  # not batch mode: SQLite keeps its triggers
    op.drop_table("audit_entry")
