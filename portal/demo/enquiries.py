"""Realistic demo enquiries for demos and benchmarks (``flask seed-demo``), inserted in batches."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import func, insert, select, text

from portal.accounts.models import StaffUser
from portal.demo.texts import ORGANISATIONS, PEOPLE, PROBLEMS, TAGS, compose
from portal.extensions import db
from portal.inbox.models import EnquiryTag
from portal.intake.forms import source_host
from portal.intake.models import (
    CO_CREATION,
    CONTACT_PREFERENCES,
    ENQUIRY_TYPES,
    FUNDING,
    INVOLVEMENT,
    ORGANISATION_TYPES,
    PHASES,
    REGIONS,
    TIMEFRAMES,
    Enquiry,
    EnquiryEvent,
    ReferenceCounter,
)
from portal.intake.reference import format_reference
from portal.intake.workdays import add_working_days, local_date
from portal.timestamps import utcnow

BATCH = 2000
SPAN = timedelta(days=730)
LANG_WEIGHTS = {"nb": 6, "nn": 2, "en": 2}
# Addresses the outbox accepts (example.org is reserved for examples, so nothing reaches anyone):
# assigning a demo colleague queues a real notice, as it would in use.
DEMO_STAFF = (
    ("Ingrid Solberg", "ingrid.solberg@example.org", "admin", "nb"),
    ("Ola Haugen", "ola.haugen@example.org", "staff", "nn"),
    ("Amina Berg", "amina.berg@example.org", "staff", "nb"),
    ("Jonas Lie", "jonas.lie@example.org", "staff", "en"),
)
# What came of an enquiry that ended (portal.inbox.outcomes), by its status.
DEMO_OUTCOMES = {
    "agreed": {"collaboration_started": 6, "course_held": 3},
    "declined": {"no_capacity": 4, "out_of_scope": 3, "referred": 2},
    "closed": {"no_reply": 4, "course_held": 2, "referred": 1, "collaboration_started": 1},
}
REFERRED_TO = ("NAV", "KS", "Frivillighet Norge", "Husbanken", "the county's public health team")
# Status by age: the older an enquiry, the likelier it has been settled.
RECENT_STATUSES = {"new": 5, "triaged": 3, "in_dialogue": 3, "spam": 1}
SETTLED_STATUSES = {"in_dialogue": 2, "agreed": 4, "declined": 2, "closed": 5, "spam": 1}


def demo_staff() -> tuple[list[StaffUser], list[StaffUser]]:
    """The active staff, and the demo colleagues (without passwords) created for them now: each
    one whose address is not taken yet."""
    taken = set(db.session.scalars(select(StaffUser.email)))
    created = []
    for name, email, role, lang in DEMO_STAFF:
        if email not in taken:
            person = StaffUser(name=name, email=email, role=role, lang=lang, active=True)
            db.session.add(person)
            created.append(person)
    db.session.flush()
    active = list(db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True))))
    return active, created


def _next_sequences() -> dict[int, int]:
    """The last reference number used per year (intake's counter, or the enquiries themselves)."""
    stmt = select(Enquiry.ref_year, func.max(Enquiry.ref_seq)).group_by(Enquiry.ref_year)
    last: dict[int, int] = dict(db.session.execute(stmt).all())
    for counter in db.session.scalars(select(ReferenceCounter)):
        last[counter.year] = max(last.get(counter.year, 0), counter.last)
    return last


def _save_sequences(last: dict[int, int]) -> None:
    """Move intake's per-year counters past the demo references, so real ones never collide."""
    counters = {c.year: c for c in db.session.scalars(select(ReferenceCounter))}
    for year, sequence in last.items():
        counter = counters.get(year) or ReferenceCounter(year=year, last=0)
        counter.last = max(counter.last, sequence)
        db.session.add(counter)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sender(rng: random.Random, lang: str) -> dict:
    """Who writes, from where, and what about (the visitor's part of the form)."""
    organisation_type = rng.choice(ORGANISATION_TYPES)
    first, last = rng.choice(PEOPLE["first"]), rng.choice(PEOPLE["last"])
    organisation = None
    if organisation_type not in ("private", "student"):
        organisation = rng.choice(ORGANISATIONS.get(organisation_type, ORGANISATIONS["other"]))
    return {
        "name": f"{first} {last}",
        "email": f"{first}.{last}{rng.randint(1, 400)}@example.org".lower(),
        "phone": f"+47 {rng.randint(40000000, 99999999)}" if rng.random() < 0.4 else None,
        "organisation": organisation,
        "organisation_type": organisation_type,
        "enquiry_type": rng.choice(ENQUIRY_TYPES),
        "region": rng.choice(REGIONS) if rng.random() < 0.9 else None,
        "problem": compose(rng, PROBLEMS[lang], 3, 6),
        "affected": compose(rng, PROBLEMS[lang], 1, 2) if rng.random() < 0.5 else None,
        "involvement": rng.choice(INVOLVEMENT),
        "co_creation": rng.choice(CO_CREATION),
        "phase": rng.choice(PHASES),
        "timeframe": rng.choice(TIMEFRAMES),
        "funding": rng.choice(FUNDING),
        "message": compose(rng, PROBLEMS[lang], 1, 3) if rng.random() < 0.3 else None,
        "contact_preference": rng.choice(CONTACT_PREFERENCES),
        "keep_in_touch": False,
    }


# University pages the embedded form sits on: the overview's "host pages" chart groups by host.
EMBED_PAGES = (
    "https://www.usn.no/forskning/hva-forsker-vi-pa/sesam/",
    "https://www.usn.no/forskning/hva-forsker-vi-pa/sesam/samarbeid/",
    "https://www.usn.no/studier/etter-og-videreutdanning/",
    "https://forskning.usn.no/sosialt-entreprenorskap/",
)


def _where_from(rng: random.Random) -> dict:
    """Sent through the portal's own form, or through the form embedded on a university page."""
    if rng.random() < 0.3:
        page = rng.choice(EMBED_PAGES)
        return {"source": "embed", "source_page": page, "source_host": source_host(page)}
    return {"source": "site", "source_page": None, "source_host": None}


def _enquiry_row(
    rng: random.Random, created: datetime, staff: list[StaffUser], due_for: Callable[[date], date]
) -> dict:
    """One enquiry as intake would store it, with the triage an enquiry of its age would have."""
    lang = _pick(rng, LANG_WEIGHTS)
    settled = utcnow() - created > timedelta(days=45)
    status = _pick(rng, SETTLED_STATUSES if settled else RECENT_STATUSES)
    answered = status not in ("new", "triaged", "spam")
    responded = min(created + timedelta(hours=rng.randint(2, 120)), utcnow()) if answered else None
    return {
        **_sender(rng, lang),
        "lang": lang,
        "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        **_where_from(rng),
        "created_at": created,
        "updated_at": responded or created,
        "status": status,
        "priority": _pick(rng, {"low": 2, "normal": 6, "high": 1}),
        "assignee_id": rng.choice(staff).id if staff and (answered or rng.random() < 0.3) else None,
        "first_response_due": due_for(local_date(created)),
        "first_responded_at": responded,
        **_outcome(rng, status),
        "public_id": secrets.token_hex(16),
        "form_nonce": secrets.token_hex(16),
    }


def _outcome(rng: random.Random, status: str) -> dict:
    if status not in DEMO_OUTCOMES:
        return {"outcome": None, "outcome_referred_to": None}
    code = _pick(rng, DEMO_OUTCOMES[status])
    referred = rng.choice(REFERRED_TO) if code == "referred" else None
    return {"outcome": code, "outcome_referred_to": referred}


def _arrivals(rng: random.Random, count: int) -> Iterator[datetime]:
    """``count`` arrival times over the last two years, in order (ids follow arrival)."""
    now = utcnow()
    offsets = sorted((rng.random() for _ in range(count)), reverse=True)
    for offset in offsets:
        yield now - SPAN * offset


def seed(
    count: int, working_days: int, rng_seed: int | None = None
) -> tuple[int, list[tuple[str, str, str]]]:
    """Insert ``count`` demo enquiries (with a received event and some tags); returns the count
    and the demo colleagues created, as (name, email, role).

    First-response due dates are ``working_days`` Norwegian working days after arrival.
    """
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, not secrets
    staff, created = demo_staff()
    colleagues = [(person.name, person.email, person.role) for person in created]
    sequences = _next_sequences()
    due_for = cache(lambda day: add_working_days(day, working_days))
    batch: list[dict] = []
    for created in _arrivals(rng, count):
        row = _enquiry_row(rng, created, staff, due_for)
        year = created.year
        sequence = sequences[year] = sequences.get(year, 0) + 1
        row.update(ref_year=year, ref_seq=sequence, reference=format_reference(year, sequence))
        batch.append(row)
        if len(batch) == BATCH:
            _insert(rng, batch)
            batch = []
    if batch:
        _insert(rng, batch)
    _save_sequences(sequences)
    db.session.commit()
    _analyze()
    return count, colleagues


def _analyze() -> None:
    """Refresh planner statistics (and PostgreSQL's visibility map, for index-only scans) after
    a bulk load, as autovacuum would later."""
    engine = db.session.get_bind()
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table_name in ("enquiry", "enquiry_event", "enquiry_tag"):
            connection.execute(text(f"{statement} {table_name}"))


def _insert(rng: random.Random, rows: list[dict]) -> None:
    db.session.execute(insert(Enquiry), rows)
    # Ids by the unique public id: multi-row RETURNING keeps no order on SQLite.
    public_ids = [row["public_id"] for row in rows]
    found = db.session.execute(
        select(Enquiry.id, Enquiry.created_at).where(Enquiry.public_id.in_(public_ids))
    ).all()
    ids = [enquiry_id for enquiry_id, _ in found]
    events = [
        {"enquiry_id": enquiry_id, "kind": "received", "actor_id": None, "created_at": created}
        for enquiry_id, created in found
    ]
    db.session.execute(insert(EnquiryEvent), events)
    tags = [
        {"enquiry_id": enquiry_id, "tag": tag}
        for enquiry_id in ids
        if rng.random() < 0.2
        for tag in rng.sample(TAGS, rng.randint(1, 2))
    ]
    if tags:
        db.session.execute(insert(EnquiryTag), tags)
