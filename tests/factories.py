"""Test builders (add + flush, no commit): ``make_enquiry(**overrides)``."""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from portal.extensions import db
from portal.intake.models import Enquiry
from portal.timestamps import utcnow

_sequence = itertools.count(1)


def make_enquiry(**overrides) -> Enquiry:
    """An enquiry as the public form would store it; any column can be overridden."""
    seq = next(_sequence)
    created = overrides.pop("created_at", None) or utcnow() - timedelta(minutes=10_000 - seq)
    values = {
        "reference": f"SESAM-{created.year}-{seq:05d}",
        "ref_year": created.year,
        "ref_seq": seq,
        "public_id": secrets.token_hex(16),
        "form_nonce": secrets.token_hex(16),
        "name": "Kari Nordmann",
        "email": f"kari{seq}@example.org",
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
    enquiry = Enquiry(**values)
    db.session.add(enquiry)
    db.session.flush()
    return enquiry
