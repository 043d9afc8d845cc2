"""Holds: staff keep the retention purge away from an enquiry that is journaled in USN's records
system (with its archive reference) or under a legal hold (SECURITY.md N5)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit import trail
from portal.audit.models import AuditEntry
from portal.database import transaction
from portal.extensions import db
from portal.intake.models import HOLD_KINDS, Enquiry

REFERENCE_MAX_LENGTH = 100
HOLD_SET, HOLD_LIFTED = "privacy.hold_set", "privacy.hold_lifted"


class HoldError(ValueError):
    """The hold cannot be set; ``str()`` is a translated explanation."""


class NoSuchEnquiry(LookupError):
    """No enquiry has this id."""


def set_hold(enquiry_id: int, kind: str | None, reference: str | None, actor_id: int) -> Enquiry:
    """Put the enquiry under a hold of ``kind`` (None lifts it), audited. One transaction.

    Raises NoSuchEnquiry, or HoldError for an unknown kind, a journaled hold without its
    archive reference, or an enquiry already anonymised.
    """
    reference = (reference or "").strip() or None
    if kind is not None and kind not in HOLD_KINDS:
        raise HoldError(_l("Choose one of the options."))
    if kind == "journaled" and not reference:
        raise HoldError(_l("Enter the archive reference of the journaled case."))
    if reference and len(reference) > REFERENCE_MAX_LENGTH:
        raise HoldError(_l("Use at most 100 characters."))
    with transaction():
        enquiry = db.session.get(Enquiry, enquiry_id)
        if enquiry is None:
            raise NoSuchEnquiry(enquiry_id)
        if enquiry.is_anonymised:
            raise HoldError(_l("This enquiry is already anonymised."))
        if (enquiry.hold_kind, enquiry.hold_reference) != (kind, reference if kind else None):
            enquiry.hold_kind = kind
            enquiry.hold_reference = reference if kind else None
            detail = f"{kind} {reference or ''}".strip() if kind else None
            trail.record(
                HOLD_SET if kind else HOLD_LIFTED,
                actor_id=actor_id,
                target=enquiry.reference,
                detail=detail,
            )
    return enquiry


def last_change(reference: str) -> AuditEntry | None:
    """Who last set or lifted the hold on the enquiry ``reference``, and when."""
    return db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.kind.in_((HOLD_SET, HOLD_LIFTED)), AuditEntry.target == reference)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
