"""Writes for the intake: a new enquiry with its mail, information added later, consent withdrawn.

Each public function is one transaction that writes from its start (``begin_writing``): it
commits on success and rolls back on any error.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.audit import trail
from portal.database import begin_writing, transaction
from portal.extensions import db
from portal.intake import mail
from portal.intake.antispam import DUPLICATE_WINDOW, body_fingerprint
from portal.intake.forms import SUBMITTED, source_host
from portal.intake.labels import KEEP_IN_TOUCH_VERSION
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.queries import enquiry_by_nonce, resent_enquiry
from portal.intake.reference import allocate_reference
from portal.intake.routing import RuleAssignee, arrival_assignee
from portal.intake.workdays import add_working_days, local_date
from portal.timestamps import utcnow

log = logging.getLogger(__name__)
DATA_REQUESTS = ("access", "erasure")  # what the enquirer may ask about their data
DATA_REQUEST_EVENT = "data_request"


def submit_enquiry(
    *,
    lang: str,
    source: str,
    nonce: str,
    source_page: str | None = None,
    spam_reasons: Sequence[str] = (),
    **values,
) -> Enquiry:
    """Store an enquiry with its reference, its events and (unless spam) its mail, rendered.

    ``values`` are the visitor's answers (``forms.SUBMITTED`` names, plain values). A nonce
    that was used before returns the enquiry it created, also when two requests race (R3); so
    does the same text from the same address within the duplicate window (nothing is stored).
    Raises TypeError for an unknown field; database errors propagate after a rollback.
    """
    unknown = set(values) - set(SUBMITTED)
    if unknown:
        raise TypeError(f"not fields of the enquiry form: {sorted(unknown)}")
    enquiry = _new_enquiry(values, lang, source, nonce, source_page, spam_reasons)
    resent = resent_enquiry(enquiry.email, enquiry.body_hash, enquiry.created_at - DUPLICATE_WINDOW)
    if resent is not None:
        log.info("enquiry %s sent again from the same address: not stored", resent.reference)
        return resent
    # A replayed nonce is rare: the unique index refuses its INSERT, and the enquiry it made is
    # read after the rollback. Asking first would cost every new enquiry a query.
    try:
        assignee = arrival_assignee(enquiry)  # read before the write begins
        begin_writing()
        _store(enquiry, assignee)
        _commit_keeping(enquiry)
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


def _store(enquiry: Enquiry, assignee: RuleAssignee | None) -> None:
    """One unit of work: the year's next reference, the enquiry, its events and its mail.

    The reference comes first: it locks the year's counter row (PostgreSQL; on SQLite the
    transaction holds the write lock from its start), so concurrent submissions queue there
    until this one commits, and a rollback gives the number back.
    """
    enquiry.ref_year, enquiry.ref_seq, enquiry.reference = allocate_reference(enquiry.created_at)
    if assignee is not None:
        enquiry.assignee_id = assignee.id
    db.session.add(enquiry)
    db.session.flush()  # the enquiry's id, for its events and the inbox link in its mail
    arrived = {"enquiry_id": enquiry.id, "created_at": enquiry.created_at}
    db.session.add(EnquiryEvent(kind="received", **arrived))
    if assignee is not None:
        db.session.add(EnquiryEvent(kind="routed", after=assignee.name, **arrived))
    if enquiry.status != "spam":
        mail.enqueue_arrival_mail(enquiry, assignee)


def _commit_keeping(enquiry: Enquiry) -> None:
    """Commit without expiring ``enquiry``: what was just written is what the database holds,
    and reading it back for the receipt page would cost a query."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


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
        source_host=source_host(source_page),
        spam_reasons=",".join(spam_reasons) or None,
        body_hash=body_fingerprint(values.get("problem") or "", values.get("message")),
        status="spam" if spam_reasons else "new",
        priority="normal",
        created_at=now,
        updated_at=now,
        first_response_due=add_working_days(local_date(now), config["FIRST_RESPONSE_WORKING_DAYS"]),
    )


def add_information(enquiry: Enquiry, text: str, nonce: str | None = None) -> EnquiryEvent | None:
    """Store what the enquirer added on the status page, and tell whoever handles the enquiry.

    ``nonce`` is the single-use token of the post: a replayed post adds nothing and returns
    None. The enquiry then waits for SESAM's answer. The notice goes to the assignee if there
    is one, else to STAFF_NOTIFY_EMAIL (if set); none for a spam-marked enquiry. Raises
    ValueError for an empty text.
    """
    if not text or not text.strip():
        raise ValueError("nothing to add")
    try:
        with transaction():
            now = utcnow()
            event = EnquiryEvent(
                enquiry_id=enquiry.id,
                kind="enquirer_added",
                body=text,
                created_at=now,
                form_nonce=nonce,
            )
            db.session.add(event)
            db.session.flush()  # a replayed nonce stops here, before anything else is written
            enquiry.updated_at = now
            if enquiry.waiting_since is None:
                enquiry.waiting_since = now
            mail.notify_handler(enquiry, "enquirer_added")
    except IntegrityError:
        log.info("enquiry %s: a replayed status-page post added nothing", enquiry.reference)
        return None
    log.info("enquiry %s: the enquirer added information", enquiry.reference)
    return event


def ask_about_data(enquiry: Enquiry, kind: str) -> EnquiryEvent:
    """The enquirer asks for a copy of their data (``access``) or for its erasure (``erasure``)
    from the status page (GDPR articles 15 and 17): recorded on the timeline and in the audit
    trail, where staff answer it within a month (portal/privacy). Raises ValueError for
    another kind."""
    if kind not in DATA_REQUESTS:
        raise ValueError(f"unknown request {kind!r}")
    with transaction():
        now = utcnow()
        event = EnquiryEvent(
            enquiry_id=enquiry.id, kind=DATA_REQUEST_EVENT, after=kind, created_at=now
        )
        db.session.add(event)
        trail.record("privacy.request", target=enquiry.reference, detail=kind, at=now)
    log.info("enquiry %s: the enquirer asked for %s of their data", enquiry.reference, kind)
    return event


def withdraw_consent(enquiry: Enquiry) -> bool:
    """Withdraw a given keep_in_touch consent (N3). Returns False if there was none to withdraw."""
    try:
        begin_writing()
        if not enquiry.keep_in_touch or enquiry.keep_in_touch_withdrawn_at is not None:
            db.session.rollback()
            return False
        now = utcnow()
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
