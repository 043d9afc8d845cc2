"""``mail fetch`` against a real IMAP server (a private Dovecot): once each, moved, shared."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal.conversation import fetching
from portal.conversation.fetching import PROCESSED, UNUSABLE, fetch
from portal.conversation.models import InboundMessage
from portal.extensions import db
from portal.intake.models import EnquiryEvent
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_fetch_keeps_each_message_and_moves_it_to_processed(app, dovecot):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    dovecot.deliver(
        eml("gmail_nb_reply", thread=receipt.message_id),
        eml("forged_subject", reference=enquiry.reference),
        b"\r\n\r\n",
    )
    report = fetch(dovecot.url)
    assert (report.read, report.kept, report.unusable) == (3, 2, 1)
    assert dovecot.count("INBOX") == 0
    assert dovecot.count(PROCESSED) == 2 and dovecot.count(UNUSABLE) == 1
    assert _count(EnquiryEvent, EnquiryEvent.kind == "enquirer_mail") == 1
    assert _count(InboundMessage, InboundMessage.state == "unmatched") == 1


def test_a_message_read_again_is_not_kept_twice(app, dovecot):
    enquiry = make_enquiry(email="kari@example.org")
    raw = eml("gmail_nb_reply", thread=receipt_of(enquiry).message_id)
    dovecot.deliver(raw)
    fetch(dovecot.url)
    dovecot.deliver(raw)  # e.g. a crash between the commit and the move
    report = fetch(dovecot.url)
    assert report.duplicates == 1 and dovecot.count("INBOX") == 0
    assert _count(EnquiryEvent, EnquiryEvent.kind == "enquirer_mail") == 1


def test_two_fetchers_at_once_keep_each_message_once(make_app, dovecot):
    app = make_app()
    with app.app_context():
        enquiry = make_enquiry(email="kari@example.org")
        thread = receipt_of(enquiry).message_id
    messages = [eml("gmail_nb_reply", thread=thread) for _ in range(30)]
    dovecot.deliver(*messages)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                fetch(dovecot.url)
                db.session.remove()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread_ in threads:
        thread_.start()
    for thread_ in threads:
        thread_.join(timeout=120)
    assert errors == []
    with app.app_context():
        assert _count(InboundMessage) == 30
        assert _count(EnquiryEvent, EnquiryEvent.kind == "enquirer_mail") == 30
    # Both fetchers may move a message they both read: a copy too many, never one too few.
    assert dovecot.count("INBOX") == 0 and dovecot.count(PROCESSED) >= 30


def test_fetch_command_reads_imap_url(make_app, dovecot):
    app = make_app(IMAP_URL=dovecot.url)
    with app.app_context():
        enquiry = make_enquiry(email="kari@example.org")
        dovecot.deliver(eml("gmail_nb_reply", thread=receipt_of(enquiry).message_id))
        result = app.test_cli_runner().invoke(args=["mail", "fetch"])
        assert result.exit_code == 0 and "kept=1" in result.output


def test_a_message_the_portal_cannot_keep_is_set_aside_and_the_rest_go_on(
    app, dovecot, monkeypatch
):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    real_ingest = fetching.ingest

    def failing(raw: bytes):
        if b"mallory" in raw:
            raise RuntimeError("a fault of ours")
        return real_ingest(raw)

    monkeypatch.setattr(fetching, "ingest", failing)
    dovecot.deliver(eml("forged_subject"), eml("gmail_nb_reply", thread=receipt.message_id))
    report = fetch(dovecot.url)
    assert (report.kept, report.unusable) == (1, 1)
    assert dovecot.count("INBOX") == 0 and dovecot.count(UNUSABLE) == 1
