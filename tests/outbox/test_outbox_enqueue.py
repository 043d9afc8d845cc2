"""``enqueue``: a rendered, pending message in the caller's transaction, or a failed one that
says why it could not be made; a ValueError only for the caller's own constants."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.outbox.delivery import deliver_due
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue

NOTICE = {"subject": "Ny henvendelse", "heading": "Hei", "body": "Tekst"}


def _count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def _enqueue(**overrides) -> OutboxMessage:
    values = {"kind": "test", "to": "kari@example.org", "template": "notice", "lang": "nn"}
    values["context"] = dict(NOTICE)
    values.update(overrides)
    return enqueue(**values)


def test_enqueue_stores_a_pending_rendered_message(app):
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        message = _enqueue(reply_to="ola@example.org")
        db.session.commit()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.status == "pending" and stored.attempts == 0
    assert stored.next_attempt_at == moment and stored.created_at == moment
    assert stored.recipient == "kari@example.org" and stored.reply_to == "ola@example.org"
    assert stored.kind == "test" and stored.lang == "nn" and stored.enquiry_id is None
    assert stored.subject == "Ny henvendelse"
    assert "Denne e-posten vart sendt automatisk frå SESAM-portalen." in stored.body_text
    assert stored.body_html.startswith("<!doctype html>")
    assert re.fullmatch(r"<[0-9a-f]{32}@127\.0\.0\.1>", stored.message_id)
    assert stored.locked_until is None and stored.locked_by is None and stored.sent_at is None


def test_enqueue_message_ids_are_unique_and_use_the_public_host(make_app):
    app = make_app(PUBLIC_BASE_URL="https://sesam.usn.no")
    with app.app_context():
        ids = {_enqueue().message_id for _ in range(20)}
        db.session.commit()
    assert len(ids) == 20
    assert all(re.fullmatch(r"<[0-9a-f]{32}@sesam\.usn\.no>", mid) for mid in ids)


def test_enqueue_only_flushes_so_the_caller_decides(app):
    message = _enqueue()
    assert message.id is not None  # flushed: the caller can refer to it
    db.session.rollback()
    assert _count() == 0


def test_enqueue_normalises_the_address(app):
    message = _enqueue(to="  Kari@EXAMPLE.org ")
    assert message.recipient == "Kari@example.org"


def _refused(message: OutboxMessage, reason: str) -> None:
    """Stored as failed with ``reason``, and never offered to a worker."""
    db.session.commit()
    stored = db.session.get(OutboxMessage, message.id)
    assert (stored.status, stored.subject, stored.body_text) == ("failed", None, None)
    assert stored.last_error.startswith("could not be written: ValueError: ")
    assert reason in stored.last_error
    assert deliver_due(worker_id="w").claimed == 0


@pytest.mark.parametrize("field", ["to", "reply_to", "subject"])
@pytest.mark.parametrize(
    "injection",
    ["\r\nBcc: evil@example.org", "\nBcc: evil@example.org", "\r", "\x00", "\u2028Bcc: x@y.no"],
)
def test_enqueue_refuses_line_breaks_in_every_header_value(app, field, injection):
    if field == "subject":
        overrides = {"context": {**NOTICE, "subject": "Hei" + injection}}
    else:
        overrides = {field: "kari@example.org" + injection}
    message = _enqueue(**overrides)
    field_name = {"to": "To", "reply_to": "Reply-To", "subject": "Subject"}[field]
    _refused(message, f"{field_name} contains a line break or another control character")


@pytest.mark.parametrize(
    "address",
    [
        "kari@example.org, evil@example.org",
        "kari@example.org; evil@example.org",
        "Kari <kari@example.org>",
        "<kari@example.org>",
        "kari",
        "kari@",
        "@example.org",
        "",
        "kåri@example.org",
        "k" * 250 + "@example.org",
    ],
)
def test_enqueue_refuses_anything_but_one_plain_address(app, address):
    _refused(_enqueue(to=address), "To is ")
    _refused(_enqueue(reply_to=address or " "), "Reply-To is ")
    assert _count() == 2
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert all(len(recipient) <= 254 for recipient in recipients)


def test_a_template_that_fails_fails_its_message_and_keeps_the_caller_s_change(app):
    def broken():
        raise KeyError("reference")

    message = _enqueue(context=broken)
    failed = db.session.get(OutboxMessage, message.id)
    assert failed.status == "failed"
    assert failed.last_error == "could not be written: KeyError: 'reference'"
    missing = _enqueue(template="no_such_template")
    assert "TemplateNotFound" in missing.last_error
    db.session.commit()
    assert _count() == 2


def test_a_context_function_is_called_in_the_message_s_language(app):
    from flask_babel import get_locale

    seen = []
    _enqueue(lang="en", context=lambda: seen.append(str(get_locale())) or dict(NOTICE))
    assert seen == ["en"]


def test_enqueue_accepts_an_international_domain(app):
    assert _enqueue(to="kari@bærum.no").recipient == "kari@bærum.no"


@pytest.mark.parametrize(
    ("kind", "lang", "template"),
    [
        ("", "nb", "notice"),
        ("k" * 31, "nb", "notice"),
        ("test", "sv", "notice"),
        ("test", "nb", "../x"),
    ],
)
def test_enqueue_refuses_bad_kind_language_or_template_name(app, kind, lang, template):
    with pytest.raises(ValueError):
        _enqueue(kind=kind, lang=lang, template=template)
    db.session.commit()
    assert _count() == 0


def test_enqueue_shortens_an_overlong_subject(app):
    message = _enqueue(context={**NOTICE, "subject": "æ" * 400})
    assert len(message.subject) == 300 and message.subject.endswith("…")
