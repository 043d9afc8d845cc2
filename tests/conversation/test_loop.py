"""The whole loop on real components: submit, a staff reply through SMTP (aiosmtpd), the
enquirer's answer put into the mailbox (Dovecot), ``mail fetch``, the answer on the timeline and
the status page, and the assignee told."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from portal.extensions import db
from portal.inbox import replies
from portal.intake.links import case_token
from portal.intake.routing import RoutingRule
from portal.intake.services import submit_enquiry
from portal.outbox.delivery import deliver_all_due
from tests.factories import make_staff
from tests.intake.enquiry_builders import CASE_PREFIX, service_values

INBOUND = "sesam@usn.example"


def _answer_to(reply: EmailMessage) -> bytes:
    """What a mail program sends when Kari presses Reply: to Reply-To, threaded, quoting."""
    answer = EmailMessage()
    answer["From"] = "Kari Nordmann <kari@example.org>"
    answer["To"] = reply["Reply-To"]
    answer["Subject"] = "Re: " + reply["Subject"]
    answer["Message-ID"] = make_msgid(domain="example.org")
    answer["In-Reply-To"] = reply["Message-ID"]
    answer["References"] = f"{reply['References']} {reply['Message-ID']}"
    quoted = "\n".join(
        "> " + line for line in reply.get_body(("plain",)).get_content().splitlines()
    )
    answer.set_content(
        "Tirsdag klokka 10 passer fint for oss.\n\n"
        f"søn. 6. des. 2026 kl. 10:00 skrev SESAM <noreply@usn.example>:\n{quoted}\n"
    )
    return answer.as_bytes()


def test_the_whole_conversation_loop(make_app, smtp_server, smtp_config, dovecot, login):
    _, handler = smtp_server
    app = make_app(INBOUND_ADDRESS=INBOUND, IMAP_URL=dovecot.url, **smtp_config)
    with app.app_context():
        sara = make_staff(name="Sara Saksbehandler", email="sara@usn.example")
        db.session.add(RoutingRule(enquiry_type="co_creation_support", assignee_id=sara.id))
        db.session.commit()
        enquiry = submit_enquiry(**service_values(), lang="nb", source="site", nonce="loop")
        replies.reply(enquiry.id, "Kan vi møtes på tirsdag?", sara.id)
        deliver_all_due(worker_id="loop")
        to_kari = [m for m in handler.parsed() if m["To"] == "kari@example.org"]
        receipt, reply = sorted(
            to_kari, key=lambda m: "Re" in m["Subject"] or "Svar" in m["Subject"]
        )
        assert reply["Reply-To"].startswith("sesam+") and reply["Reply-To"].endswith("@usn.example")
        assert reply["In-Reply-To"] == receipt["Message-ID"]
        assert receipt["Message-ID"] in reply["References"]
        envelope = [m["mail_from"] for m in handler.messages if b"Kan vi m" in m["data"]]
        assert envelope[0].startswith("sesam+b-") and envelope[0].endswith("@usn.example")
        assert "Sara" not in (reply["Reply-To"] or "") and "sara@" not in str(reply["From"])

        dovecot.deliver(_answer_to(reply))
        result = app.test_cli_runner().invoke(args=["mail", "fetch"])
        assert result.exit_code == 0 and "kept=1" in result.output

        handler.messages.clear()
        deliver_all_due(worker_id="loop")
        [notice] = handler.parsed()
        assert notice["To"] == "sara@usn.example" and enquiry.reference in notice["Subject"]
        assert "Tirsdag klokka 10" not in notice.get_body(("plain",)).get_content()

        client = app.test_client()
        login(client, user=sara)
        detail = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
        assert "Tirsdag klokka 10 passer fint for oss." in detail
        assert "Kan vi møtes på tirsdag?" in detail
        with app.test_request_context():
            status_url = CASE_PREFIX["nb"] + case_token(enquiry.public_id)
        status = app.test_client().get(status_url).get_data(as_text=True)
        assert "Tirsdag klokka 10 passer fint for oss." in status
        assert status.index("Kan vi møtes på tirsdag?") < status.index("Tirsdag klokka 10")
        assert "skrev SESAM" not in status
