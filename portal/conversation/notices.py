"""Telling staff about the conversation: an enquirer's mail, a message that bounced.

The notice goes to the enquiry's active assignee, else to STAFF_NOTIFY_EMAIL; none for spam.
It names the enquiry and links to it, and never quotes the mail (that stays in the portal).
"""

from __future__ import annotations

from flask import current_app

from portal.intake.mail import STAFF_LANG, inbox_url
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue


def _handler(enquiry: Enquiry) -> tuple[str | None, str, str | None]:
    assignee = enquiry.assignee if enquiry.assignee and enquiry.assignee.active else None
    if assignee is not None:
        return assignee.email, assignee.lang, assignee.first_name
    return current_app.config["STAFF_NOTIFY_EMAIL"], STAFF_LANG, None


def _notify(enquiry: Enquiry, kind: str, template: str) -> bool:
    recipient, lang, first_name = _handler(enquiry)
    if not recipient or enquiry.status == "spam":
        return False
    enqueue(
        kind=kind,
        to=recipient,
        template=template,
        lang=lang,
        context={
            "reference": enquiry.reference,
            "first_name": first_name,
            "inbox_url": inbox_url(enquiry.id),
        },
        enquiry_id=enquiry.id,
    )
    return True


def notify_mail(enquiry: Enquiry, inbound) -> bool:
    """Tell the handler that the enquirer wrote (add and flush only); True if someone was told."""
    return _notify(enquiry, "enquirer_mail", "enquirer_mail")


def notify_bounce(enquiry: Enquiry, original: OutboxMessage) -> bool:
    """Tell the handler that a mail to the enquirer bounced (add and flush only)."""
    return _notify(enquiry, "mail_bounced", "mail_bounced")
