"""Outbox writes: ``enqueue()`` renders an email and adds it to the outbox (TEMP for accounts)."""

from __future__ import annotations

import uuid
from email.utils import parseaddr

from flask import current_app, render_template
from jinja2 import TemplateNotFound

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow


def _subject(template_name: str, context: dict) -> str:
    template = current_app.jinja_env.get_template(template_name)
    block = template.blocks.get("subject")
    if block is None:
        raise ValueError(f"{template_name} has no subject block")
    subject = "".join(block(template.new_context(context))).strip()
    return " ".join(subject.split())  # one line: no CR/LF can reach the header


def enqueue(
    *,
    kind: str,
    to: str,
    template: str,
    lang: str,
    context: dict,
    enquiry_id: int | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Render ``email/<template>.<lang>.txt`` (+ ``.html`` if present) into a pending message.

    Adds and flushes only: the caller commits, so the email exists exactly when its cause does.
    Raises ValueError for a recipient or Reply-To carrying a line break.
    """
    for value in (to, reply_to or ""):
        if "\r" in value or "\n" in value:
            raise ValueError("line break in an address")
    base = f"email/{template}.{lang}"
    text_name = f"{base}.txt"
    body_text = render_template(text_name, **context)
    try:
        body_html = render_template(f"{base}.html", **context)
    except TemplateNotFound:
        body_html = None
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4().hex}@{domain or 'localhost'}>",
        kind=kind,
        enquiry_id=enquiry_id,
        recipient=to,
        reply_to=reply_to,
        subject=_subject(text_name, context)[:300],
        body_text=body_text,
        body_html=body_html,
        lang=lang,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message
