"""What the intake's emails say, queued with their cause: the receipt and the notices to staff.

Each is rendered when it is queued, in the transaction that stores its cause (``outbox.enqueue``
adds and flushes only), so it says what was true then: the notice to the assignee the routing
rules chose greets that person, whoever handles the enquiry by the time it is delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from limits import parse_many

from portal.extensions import limiter
from portal.intake.forms import SUBMITTED
from portal.intake.labels import CHOICES, LABELS
from portal.intake.links import case_url
from portal.intake.models import Enquiry
from portal.intake.routing import RuleAssignee, notify_assignee
from portal.intake.workdays import local_date
from portal.outbox.addresses import reply_address
from portal.outbox.queueing import enqueue
from portal.web.urls import public_url

log = logging.getLogger(__name__)
STAFF_LANG = "nb"  # STAFF_NOTIFY_EMAIL is a shared mailbox; the portal's default language
RECEIPT_SCOPE = "receipt-address"
KEEP_IN_TOUCH_LABEL = _l("Keep in touch")


def enqueue_arrival_mail(enquiry: Enquiry, assignee: RuleAssignee | None) -> None:
    """A new enquiry's receipt to the enquirer, its notice to STAFF_NOTIFY_EMAIL (if set), and
    the notice to the ``assignee`` the rules chose (if any). Adds and flushes only."""
    config = current_app.config
    if receipt_allowed(enquiry.email):
        enqueue(
            kind="receipt",
            to=enquiry.email,
            template="receipt",
            lang=enquiry.lang,
            context=lambda: receipt_context(enquiry),
            enquiry_id=enquiry.id,
            reply_to=reply_address(enquiry.id),
        )
    else:
        log.info("enquiry %s: no receipt, its address had its receipts today", enquiry.reference)
    if config["STAFF_NOTIFY_EMAIL"]:
        enqueue(
            kind="staff_notice",
            to=config["STAFF_NOTIFY_EMAIL"],
            template="staff_notice",
            lang=STAFF_LANG,
            context=lambda: staff_context(enquiry),
            enquiry_id=enquiry.id,
        )
    if assignee is not None:
        notify_assignee([enquiry], assignee, assigned_by=None)


def notify_handler(enquiry: Enquiry, kind: str) -> bool:
    """Tell whoever handles ``enquiry`` what happened (``kind``, also the mail's template: the
    enquirer added information, wrote, or a mail to them bounced): its active assignee, else
    STAFF_NOTIFY_EMAIL (if set); nobody for spam. The notice names the enquiry and links to it,
    never quotes. Adds and flushes only; True if someone is told."""
    assignee = enquiry.assignee if enquiry.assignee and enquiry.assignee.active else None
    recipient = assignee.email if assignee else current_app.config["STAFF_NOTIFY_EMAIL"]
    if not recipient or enquiry.status == "spam":
        return False
    enqueue(
        kind=kind,
        to=recipient,
        template=kind,
        lang=assignee.lang if assignee else STAFF_LANG,
        context={
            "reference": enquiry.reference,
            "first_name": assignee.first_name if assignee else None,
            "inbox_url": inbox_url(enquiry.id),
        },
        enquiry_id=enquiry.id,
    )
    return True


def receipt_allowed(address: str) -> bool:
    """Count one receipt to ``address`` (keyed hash, case-folded) in the rate-limit store; False
    once it is over ``RECEIPT_RATE_LIMIT``. However many enquiries name one address, it gets only
    so many receipts: the form is public, and a receipt must not become a way to send mail to
    someone else's address. A store that is down lets the receipt go."""
    if not limiter.enabled:
        return True
    secret = current_app.config["SECRET_KEY"].encode()
    key = hmac.new(secret, address.strip().casefold().encode(), hashlib.sha256).hexdigest()[:32]
    try:
        limits = parse_many(current_app.config["RECEIPT_RATE_LIMIT"])
        hits = [limiter.limiter.hit(item, "sesam", RECEIPT_SCOPE, key) for item in limits]
    except Exception:
        log.warning("rate-limit store unavailable; receipt sent", exc_info=True)
        return True
    return all(hits)  # every window counted, not only up to the first that is full


def inbox_url(enquiry_id: int) -> str:
    """The enquiry in the staff inbox, absolute (the inbox serves it; intake only links)."""
    return public_url("inbox.detail", enquiry_id=enquiry_id)


def choices(enquiry: Enquiry) -> list[tuple[str, str]]:
    """The visitor's choices from the form's code lists, as ``(label, value)`` in the current
    locale; never their free text (name, organisation, what they wrote), so the public form
    cannot relay anyone's words to any address. Blanks left out."""
    rows = []
    for name in SUBMITTED:
        value = getattr(enquiry, name)
        if name == "keep_in_touch":
            if value:
                rows.append((str(KEEP_IN_TOUCH_LABEL), str(LABELS[name])))
            continue
        if name not in CHOICES or value in (None, ""):
            continue
        rows.append((str(LABELS[name]), str(CHOICES[name].get(value, value))))
    return rows


def receipt_context(enquiry: Enquiry) -> dict:
    """The receipt to the enquirer (made in the enquiry's language)."""
    config = current_app.config
    return {
        "reference": enquiry.reference,
        "received_on": format_date(local_date(enquiry.created_at), format="long"),
        "choices": choices(enquiry),
        "status_url": case_url(enquiry.public_id, enquiry.lang),
        "contact_email": config["CONTACT_EMAIL"],
        "working_days": config["FIRST_RESPONSE_WORKING_DAYS"],
        "invites_answer": True,
        "answer_by_mail": bool(config["INBOUND_ADDRESS"]),
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
