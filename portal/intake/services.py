"""Writes for the intake: a new enquiry with its mail, information added later, consent withdrawn.

Each public function is one transaction: it commits on success and rolls back on any error.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from portal.database import one_writer_at_a_time
from portal.extensions import db
from portal.intake import mail
from portal.intake.antispam import body_fingerprint
from portal.intake.arrival import arrival_params
from portal.intake.forms import SUBMITTED
from portal.intake.labels import KEEP_IN_TOUCH_VERSION
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.queries import enquiry_by_nonce
from portal.intake.reference import allocate_reference
from portal.intake.routing import RuleAssignee, arrival_assignee, arrival_notice, routed_event
from portal.intake.workdays import add_working_days, local_date
from portal.outbox.services import enqueue, enqueue_all, later_values
from portal.timestamps import utcnow

log = logging.getLogger(__name__)


def submit_enquiry(
    *,
    lang: str,
    source: str,
    nonce: str,
    source_page: str | None = None,
    spam_reasons: Sequence[str] = (),
    **values,
) -> Enquiry:
    """Store an enquiry with its reference, its "received" event and (unless spam) its mail.

    ``values`` are the visitor's answers (``forms.SUBMITTED`` names, plain values). A nonce
    that was used before returns the enquiry it created, also when two requests race (R3).
    Raises TypeError for an unknown field; database errors propagate after a rollback.
    """
    unknown = set(values) - set(SUBMITTED)
    if unknown:
        raise TypeError(f"not fields of the enquiry form: {sorted(unknown)}")
    # A replayed nonce is rare: the unique index refuses its INSERT, and the enquiry it made is
    # read after the rollback. Asking first would cost every new enquiry a query.
    try:
        enquiry = _new_enquiry(values, lang, source, nonce, source_page, spam_reasons)
        assignee = arrival_assignee(enquiry)  # read before the first write (see below)
        if assignee is not None:
            enquiry.assignee_id = assignee.id
        events = _arrival_events(enquiry, assignee)
        mails = [] if enquiry.status == "spam" else _arrival_mail(enquiry, assignee)
        with one_writer_at_a_time():
            try:
                _store(enquiry, events, mails)
                _commit_keeping(enquiry)
            except Exception:
                db.session.rollback()  # before the next writer's turn
                raise
    except IntegrityError:
        db.session.rollback()
        existing = enquiry_by_nonce(nonce)
        if existing is None:
            raise
        return existing
    except Exception:
        db.session.rollback()
        raise
    log.info("enquiry %s stored as %s (id %s)", enquiry.reference, enquiry.status, enquiry.id)
    return enquiry


# Concurrent submissions queue for the write: SQLite lets one writer at a time (they queue in
# the kernel: database.one_writer_at_a_time), and PostgreSQL holds the year's reference-counter
# row until the commit. So everything that can be done without the enquiry's id (the routing
# rule, the event and mail rows) comes before the first write, and the writes are few: on
# PostgreSQL one statement (``arrival``), on SQLite the reference number, the enquiry (for its
# id), its events and its mail, and the commit. They are plain Core INSERTs: the ORM's unit of
# work would cost more than the statements themselves.


def _new_enquiry(values, lang, source, nonce, source_page, spam_reasons) -> Enquiry:
    now = utcnow()
    config = current_app.config
    ticked = bool(values.get("keep_in_touch"))
    fields = {name: values.get(name) for name in SUBMITTED}
    fields.update(
        keep_in_touch=ticked,
        keep_in_touch_text_version=KEEP_IN_TOUCH_VERSION if ticked else None,
        keep_in_touch_at=now if ticked else None,
        contact_preference=values.get("contact_preference") or "email",
    )
    return Enquiry(
        **fields,
        public_id=secrets.token_hex(16),
        form_nonce=nonce,
        lang=lang,
        privacy_version=config["PRIVACY_NOTICE_VERSION"],
        source=source,
        source_page=source_page,
        spam_reasons=",".join(spam_reasons) or None,
        body_hash=body_fingerprint(values.get("problem") or "", values.get("message")),
        status="spam" if spam_reasons else "new",
        priority="normal",
        created_at=now,
        updated_at=now,
        first_response_due=add_working_days(local_date(now), config["FIRST_RESPONSE_WORKING_DAYS"]),
    )


def _arrival_events(enquiry: Enquiry, assignee: RuleAssignee | None) -> list[dict]:
    """The "received" event and, if the rules gave it to someone, the "routed" one, as rows
    still without the enquiry's id."""
    received = {"kind": "received", "actor_id": None, "after": None}
    events = [received] if assignee is None else [received, routed_event(assignee)]
    return [{**event, "created_at": enquiry.created_at} for event in events]


