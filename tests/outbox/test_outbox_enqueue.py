"""``enqueue``: a rendered, pending message in the caller's transaction, or a ValueError."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.services import enqueue

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
    with pytest.raises(ValueError):
        _enqueue(**overrides)
    db.session.commit()
    assert _count() == 0


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
    with pytest.raises(ValueError, match="To"):
        _enqueue(to=address)
    with pytest.raises(ValueError, match="Reply-To"):
        _enqueue(reply_to=address or " ")
    db.session.commit()
    assert _count() == 0


def test_enqueue_accepts_an_international_domain(app):
    assert _enqueue(to="kari@bærum.no").recipient == "kari@bærum.no"


@pytest.mark.parametrize(("kind", "lang"), [("", "nb"), ("k" * 31, "nb"), ("test", "sv")])
def test_enqueue_refuses_bad_kind_or_language(app, kind, lang):
    with pytest.raises(ValueError):
        _enqueue(kind=kind, lang=lang)
    db.session.commit()
    assert _count() == 0


def test_enqueue_shortens_an_overlong_subject(app):
    message = _enqueue(context={**NOTICE, "subject": "æ" * 400})
    assert len(message.subject) == 300 and message.subject.endswith("…")
