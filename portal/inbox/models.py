"""The inbox's own tables: tags on enquiries, reply templates, saved views, and list indexes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.intake.models import Enquiry
from portal.timestamps import UTCDateTime, utcnow

TAG_MAX_LENGTH = 40
TEMPLATE_NAME_MAX_LENGTH = 100
VIEW_NAME_MAX_LENGTH = 60

# Composite indexes for the list's filters and sort orders, ending in id so that a filtered page
# is read in id (arrival) order and keyset paging continues from an id. They live on intake's
# table but serve only the inbox, so they are declared here.
LIST_INDEXES = (
    Index("ix_enquiry_status_id", Enquiry.status, Enquiry.id),
    Index("ix_enquiry_assignee_id_id", Enquiry.assignee_id, Enquiry.id),
    Index("ix_enquiry_type_id", Enquiry.enquiry_type, Enquiry.id),
    Index("ix_enquiry_orgtype_id", Enquiry.organisation_type, Enquiry.id),
    Index("ix_enquiry_region_id", Enquiry.region, Enquiry.id),
    Index("ix_enquiry_priority_id", Enquiry.priority, Enquiry.id),
    Index("ix_enquiry_created_id", Enquiry.created_at, Enquiry.id),
    Index("ix_enquiry_updated_id", Enquiry.updated_at, Enquiry.id),
    Index("ix_enquiry_due_id", Enquiry.first_response_due, Enquiry.id),
    # Overdue = waiting (new or triaged) and past its due date: one short range per status.
    Index("ix_enquiry_status_due", Enquiry.status, Enquiry.first_response_due),
    # The follow-up column's sort, and its filters (due this week, overdue): one short range.
    Index("ix_enquiry_follow_up_id", Enquiry.follow_up_on, Enquiry.id),
    Index("ix_enquiry_outcome_id", Enquiry.outcome, Enquiry.id),
)

# What the overview (portal.inbox.overview) counts the period's enquiries by: one index per
# column, led by it and then the received time. SQLite reads each value's enquiries in the period
# as one short range of it (a skip-scan, chosen once ANALYZE has counted the column's values:
# the worker's daily "database-statistics" job), already grouped, where one index led by the
# received time would leave it sorting the whole period for every figure.
OVERVIEW_DIMENSIONS = (
    "organisation_type",
    "region",
    "co_creation",
    "phase",
    "outcome",
)
OVERVIEW_INDEXES = (
    # The times to a first response, and a month's types: a range of the period, read alone.
    Index(
        "ix_enquiry_overview",
        Enquiry.created_at,
        Enquiry.status,
        Enquiry.enquiry_type,
        Enquiry.first_response_due,
        Enquiry.first_responded_at,
    ),
    # The embedded form's enquiries in the period, with their hosts: a range of their own.
    Index(
        "ix_enquiry_source_period",
        Enquiry.source,
        Enquiry.created_at,
        Enquiry.status,
        Enquiry.source_host,
    ),
    *(
        Index(
            f"ix_enquiry_{name}_period", getattr(Enquiry, name), Enquiry.created_at, Enquiry.status
        )
        for name in OVERVIEW_DIMENSIONS
    ),
)

# Full-text search objects are created per dialect by the migration (a generated tsvector column
# and its GIN index on PostgreSQL; an FTS5 table and its triggers on SQLite): not SQLAlchemy
# models, so autogenerate must leave them alone (migrations/env.py reads this set).
SEARCH_OBJECTS = frozenset(
    {
        "search_vector",
        "ix_enquiry_search",
        "enquiry_fts",
        "enquiry_fts_data",
        "enquiry_fts_idx",
        "enquiry_fts_docsize",
        "enquiry_fts_config",
    }
)
db.metadata.info.setdefault("unmanaged", set()).update(SEARCH_OBJECTS)


class EnquiryTag(db.Model):
    """A free-form label staff put on an enquiry ("kommune-nettverk", "follow up in spring")."""

    __tablename__ = "enquiry_tag"
    __table_args__ = (Index("ix_enquiry_tag_tag_enquiry", "tag", "enquiry_id"),)

    enquiry_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH), primary_key=True)


class ReplyTemplate(db.Model):
    """A canned reply in one language that staff pick to pre-fill a reply (admins edit them)."""

    __tablename__ = "reply_template"
    __table_args__ = (UniqueConstraint("name", "lang", name="uq_reply_template_name_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TEMPLATE_NAME_MAX_LENGTH))
    lang: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedView(db.Model):
    """A staff member's own named list view: the filter query string, bookmarked in the inbox."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("staff_user_id", "name", name="uq_saved_view_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(VIEW_NAME_MAX_LENGTH))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
