"""enquiry: drop the single-column indexes that a list index already begins with

Revision ID: 0007_enquiry_index_prefixes
Revises: 0006_outbox_compose
Create Date: 2026-11-29 06:00:00

Each of these columns also leads one of the inbox's list indexes ``(column, id)`` (0005), which
serves every query the single-column index served. Every new enquiry updated both; now one.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_enquiry_index_prefixes"
down_revision = "0006_outbox_compose"
branch_labels = None
depends_on = None

# (index, column), each covered by the list index named in the comment
PREFIXES = [
    ("ix_enquiry_assignee_id", "assignee_id"),  # ix_enquiry_assignee_id_id
    ("ix_enquiry_created_at", "created_at"),  # ix_enquiry_created_id
    ("ix_enquiry_enquiry_type", "enquiry_type"),  # ix_enquiry_type_id
    ("ix_enquiry_first_response_due", "first_response_due"),  # ix_enquiry_due_id
    ("ix_enquiry_organisation_type", "organisation_type"),  # ix_enquiry_orgtype_id
    ("ix_enquiry_region", "region"),  # ix_enquiry_region_id
    ("ix_enquiry_updated_at", "updated_at"),  # ix_enquiry_updated_id
]


def upgrade():
    for name, _column in PREFIXES:
        op.drop_index(name, table_name="enquiry")


def downgrade():
    for name, column in PREFIXES:
        op.create_index(name, "enquiry", [column], unique=False)
