"""Builders for test data: ``make_staff``, ``make_enquiry`` (add + commit, in an app context)."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta

from portal.accounts.models import StaffUser
from portal.accounts.passwords import hash_password
from portal.extensions import db
from portal.intake.forms import source_host
from portal.intake.models import Enquiry
from portal.timestamps import utcnow

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_staff(
    email: str | None = None,
    name: str | None = None,
    role: str = "staff",
    password: str | None = DEFAULT_PASSWORD,
    active: bool = True,
    lang: str = "nb",
) -> StaffUser:
    """A committed staff account (``password=None`` leaves it without one)."""
    number = next(_numbers)
    user = StaffUser(
        email=(email or f"staff{number}@example.org").lower(),
        name=name or f"Staff Member {number}",
        role=role,
        active=active,
        lang=lang,
        password_hash=hash_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_enquiry(**overrides) -> Enquiry:
    """A committed enquiry as the public form would store it; any column can be overridden.

    Each call is received a minute after the previous one (ids and times rise together).
    """
    number = next(_numbers)
    created = overrides.pop("created_at", None) or utcnow() - timedelta(minutes=100_000 - number)
    values = {
        "reference": f"SESAM-{created.year}-{number:05d}",
        "ref_year": created.year,
        "ref_seq": number,
        "public_id": secrets.token_hex(16),
        "form_nonce": secrets.token_hex(16),
        "name": "Kari Nordmann",
        "email": f"kari{number}@example.org",
        "organisation": "Eksempel kommune",
        "organisation_type": "municipality",
        "enquiry_type": "co_creation_support",
        "region": "vestfold",
        "problem": "Unge uten arbeid trenger bedre oppfølging fra flere tjenester samtidig.",
        "lang": "nb",
        "privacy_version": "2026-11-28",
        "source": "site",
        "status": "new",
        "priority": "normal",
        "contact_preference": "email",
        "keep_in_touch": False,
        "created_at": created,
        "updated_at": created,
        "first_response_due": (created + timedelta(days=5)).date(),
    }
    values.update(overrides)
    values.setdefault("source_host", source_host(values.get("source_page")))  # as intake does
    enquiry = Enquiry(**values)
    db.session.add(enquiry)
    db.session.commit()
    return enquiry


def make_consenting_enquiries() -> tuple[Enquiry, Enquiry]:
    """Two enquirers who agreed on 2 March 2026 to be contacted later: the first still agrees,
    the second withdrew on 1 April 2026."""
    given = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    kept = make_enquiry(keep_in_touch=True, keep_in_touch_at=given)
    withdrawn = make_enquiry(
        keep_in_touch=True,
        keep_in_touch_at=given,
        keep_in_touch_withdrawn_at=datetime(2026, 4, 1, 10, 0, tzinfo=UTC),
    )
    return kept, withdrawn
