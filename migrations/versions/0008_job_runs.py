"""job_run: one row per periodic job and period, so each runs once across the workers

Revision ID: 0008_job_runs
Revises: 0007_enquiry_index_prefixes
Create Date: 2026-12-08 09:00:00

``flask --app wsgi worker`` runs the jobs features register; the worker that adds a job's row
for the current period runs it, and the primary key turns the others away
(``portal.background.jobs``).

Mail queued unwritten by the previous version (receipts, staff and routed notices) is not
touched here: ``flask --app wsgi outbox render-pending`` writes it after the upgrade (README,
"Upgrading"); until then the worker leaves it waiting.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_job_runs"
down_revision = "0007_enquiry_index_prefixes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("job", "period_start", name=op.f("pk_job_run")),
    )


def downgrade():
    op.drop_table("job_run")
