"""Imports every feature's models so that Alembic and ``db.create_all`` see every table."""

from portal.accounts.models import StaffUser
from portal.audit.models import AuditEntry
from portal.background.jobs import JobRun
from portal.conversation.models import InboundAttachment, InboundMessage
from portal.digest.models import DigestSent
from portal.inbox.models import EnquiryTag, ReplyTemplate, SavedView
from portal.intake.models import Enquiry, EnquiryEvent, ReferenceCounter
from portal.intake.routing import RoutingRule
from portal.outbox.models import OutboxMessage

__all__ = [
    "AuditEntry",
    "DigestSent",
    "Enquiry",
    "EnquiryEvent",
    "EnquiryTag",
    "InboundAttachment",
    "InboundMessage",
    "JobRun",
    "OutboxMessage",
    "ReferenceCounter",
    "ReplyTemplate",
    "RoutingRule",
    "SavedView",
    "StaffUser",
]
