"""``flask mail ingest`` answers an MTA pipe with sysexits codes; ``mail fetch`` needs IMAP_URL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.background.jobs import registered_jobs
from portal.conversation.cli import EX_DATAERR, EX_OK, EX_TEMPFAIL
from portal.conversation.fetching import MailboxError, parse_imap_url
from portal.conversation.models import InboundMessage
from portal.extensions import db
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry


def test_ingest_keeps_a_message_from_stdin_and_exits_0(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    raw = eml("gmail_nb_reply", thread=receipt.message_id)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "ingest"], input=raw)
    assert result.exit_code == EX_OK and "attached" in result.output
    again = runner.invoke(args=["mail", "ingest"], input=raw)
    assert again.exit_code == EX_OK and "duplicate" in again.output
    assert len(db.session.scalars(select(InboundMessage)).all()) == 1


def test_ingest_refuses_an_empty_message_with_65(app):
    result = app.test_cli_runner().invoke(args=["mail", "ingest"], input=b"")
    assert result.exit_code == EX_DATAERR


def test_ingest_asks_to_try_again_with_75_when_the_database_is_down(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/none.sqlite3")
    result = app.test_cli_runner().invoke(args=["mail", "ingest"], input=eml("subject_only"))
    assert result.exit_code == EX_TEMPFAIL


def test_fetch_without_imap_url_says_so(app):
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert result.exit_code != 0 and "IMAP_URL is not set" in result.output


@pytest.mark.parametrize(
    "url",
    ["imap://sesam:secret@mail.example.org/INBOX", "http://x@y/", "imaps://mail.example.org/"],
)
def test_imap_url_plain_only_on_loopback(url):
    with pytest.raises(MailboxError):
        parse_imap_url(url)


def test_imap_url_parts():
    box = parse_imap_url("imaps://sesam%40usn.no:p%40ss@mail.usn.no/Innboks")
    assert (box.host, box.port, box.tls, box.user, box.password, box.folder) == (
        "mail.usn.no",
        993,
        True,
        "sesam@usn.no",
        "p@ss",
        "Innboks",
    )


def test_the_worker_fetches_every_minute_only_when_imap_url_is_set(make_app):
    without = make_app()
    with without.app_context():
        assert "mail-fetch" not in {job.name for job in registered_jobs()}
    with_imap = make_app(IMAP_URL="imap://sesam:secret@127.0.0.1:1/INBOX")
    with with_imap.app_context():
        [job] = [job for job in registered_jobs() if job.name == "mail-fetch"]
        assert job.every == timedelta(minutes=1) and not job.each_worker
