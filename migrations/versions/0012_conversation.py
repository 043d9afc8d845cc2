"""conversation: inbound mail and its attachments, thread headers, "waiting for us", post nonces

Revision ID: 0012_conversation
Revises: 0011_staff_desk
Create Date: 2026-12-06 21:00:00

Columns on ``enquiry`` are added with plain ``op.add_column`` (never batch mode): on SQLite batch
mode rebuilds the table and loses the full-text triggers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_conversation"
down_revision = "0011_staff_desk"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("enquiry_id", sa.Integer(), nullable=True),
        sa.Column("suggested_enquiry_id", sa.Integer(), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=254), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("attachments_dropped", sa.Boolean(), nullable=False),
        sa.Column("notified", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["enquiry_id"],
            ["enquiry.id"],
            name=op.f("fk_inbound_message_enquiry_id_enquiry"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["suggested_enquiry_id"],
            ["enquiry.id"],
            name=op.f("fk_inbound_message_suggested_enquiry_id_enquiry"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outbox_message.id"],
            name=op.f("fk_inbound_message_outbox_message_id_outbox_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff_user.id"],
            name=op.f("fk_inbound_message_decided_by_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_inbound_message_message_id")),
    )
    op.create_index(
        "ix_inbound_message_state_received", "inbound_message", ["state", "received_at"]
    )
    op.create_index(
        "ix_inbound_message_sender_received", "inbound_message", ["sender", "received_at"]
    )
    op.create_index(op.f("ix_inbound_message_enquiry_id"), "inbound_message", ["enquiry_id"])
    op.create_table(
        "inbound_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbound_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inbound_id"],
            ["inbound_message.id"],
            name=op.f("fk_inbound_attachment_inbound_id_inbound_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_attachment")),
    )
    op.create_index(op.f("ix_inbound_attachment_inbound_id"), "inbound_attachment", ["inbound_id"])
    op.add_column("enquiry", sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_enquiry_waiting_id", "enquiry", ["waiting_since", "id"])
    op.add_column("enquiry_event", sa.Column("form_nonce", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_enquiry_event_form_nonce"), "enquiry_event", ["form_nonce"], unique=True
    )
    op.add_column("outbox_message", sa.Column("in_reply_to", sa.String(length=300)))
    op.add_column("outbox_message", sa.Column("thread_references", sa.Text()))


def downgrade():
    op.drop_column("outbox_message", "thread_references")
    op.drop_column("outbox_message", "in_reply_to")
    op.drop_index(op.f("ix_enquiry_event_form_nonce"), table_name="enquiry_event")
    op.drop_column("enquiry_event", "form_nonce")
    op.drop_index("ix_enquiry_waiting_id", table_name="enquiry")
    op.drop_column("enquiry", "waiting_since")
    op.drop_index(op.f("ix_inbound_attachment_inbound_id"), table_name="inbound_attachment")
    op.drop_table("inbound_attachment")
    op.drop_index(op.f("ix_inbound_message_enquiry_id"), table_name="inbound_message")
    op.drop_index("ix_inbound_message_sender_received", table_name="inbound_message")
    op.drop_index("ix_inbound_message_state_received", table_name="inbound_message")
    op.drop_table("inbound_message")
