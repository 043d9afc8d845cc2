"""outbox: messages whose content the worker writes at delivery (template now, text later)

Revision ID: 0006_outbox_compose
Revises: 0005_inbox
Create Date: 2026-11-29 05:00:00

A message enqueued with a ``template`` and no ``subject``/``body_text`` yet is written by the
outbox worker before it is delivered (see ``portal.outbox.services.compose_waiting``).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_outbox_compose"
down_revision = "0005_inbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("template", sa.String(length=61), nullable=True))
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=True)


def downgrade():
    waiting = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM outbox_message WHERE body_text IS NULL")
    )
    if waiting:
        raise RuntimeError(
            f"{waiting} outbox message(s) are not written yet: run `flask outbox send-once` "
            "(or let a worker run) before downgrading"
        )
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column("template")
