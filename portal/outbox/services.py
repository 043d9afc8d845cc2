"""The outbox's write side: ``enqueue()`` renders an email and adds it to the session."""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow


def _refuse_line_breaks(**headers: str | None) -> None:
    for name, value in headers.items():
        if value is not None and ("\r" in value or "\n" in value):
            raise ValueError(f"line break in mail header value {name!r}")


def _subject(template_name: str, context: dict) -> str:
    template = current_app.jinja_env.get_template(template_name)
    block = template.blocks["subject"]
    current_app.update_template_context(context)
    return "".join(block(template.new_context(context))).strip()


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
    """Render ``templates/email/<template>.<lang>.{txt,html}`` into a pending outbox row.

    Adds and flushes only; the caller's transaction commits it with its cause.
    Raises ValueError when a header value (recipient, reply-to, subject) holds CR or LF.
    """
    base = f"email/{template}.{lang}"
    subject = _subject(f"{base}.txt", dict(context))
    _refuse_line_breaks(to=to, reply_to=reply_to, subject=subject)
    domain = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    message = OutboxMessage(
        message_id=make_msgid(domain=domain),
        kind=kind,
        enquiry_id=enquiry_id,
        recipient=to,
        reply_to=reply_to,
        subject=subject,
        body_text=render_template(f"{base}.txt", **context),
        body_html=render_template(f"{base}.html", **context),
        lang=lang,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message
