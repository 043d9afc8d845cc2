"""``python -m bench.ingest``: read 1,000 messages from a private Dovecot into the portal and
report messages per second (issue 15's benchmark; see bench/README.md).

The mailbox holds what a real one would: answers threaded with the receipts of 50 enquiries
(quoted history, UTF-8 quoted-printable), out-of-office replies, and mail that matches nothing.
``mail fetch``'s own code reads it (``portal.conversation.fetching.fetch``): each message is
fetched, parsed, matched, stored with its raw text, its notice queued, then moved to Processed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from bench import databases
from bench.dovecot import PrivateDovecot, available

ENQUIRIES = 50
QUOTE = "\n".join(f"> Linje {n} av det vi skrev til deg sist." for n in range(20))


def _message(number: int, receipts: list[tuple[str, str]]) -> bytes:
    mail = EmailMessage()
    kind = number % 10
    email, thread = receipts[number % len(receipts)]
    mail["From"] = f"Avsender {number} <{email}>"
    mail["To"] = "sesam@usn.example"
    mail["Message-ID"] = make_msgid(domain="bench.example")
    if kind < 7:  # an answer in the thread
        mail["Subject"] = "Re: Vi har mottatt henvendelsen din"
        mail["In-Reply-To"] = thread
        mail["References"] = thread
        mail.set_content(
            f"Takk for svaret! Her er svar nummer {number}, med æøå.\n\n"
            f"man. 5. des. 2026 kl. 10:00 skrev SESAM <noreply@usn.example>:\n{QUOTE}\n",
            cte="quoted-printable",
        )
    elif kind < 9:  # an out-of-office reply
        mail["Subject"] = "Automatisk svar: Vi har mottatt henvendelsen din"
        mail["In-Reply-To"] = thread
        mail["Auto-Submitted"] = "auto-replied"
        mail.set_content("Jeg er på ferie til 3. januar.\n")
    else:  # matches nothing
        mail["Subject"] = f"Et spørsmål {number}"
        mail.set_content("Hei, kan dere hjelpe oss med et prosjekt?\n")
    return mail.as_bytes()


def _seed(app) -> list[tuple[str, str]]:
    from portal.extensions import db
    from portal.intake.mail import enqueue_arrival_mail
    from portal.intake.models import Enquiry
    from portal.outbox.models import OutboxMessage
    from portal.timestamps import utcnow

    receipts = []
    now = utcnow()
    for number in range(1, ENQUIRIES + 1):
        enquiry = Enquiry(
            reference=f"SESAM-{now.year}-{number:04d}",
            ref_year=now.year,
            ref_seq=number,
            public_id=secrets.token_hex(16),
            form_nonce=secrets.token_hex(16),
            name=f"Avsender {number}",
            email=f"avsender{number}@example.org",
            organisation_type="municipality",
            enquiry_type="co_creation_support",
            problem="Vi trenger hjelp til å samskape tjenester med innbyggerne.",
            lang="nb",
            privacy_version="bench",
            source="site",
            status="new",
            priority="normal",
            contact_preference="email",
            keep_in_touch=False,
            created_at=now - timedelta(days=1),
            updated_at=now - timedelta(days=1),
        )
        db.session.add(enquiry)
        db.session.flush()
        enqueue_arrival_mail(enquiry, None)
        receipts.append(enquiry)
    db.session.commit()
    receipt_ids = db.select(OutboxMessage.enquiry_id, OutboxMessage.message_id).where(
        OutboxMessage.kind == "receipt"
    )
    ids = dict(list(db.session.execute(receipt_ids).tuples()))  # (a Result has keys())
    return [(enquiry.email, ids[enquiry.id]) for enquiry in receipts]


def run(kind: str, count: int, data_dir: Path) -> float:
    """Messages per second for ``count`` messages on database ``kind``."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.conversation.fetching import fetch
    from portal.extensions import db

    url = databases.database_url(kind, "ingest", data_dir)
    databases.recreate(url)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": databases.new_secret_key(),
            "STAFF_NOTIFY_EMAIL": "staff@usn.example",
            "INBOUND_ADDRESS": "sesam@usn.example",
            "MAIL_SERVER": None,
        }
    )
    with app.app_context(), PrivateDovecot() as box:
        upgrade()
        receipts = _seed(app)
        box.deliver(*(_message(n, receipts) for n in range(count)))
        started = time.perf_counter()
        report = fetch(box.url)
        elapsed = time.perf_counter() - started
        assert report.read == count, report
        db.session.remove()
        db.engine.dispose()
    rate = count / elapsed
    print(f"ingest {kind}: {count} messages in {elapsed:.1f} s = {rate:.0f} messages/s ({report})")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or both")
    args = parser.parse_args(argv)
    reason = available()
    if reason:
        print(f"bench.ingest: {reason}", file=sys.stderr)
        return 2
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    if "postgres" in kinds and not databases.postgres_available():
        print("bench.ingest: PostgreSQL is not reachable (BENCH_POSTGRES_URL)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as data:
        for kind in kinds:
            run(kind, args.messages, Path(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
