"""The enquiry, its code lists (SPEC.md field contract), and its event log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.timestamps import UTCDateTime, utcnow

# Stable codes from SPEC.md; labels are translated where they are shown.
ORGANISATION_TYPES = (
    "municipality",
    "county",
    "state_agency",
    "ngo",
    "social_enterprise",
    "business",
    "research",
    "user_organisation",
    "student",
    "private",
    "other",
)
ENQUIRY_TYPES = (
    "research_partnership",
    "co_creation_support",
    "course_workshop",
    "talk",
    "student_collaboration",
    "handbook_tools",
    "media",
    "other",
)
REGIONS = (
    "agder",
    "akershus",
    "buskerud",
    "finnmark",
    "innlandet",
    "more_og_romsdal",
    "nordland",
    "oslo",
    "rogaland",
    "telemark",
    "troms",
    "trondelag",
    "vestfold",
    "vestland",
    "ostfold",
    "national",
    "outside_norway",
)
INVOLVEMENT = ("yes", "planned", "no", "unsure")
CO_CREATION = ("thin", "thick", "unsure")
PHASES = ("understanding", "designing", "implementing", "evaluating", "unsure")
TIMEFRAMES = ("within_3_months", "3_to_12_months", "later", "unsure")
FUNDING = ("funded", "applying", "none", "unsure")
CONTACT_PREFERENCES = ("email", "phone")
STATUSES = ("new", "triaged", "in_dialogue", "agreed", "declined", "closed", "spam")
OPEN_STATUSES = ("new", "triaged", "in_dialogue")  # something is still to be done
FINISHED_STATUSES = ("agreed", "declined", "closed")  # retention is counted from these
HOLD_KINDS = ("journaled", "legal")
PRIORITIES = ("low", "normal", "high")
SOURCES = ("site", "embed")


class Enquiry(db.Model):
    """One collaboration enquiry: what the visitor sent, and the staff's triage of it."""

    __tablename__ = "enquiry"
    __table_args__ = (
        UniqueConstraint("ref_year", "ref_seq", name="uq_enquiry_ref_year_seq"),
        Index("ix_enquiry_status_created", "status", "created_at"),
        Index("ix_enquiry_email_created", "email", "created_at"),
        Index("ix_enquiry_body_hash_created", "body_hash", "created_at"),
        Index("ix_enquiry_waiting_id", "waiting_since", "id"),
        Index("ix_enquiry_retention", "status", "updated_at"),  # the purge's due enquiries
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    ref_year: Mapped[int] = mapped_column(Integer)
    ref_seq: Mapped[int] = mapped_column(Integer)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    form_nonce: Mapped[str] = mapped_column(String(64), unique=True)

    # What the visitor sent (SPEC.md field contract).
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))
    org_number: Mapped[str | None] = mapped_column(String(9))
    organisation_type: Mapped[str] = mapped_column(String(30))
    enquiry_type: Mapped[str] = mapped_column(String(30))
    region: Mapped[str | None] = mapped_column(String(30))
    problem: Mapped[str] = mapped_column(Text)
    affected: Mapped[str | None] = mapped_column(Text)
    involvement: Mapped[str | None] = mapped_column(String(20))
    co_creation: Mapped[str | None] = mapped_column(String(20))
    phase: Mapped[str | None] = mapped_column(String(20))
    timeframe: Mapped[str | None] = mapped_column(String(20))
    funding: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    contact_preference: Mapped[str] = mapped_column(String(10), default="email")
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    keep_in_touch: Mapped[bool] = mapped_column(Boolean, default=False)
    keep_in_touch_text_version: Mapped[str | None] = mapped_column(String(20))
    keep_in_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keep_in_touch_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # How it arrived.
    lang: Mapped[str] = mapped_column(String(2), default="nb")
    privacy_version: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10), default="site")
    source_page: Mapped[str | None] = mapped_column(String(2000))
    # The host of source_page: what the overview counts pages by, kept when the purge clears
    # the page itself (a university site's name is a statistic, not personal data).
    source_host: Mapped[str | None] = mapped_column(String(253))
    spam_reasons: Mapped[str | None] = mapped_column(String(200))
    # Fingerprint of the normalised text, for the "same body within 24 h" spam signal.
    body_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # Triage (the staff inbox).
    status: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    first_response_due: Mapped[date | None] = mapped_column(Date)
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The conversation: set when the enquirer's last word waits for SESAM's answer.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What came of an agreed, declined or closed enquiry (portal.inbox.outcomes): a code, to
    # whom it was referred, and the staff's own words (personal data, like notes).
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_referred_to: Mapped[str | None] = mapped_column(String(200))
    outcome_text: Mapped[str | None] = mapped_column(Text)

    # Privacy (portal/privacy): when its personal data was cleared, and a hold that keeps the
    # retention purge away (journaled in USN's records system with its reference, or legal).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_kind: Mapped[str | None] = mapped_column(String(20))
    hold_reference: Mapped[str | None] = mapped_column(String(100))

    assignee: Mapped[StaffUser | None] = relationship(lazy="joined")

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class EnquiryEvent(db.Model):
    """The timeline and audit log: who changed what, from what, to what, and when.

    ``actor_id`` is None for the enquirer (status page) and for the system.
    """

    __tablename__ = "enquiry_event"
    __table_args__ = (Index("ix_enquiry_event_enquiry_created", "enquiry_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiry.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The single-use token of the status-page post that made it: a replayed post adds nothing.
    form_nonce: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)

    actor: Mapped[StaffUser | None] = relationship()


class ReferenceCounter(db.Model):
    """The last reference sequence number handed out in a year (``SESAM-<year>-<last>``)."""

    __tablename__ = "reference_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)
