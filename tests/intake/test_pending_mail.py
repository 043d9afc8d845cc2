"""Upgrading: mail the previous version queued unwritten waits, then ``outbox render-pending``
writes it in place, greeting the person it was queued for."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.inbox.services import assign
from portal.intake.services import submit_enquiry
from portal.outbox.delivery import deliver_due
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow
from tests.factories import make_staff
from tests.intake.enquiry_builders import service_values


def _queued_unwritten(kind: str, template: str, to: str, lang: str, enquiry_id) -> OutboxMessage:
    """A row as the previous version's ``later_values`` left it: no subject, no text."""
    now = utcnow()
    message = OutboxMessage(
        message_id=f"<old-{kind}-{to.split('@')[0]}@127.0.0.1>",
        kind=kind,
        enquiry_id=enquiry_id,
        recipient=to,
        template=template,
        lang=lang,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(message)
    return message


def test_render_pending_writes_old_rows_in_place(app):
    ada = make_staff(name="Ada Lovelace", email="ada@example.org", lang="en", role="admin")
    bo = make_staff(name="Bo Bakke", email="bo@example.org", lang="nb")
    enquiry = submit_enquiry(**service_values(), lang="nn", source="site", nonce="old")
    db.session.execute(OutboxMessage.__table__.delete())  # as if queued by the old version:
    _queued_unwritten("receipt", "receipt", "kari@example.org", "nn", enquiry.id)
    _queued_unwritten("staff_notice", "staff_notice", "staff@example.org", "nb", enquiry.id)
    _queued_unwritten("assigned", "enquiry_assigned", ada.email, "en", enquiry.id)
    _queued_unwritten("assigned", "enquiry_assigned", "gone@example.org", "nb", enquiry.id)
    _queued_unwritten("receipt", "receipt", "x@example.org", "nb", None)  # its enquiry deleted
    db.session.commit()
    assign(enquiry.id, bo.id, actor_id=ada.id)  # reassigned before the upgrade
    db.session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.recipient == bo.email))
    db.session.commit()

    assert deliver_due(worker_id="w").claimed == 0  # unwritten mail waits
    runner = app.test_cli_runner()
    status = runner.invoke(args=["outbox", "status"]).output
    assert "queued unwritten by an older version: 5" in status

    result = runner.invoke(args=["outbox", "render-pending"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "written: 5"
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    receipt, notice, to_ada, to_nobody, orphan = rows
    assert receipt.message_id == "<old-receipt-kari@127.0.0.1>"  # kept
    assert receipt.status == "pending" and enquiry.reference in receipt.subject
    assert "Vi har fått førespurnaden din" in receipt.subject
    assert notice.status == "pending" and "/inbox/enquiries/" in notice.body_text
    assert to_ada.status == "pending" and "Hello Ada Lovelace," in to_ada.body_text
    assert "Bo Bakke" not in to_ada.body_text  # whoever handles it now
    assert (to_nobody.status, orphan.status) == ("failed", "failed")
    assert "no staff account" in to_nobody.last_error and "enquiry is gone" in orphan.last_error
    assert runner.invoke(args=["outbox", "render-pending"]).output.strip() == "written: 0"