def _store(enquiry: Enquiry, events: list[dict], mails: list[dict]) -> None:
    """INSERT the new ``enquiry`` with its reference, ``events`` and ``mails``, and keep the
    object as the stored row: what it was given is what the row holds, and what it was not
    given (defaults) is read if it is ever asked for."""
    state = inspect(enquiry)
    given = state.dict
    values = {attr.key: given[attr.key] for attr in state.mapper.column_attrs if attr.key in given}
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        year = local_date(enquiry.created_at).year
        statement, params = arrival_params(values, year, events, mails)
        enquiry.id, enquiry.ref_seq, enquiry.reference = connection.execute(statement, params).one()
        enquiry.ref_year = year
    else:
        year, sequence, reference = allocate_reference(enquiry.created_at)
        numbered = {"ref_year": year, "ref_seq": sequence, "reference": reference}
        enquiry.id = connection.execute(_INSERT_ENQUIRY, values | numbered).scalar_one()
        enquiry.ref_year, enquiry.ref_seq, enquiry.reference = year, sequence, reference
        connection.execute(_INSERT_EVENTS, [{**row, "enquiry_id": enquiry.id} for row in events])
        enqueue_all([{**row, "enquiry_id": enquiry.id} for row in mails])
    make_transient_to_detached(enquiry)
    db.session.add(enquiry)


# Built once: every enquiry runs them (on SQLite).
_INSERT_ENQUIRY = Enquiry.__table__.insert().returning(Enquiry.__table__.c.id)
_INSERT_EVENTS = EnquiryEvent.__table__.insert()


def _commit_keeping(enquiry: Enquiry) -> None:
    """Commit without expiring ``enquiry``: what was just written is what the database holds,
    and reading it back for the receipt page would cost a query."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _arrival_mail(enquiry: Enquiry, assignee: RuleAssignee | None) -> list[dict]:
    """The receipt to the enquirer, the notice to staff if STAFF_NOTIFY_EMAIL is set, and the
    notice to the ``assignee`` the rules chose, as outbox rows still without the enquiry's id
    (it has none yet). The outbox worker writes them (``mail.register_writers``), so the visitor
    waits for no rendering."""
    config = current_app.config
    mails = [
        later_values(
            kind="receipt",
            to=enquiry.email,
            template="receipt",
            lang=enquiry.lang,
            enquiry_id=None,
            reply_to=config["CONTACT_EMAIL"],
        )
    ]
    if config["STAFF_NOTIFY_EMAIL"]:
        mails.append(
            later_values(
                kind="staff_notice",
                to=config["STAFF_NOTIFY_EMAIL"],
                template="staff_notice",
                lang=mail.STAFF_LANG,
                enquiry_id=None,
            )
        )
    if assignee is not None:
        mails.append(arrival_notice(assignee))
    return mails


def add_information(enquiry: Enquiry, text: str) -> EnquiryEvent:
    """Store what the enquirer added on the status page, and tell whoever handles the enquiry.

    The notice goes to the assignee if there is one, else to STAFF_NOTIFY_EMAIL (if set);
    none for a spam-marked enquiry. Raises ValueError for an empty text.
    """
    if not text or not text.strip():
        raise ValueError("nothing to add")
    now = utcnow()
    try:
        event = EnquiryEvent(
            enquiry_id=enquiry.id, kind="enquirer_added", body=text, created_at=now
        )
        db.session.add(event)
        enquiry.updated_at = now
        _enqueue_added_notice(enquiry)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("enquiry %s: the enquirer added information", enquiry.reference)
    return event


def _enqueue_added_notice(enquiry: Enquiry) -> None:
    assignee = enquiry.assignee if enquiry.assignee and enquiry.assignee.active else None
    recipient = assignee.email if assignee else current_app.config["STAFF_NOTIFY_EMAIL"]
    if not recipient or enquiry.status == "spam":
        return
    lang = assignee.lang if assignee else mail.STAFF_LANG
    with force_locale(lang):
        enqueue(
            kind="enquirer_added",
            to=recipient,
            template="enquirer_added",
            lang=lang,
            context=mail.added_context(enquiry, lang, assignee.first_name if assignee else None),
            enquiry_id=enquiry.id,
        )


def withdraw_consent(enquiry: Enquiry) -> bool:
    """Withdraw a given keep_in_touch consent (N3). Returns False if there was none to withdraw."""
    if not enquiry.keep_in_touch or enquiry.keep_in_touch_withdrawn_at is not None:
        return False
    now = utcnow()
    try:
        enquiry.keep_in_touch_withdrawn_at = now
        enquiry.updated_at = now
        db.session.add(
            EnquiryEvent(enquiry_id=enquiry.id, kind="consent_withdrawn", created_at=now)
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("enquiry %s: keep-in-touch consent withdrawn", enquiry.reference)
    return True
