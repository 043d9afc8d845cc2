"""overview dimensions: an index per counted column, led by it; the embedding page's host

Revision ID: 0014_overview_dimensions
Revises: 0013_overview_index
Create Date: 2026-12-07 00:00:00

Each of the overview's counts by a column reads that column's own index, value by value, over
the period (``portal.inbox.models.OVERVIEW_INDEXES``); the period index keeps only what the
times to a first response and the types of one month read. The host of each stored source
page gets a column of its own (filled in here), read along an index of the embedded form's
enquiries and kept when the purge clears the page. ANALYZE then gives the planner the counts
it chooses those reads by (SQLite keeps none of its own).
"""

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_overview_dimensions"
down_revision = "0013_overview_index"
branch_labels = None
depends_on = None

DIMENSIONS = ("organisation_type", "region", "co_creation", "phase", "outcome")
PERIOD = ["created_at", "status", "enquiry_type", "first_response_due", "first_responded_at"]
HOSTS = ["source", "created_at", "status", "source_host"]
BATCH = 1000
enquiry = sa.table(
    "enquiry",
    sa.column("id", sa.Integer),
    sa.column("source_page", sa.String),
    sa.column("source_host", sa.String),
)
PERIOD_BEFORE = [
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
    op.add_column("enquiry", sa.Column("source_host", sa.String(length=253), nullable=True))
    _fill_in_hosts()
    op.drop_index("ix_enquiry_overview", table_name="enquiry")
    op.create_index("ix_enquiry_overview", "enquiry", PERIOD, unique=False)
    op.create_index("ix_enquiry_source_period", "enquiry", HOSTS, unique=False)
    for name in DIMENSIONS:
        op.create_index(f"ix_enquiry_{name}_period", "enquiry", [name, "created_at", "status"])
    op.execute("ANALYZE")


def _fill_in_hosts():
    """Each stored source page's host, in batches by id (as intake stores it for new ones)."""
    connection, last = op.get_bind(), 0
    while True:
        rows = connection.execute(
            sa.select(enquiry.c.id, enquiry.c.source_page)
            .where(enquiry.c.id > last, enquiry.c.source_page.is_not(None))
            .order_by(enquiry.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        hosts = [{"row_id": row.id, "host": _host(row.source_page)} for row in rows]
        connection.execute(
            enquiry.update()
            .where(enquiry.c.id == sa.bindparam("row_id"))
            .values(source_host=sa.bindparam("host")),
            hosts,
        )
        last = rows[-1].id


def _host(page):
    """The page's host as intake stores it; None for what intake would not have kept."""
    try:
        host = urlsplit(page).hostname
    except ValueError:
        return None
    return host if host and len(host) <= 253 else None


def downgrade():
    for name in reversed(DIMENSIONS):
        op.drop_index(f"ix_enquiry_{name}_period", table_name="enquiry")
    op.drop_index("ix_enquiry_source_period", table_name="enquiry")
    op.drop_index("ix_enquiry_overview", table_name="enquiry")
    op.create_index("ix_enquiry_overview", "enquiry", PERIOD_BEFORE, unique=False)
    op.drop_column("enquiry", "source_host")
