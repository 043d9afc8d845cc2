"""Replies to the enquirer through the outbox, and the reply templates admins keep for them."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import StaffUser
from portal.conversation.queries import thread_of
from portal.extensions import db
from portal.inbox.models import TEMPLATE_NAME_MAX_LENGTH, ReplyTemplate
from portal.inbox.services import InvalidChange, change_status, commit, get_enquiry, record
from portal.intake.links import case_url
from portal.outbox.addresses import reply_address
from portal.outbox.messages import render_message
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue
from portal.timestamps import utcnow
from portal.web.i18n import LANGS

REPLY_MAX_LENGTH = 10_000
# A reply that greets or signs off by itself: the template adds no second greeting or sign-off.
GREETING = re.compile(r"(hei|hallo|god (dag|morgon|morgen)|kjære|dear|hello|hi)\b", re.IGNORECASE)
SIGN_OFF = re.compile(
    r"(med )?(vennlig|venleg|beste) (hilsen|helsing)|hilsen|helsing|mvh\b|(kind |best )?regards",
    re.IGNORECASE,
)
TEMPLATE_MAX_LENGTH = 10_000
# Placeholders a template may use: {name}, {reference}, {staff_name}; filled in one pass by
# plain replacement (never str.format, so a template cannot reach attributes).
PLACEHOLDER = re.compile(r"\{(name|reference|staff_name)\}")


def reply(enquiry_id: int, body: str, actor_id: int) -> OutboxMessage:
    """Email ``body`` to the enquirer, in their language, threaded with the receipt and the
    enquirer's latest mail; Reply-To the portal's own mailbox (never a personal address).

    Records a ``reply`` event pointing at the outbox message, moves ``new``/``triaged`` to
    ``in_dialogue``, stops the first-response clock and ends "waiting for us". Raises
    InvalidChange for an empty or over-long reply, or for an enquiry marked as spam.
    """
    text = body.strip()
    if not text or len(text) > REPLY_MAX_LENGTH:
        raise InvalidChange("a reply needs 1 to 10000 characters")
    enquiry = get_enquiry(enquiry_id)
    if enquiry.status == "spam":
        raise InvalidChange("release the enquiry from spam before replying")
    staff = db.session.get(StaffUser, actor_id)
    message = enqueue(
        kind="reply",
        to=enquiry.email,
        template="inbox_reply",
        lang=enquiry.lang,
        context=reply_context(enquiry, text, staff.name),
        enquiry_id=enquiry.id,
        reply_to=reply_address(enquiry.id),
        thread=thread_of(enquiry.id),
    )
    record(enquiry, "reply", actor_id, after=str(message.id), body=text)
    if enquiry.status in ("new", "triaged"):
        change_status(enquiry, "in_dialogue", actor_id)
    if enquiry.first_responded_at is None:
        enquiry.first_responded_at = utcnow()
    enquiry.waiting_since = None
    commit()
    return message


def reply_context(enquiry, text: str, staff_name: str) -> dict:
    """What the reply template is given: also what the composer's preview shows.

    A text that opens with its own greeting or ends with its own sign-off gets none added.
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return {
        "reference": enquiry.reference,
        "name": enquiry.name,
        "body": text,
        "staff_name": staff_name,
        "status_url": case_url(enquiry.public_id, enquiry.lang),
        "answer_by_mail": bool(current_app.config.get("INBOUND_ADDRESS")),
        "invites_answer": True,
        "own_greeting": bool(lines) and GREETING.match(lines[0]) is not None,
        "own_sign_off": any(SIGN_OFF.match(line) for line in lines[-3:]),
    }


def preview(enquiry_id: int, body: str, actor_id: int) -> tuple[str, str]:
    """The reply's subject and text exactly as ``reply`` would send them; nothing is stored.

    Raises InvalidChange as ``reply`` does.
    """
    text = body.strip()
    if not text or len(text) > REPLY_MAX_LENGTH:
        raise InvalidChange("a reply needs 1 to 10000 characters")
    enquiry = get_enquiry(enquiry_id)
    staff = db.session.get(StaffUser, actor_id)
    subject, plain, _html = render_message(
        "inbox_reply", enquiry.lang, **reply_context(enquiry, text, staff.name)
    )
    return subject, plain


def fill_template(body: str, *, name: str, reference: str, staff_name: str) -> str:
    """A template's text with its placeholders filled in."""
    values = {"name": name, "reference": reference, "staff_name": staff_name}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], body)


def templates(lang: str | None = None) -> list[ReplyTemplate]:
    """Reply templates by language and name (only ``lang``'s when given)."""
    stmt = select(ReplyTemplate).order_by(ReplyTemplate.lang, ReplyTemplate.name)
    if lang:
        stmt = stmt.where(ReplyTemplate.lang == lang)
    return list(db.session.scalars(stmt))


def get_template(template_id: int) -> ReplyTemplate | None:
    return db.session.get(ReplyTemplate, template_id)


def save_template(template_id: int | None, name: str, lang: str, body: str) -> ReplyTemplate:
    """Create (``template_id`` None) or change a template; InvalidChange for a bad value, a
    duplicate name in that language, or an unknown id (LookupError)."""
    name, body = name.strip(), body.strip()
    if not name or len(name) > TEMPLATE_NAME_MAX_LENGTH or lang not in LANGS:
        raise InvalidChange("a template needs a name and a language")
    if not body or len(body) > TEMPLATE_MAX_LENGTH:
        raise InvalidChange("a template needs a text")
    template = ReplyTemplate() if template_id is None else get_template(template_id)
    if template is None:
        raise LookupError(template_id)
    template.name, template.lang, template.body = name, lang, body
    template.updated_at = utcnow()
    db.session.add(template)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvalidChange("a template with that name exists in that language") from exc
    return template


def delete_template(template_id: int) -> None:
    """Delete a template; LookupError for an unknown id."""
    template = get_template(template_id)
    if template is None:
        raise LookupError(template_id)
    db.session.delete(template)
    db.session.commit()
