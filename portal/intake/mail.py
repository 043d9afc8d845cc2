"""What the intake's emails say: the context for the receipt and for the notices to staff.

The receipt, the staff notice and the notice to the assignee the routing rules chose, for a new
enquiry, are written by the outbox worker (``register_writers``); the notice of information added
later is written when it is enqueued.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.intake.forms import SUBMITTED
from portal.intake.labels import CHOICES, LABELS
from portal.intake.links import case_url
from portal.intake.models import Enquiry
from portal.intake.routing import routed_context
from portal.intake.workdays import local_date
from portal.outbox.services import register_writer

STAFF_LANG = "nb"  # STAFF_NOTIFY_EMAIL is a shared mailbox; the portal's default language
KEEP_IN_TOUCH_LABEL = _l("Keep in touch")


def register_writers(app: Flask) -> None:
    """Tell the outbox how to write a new enquiry's receipt, staff notice and routed notice.

    An "assigned" message is written here only when it was enqueued unwritten (on arrival): one
    from the inbox is written when it is enqueued.
    """
    register_writer(app, "receipt", lambda enquiry_id: receipt_context(_enquiry(enquiry_id)))
    register_writer(app, "staff_notice", lambda enquiry_id: staff_context(_enquiry(enquiry_id)))
    register_writer(app, "assigned", lambda enquiry_id: routed_context(_enquiry(enquiry_id)))


def _enquiry(enquiry_id: int) -> Enquiry:
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None:
        raise LookupError(f"enquiry {enquiry_id} is gone")
    return enquiry


def inbox_url(enquiry_id: int) -> str:
    """The enquiry in the staff inbox (served by the inbox feature)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/inbox/enquiries/{enquiry_id}"


def answers(enquiry: Enquiry) -> list[tuple[str, str]]:
    """What the visitor sent, as ``(label, value)`` in the current locale; blanks left out."""
    rows = []
    for name in SUBMITTED:
        value = getattr(enquiry, name)
        if name == "keep_in_touch":
            if value:
                rows.append((str(KEEP_IN_TOUCH_LABEL), str(LABELS[name])))
            continue
        if value in (None, ""):
            continue
        shown = CHOICES[name].get(value, value) if name in CHOICES else value
        rows.append((str(LABELS[name]), str(shown)))
    return rows


def receipt_context(enquiry: Enquiry) -> dict:
    """The receipt to the enquirer (render inside ``force_locale(enquiry.lang)``)."""
    config = current_app.config
    return {
        "reference": enquiry.reference,
        "name": enquiry.name,
        "received_on": format_date(local_date(enquiry.created_at), format="long"),
        "answers": answers(enquiry),
        "status_url": case_url(enquiry.public_id, enquiry.lang),
        "contact_email": config["CONTACT_EMAIL"],
        "working_days": config["FIRST_RESPONSE_WORKING_DAYS"],
    }


def staff_context(enquiry: Enquiry) -> dict:
    """A notice to staff: what kind of enquiry it is and where to open it; no free text."""
    return {
        "reference": enquiry.reference,
        "enquiry_type": str(CHOICES["enquiry_type"].get(enquiry.enquiry_type, "")),
        "organisation_type": str(CHOICES["organisation_type"].get(enquiry.organisation_type, "")),
        "organisation": enquiry.organisation,
        "region": str(CHOICES["region"][enquiry.region]) if enquiry.region else None,
        "due": format_date(enquiry.first_response_due, format="long")
        if enquiry.first_response_due
        else None,
        "inbox_url": inbox_url(enquiry.id),
    }


def added_context(enquiry: Enquiry, lang: str, first_name: str | None) -> dict:
    """A notice that the enquirer added information on the status page (the text stays inside)."""
    return {
        "reference": enquiry.reference,
        "first_name": first_name,
        "inbox_url": inbox_url(enquiry.id),
    }
