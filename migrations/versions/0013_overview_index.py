"""overview index: what the staff overview counts, in one index led by the received time

Revision ID: 0013_overview_index
Revises: 0012_conversation
Create Date: 2026-12-06 22:00:00

The overview's GROUP BY statements then read a range of this index alone, not the enquiries'
rows with their long texts (``portal.inbox.overview``).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_overview_index"
down_revision = "0012_conversation"
branch_labels = None
depends_on = None

COLUMNS = [
    "created_at",
    "status",
    "enquiry_type",
    "organisation_type",
    "region",
    "co_creation",
    "phase",
    "outcome",
    "source",
    "first_response_due",
    "first_responded_at",
]


def upgrade():
    op.create_index("ix_enquiry_overview", "enquiry", COLUMNS, unique=False)


def downgrade():
    op.drop_index("ix_enquiry_overview", table_name="enquiry")
