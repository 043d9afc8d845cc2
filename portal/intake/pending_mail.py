"""Upgrading: the arrival mail an older version queued unwritten, written now.

Before this version, a new enquiry's receipt, staff notice and routed notice were queued without
their text, which the outbox worker wrote later. Those rows wait (the worker delivers only
written mail) until ``flask --app wsgi outbox render-pending`` writes them, in place, keeping
their Message-ID. A routed notice greets the staff member it was queued for, whoever handles
the enquiry now.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.accounts.queries import user_by_email
from portal.database import begin_writing
from portal.extensions import db
from portal.intake.mail import receipt_context, staff_context
from portal.intake.models import Enquiry
from portal.intake.routing import assignment_context
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import write

BATCH = 100


def render_pending() -> int:
    """Write every pending message that has no text yet, committing per batch; returns how
    many were taken on. One that cannot be written (its enquiry or staff member is gone) is
    marked failed with the reason."""
    done = 0
    while True:
        begin_writing()
        messages = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.body_text.is_(None))
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        ).all()
        for message in messages:
            write(
                message,
                to=message.recipient,
                reply_to=message.reply_to,
                context=lambda message=message: _context(message),
            )
        db.session.commit()
        done += len(messages)
        if len(messages) < BATCH:
            return done


def _context(message: OutboxMessage) -> dict:
    enquiry = db.session.get(Enquiry, message.enquiry_id) if message.enquiry_id else None
    if enquiry is None:
        raise LookupError("its enquiry is gone")
    if message.kind == "receipt":
        return receipt_context(enquiry)
    if message.kind == "staff_notice":
        return staff_context(enquiry)
    if message.kind == "assigned":
        staff = user_by_email(message.recipient)
        if staff is None:
            raise LookupError("no staff account has the address it was queued for")
        return assignment_context([enquiry], staff, assigned_by=None)
    raise LookupError(f"no text is known for {message.kind!r} messages")


@click.command("render-pending")
@with_appcontext
def render_pending_command() -> None:
    """Write the mail an older version queued unwritten (once, after upgrading)."""
    click.echo(f"written: {render_pending()}")
