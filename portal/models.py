"""Imports every feature's models so that Alembic and ``db.create_all`` see every table."""

from portal.accounts.models import StaffUser
from portal.intake.models import Enquiry, EnquiryEvent, ReferenceCounter
from portal.outbox.models import OutboxMessage

__all__ = ["Enquiry", "EnquiryEvent", "OutboxMessage", "ReferenceCounter", "StaffUser"]
