"""Holds set by staff on an enquiry's page: audited, kept from the purge, bad input answered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.privacy import retention
from tests.factories import make_enquiry
from tests.staff_forms import hx_post, post

OLD = datetime(2020, 1, 1, tzinfo=UTC)


def _hold_url(enquiry) -> str:
    return f"/inbox/enquiries/{enquiry.id}/hold"


def test_the_page_shows_the_hold_panel(client, staff):
    enquiry = make_enquiry()
    html = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert 'id="panel-hold"' in html and "Ingen tilbakeholdelse." in html


def test_staff_set_a_journaled_hold_and_the_purge_skips_it(app, client, staff):
    enquiry = make_enquiry(status="closed", created_at=OLD, updated_at=OLD)
    response = post(
        client, _hold_url(enquiry), {"hold-kind": "journaled", "hold-reference": " 2026/01234-3 "}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (enquiry.hold_kind, enquiry.hold_reference) == ("journaled", "2026/01234-3")
    [audit] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind.like("privacy.%"))).all()
    assert (audit.kind, audit.actor_id, audit.target) == (
        "privacy.hold_set",
        staff.id,
        enquiry.reference,
    )
    app.config["RETENTION_MONTHS"] = 0
    assert retention.purge().anonymised == 0
    assert retention.dry_run().held == [(enquiry.reference, "journaled", "2026/01234-3")]
    html = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "Journalført (2026/01234-3)" in html and staff.name in html


def test_lifting_the_hold_over_htmx_answers_the_panel(app, client, staff):
    enquiry = make_enquiry(hold_kind="legal")
    response = hx_post(client, _hold_url(enquiry), {"hold-kind": ""}, target="panel-hold")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and 'id="panel-hold"' in html
    assert "Tilbakeholdelsen er lagret." in html  # in the live region, out of band
    db.session.expire_all()
    assert enquiry.hold_kind is None
    assert db.session.scalar(select(AuditEntry.kind).order_by(AuditEntry.id.desc())) == (
        "privacy.hold_lifted"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hold-kind": "journaled", "hold-reference": ""}, "Skriv arkivreferansen"),
        ({"hold-kind": "journaled", "hold-reference": "x" * 101}, "Bruk høyst 100 tegn."),
        ({"hold-kind": "forever"}, "Not a valid choice"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_what_was_typed(client, staff, data, message):
    enquiry = make_enquiry()
    response = hx_post(client, _hold_url(enquiry), data, target="panel-hold")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html or "gyldig" in html
    if data.get("hold-reference"):
        assert data["hold-reference"] in html
    db.session.expire_all()
    assert enquiry.hold_kind is None


def test_an_anonymised_enquiry_takes_no_hold(client, staff):
    enquiry = make_enquiry(anonymised_at=OLD, name="")
    response = post(client, _hold_url(enquiry), {"hold-kind": "legal"})
    assert response.status_code == 200
    db.session.expire_all()
    assert enquiry.hold_kind is None


def test_an_unknown_enquiry_is_a_404(client, staff):
    assert post(client, "/inbox/enquiries/987654/hold", {"hold-kind": "legal"}).status_code == 404


def test_the_list_filters_by_consent_as_it_stands(client, staff):
    given = make_enquiry(keep_in_touch=True, keep_in_touch_at=OLD, name="Gitt Samtykke")
    withdrawn = make_enquiry(
        keep_in_touch=True,
        keep_in_touch_at=OLD,
        keep_in_touch_withdrawn_at=OLD,
        name="Trakk Tilbake",
    )
    never = make_enquiry(name="Aldri Spurt")
    shown = {}
    for value in ("given", "withdrawn", "never"):
        html = client.get("/inbox/", query_string={"consent": value}).get_data(as_text=True)
        shown[value] = {e.reference for e in (given, withdrawn, never) if e.reference in html}
    assert shown == {
        "given": {given.reference},
        "withdrawn": {withdrawn.reference},
        "never": {never.reference},
    }
    assert db.session.get(Enquiry, withdrawn.id).keep_in_touch_withdrawn_at is not None
