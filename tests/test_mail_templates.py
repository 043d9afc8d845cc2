"""Every email template renders in Bokmål, Nynorsk and English, through the code that queues it.

For each language one enquiry, one staff member and their actions queue every kind of mail the
portal sends; each must come out written (not failed), in that language, with a subject, a
text and an HTML part, and nothing left of the template machinery. A template added without
being queued here fails the test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.accounts.services import request_password_reset
from portal.conversation.services import ingest
from portal.digest.services import send_digest
from portal.extensions import db
from portal.inbox.replies import reply
from portal.intake import mail
from portal.intake.routing import RoutingRule
from portal.intake.services import add_information, submit_enquiry
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue
from tests.conversation.support import eml
from tests.factories import make_staff
from tests.intake.enquiry_builders import service_values

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
LANGS = ("nb", "nn", "en")
GREETING = {"nb": "Hei", "nn": "Hei", "en": "Hello"}
MONDAY_MORNING = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # a working day in Norway


def _template_names() -> set[str]:
    return {path.name.split(".")[0] for path in TEMPLATES.glob("[!_]*.*.txt")}


def test_every_template_exists_in_every_language_as_text_and_html():
    for name in _template_names():
        for lang in LANGS:
            for kind in ("txt", "html"):
                assert (TEMPLATES / f"{name}.{lang}.{kind}").is_file(), (name, lang, kind)


@pytest.mark.parametrize("lang", LANGS)
def test_every_mail_is_written_in_the_language_it_is_queued_in(app, lang, monkeypatch):
    monkeypatch.setattr(mail, "STAFF_LANG", lang)  # the shared mailbox's notice, in each language
    staff = make_staff(name="Åse Øvrebø", lang=lang, role="admin")
    db.session.add(RoutingRule(enquiry_type="co_creation_support", assignee_id=staff.id))
    db.session.commit()
    enquiry = submit_enquiry(
        **service_values(message="Første linje\nAndre linje", keep_in_touch=True),
        lang=lang,
        source="site",
        nonce=f"templates-{lang}",
    )
    send_digest(staff.id, MONDAY_MORNING)  # while the enquiry is new and theirs
    add_information(enquiry, "Vi har fått midler nå.")
    answered = reply(enquiry.id, "Takk for henvendelsen!", staff.id)
    ingest(eml("gmail_nb_reply", thread=answered.message_id))  # the assignee is told
    ingest(eml("dsn_failed", thread=answered.message_id))  # the reply bounced: told again
    request_password_reset(staff.email)
    enqueue(
        kind="test",
        to="kari@example.org",
        template="notice",
        lang=lang,
        context={
            "subject": "Emne",
            "body": "Tekst",
            "link_url": "https://example.org/",
            "link_text": "Lenke",
        },
    )
    db.session.commit()

    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {message.template for message in messages} == _template_names()
    for message in messages:
        if message.id == answered.id:  # written, then bounced
            assert message.status == "failed" and message.last_error.startswith("bounced")
        else:
            assert (message.status, message.last_error) == ("pending", None)
        assert message.lang == lang
        assert message.subject and message.body_text and message.body_html
        for body in (message.body_text, message.body_html):
            assert "{{" not in body and "{%" not in body and "None" not in body
        assert message.body_html.lstrip().lower().startswith("<!doctype html>")
        assert f'lang="{lang}"' in message.body_html
    greeted = [
        m for m in messages if m.template in ("enquiry_assigned", "password_reset", "staff_digest")
    ]
    assert all(f"{GREETING[lang]} " in m.body_text for m in greeted)
