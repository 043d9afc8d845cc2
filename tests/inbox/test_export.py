"""CSV export of the filtered list: UTF-8 with BOM, ';'-separated, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.inbox import services
from portal.inbox.export import safe_cell
from tests.factories import make_enquiry


def rows_of(response) -> list[list[str]]:
    """The CSV rows (the streamed body is read at once, inside the test's context)."""
    text = response.get_data().decode("utf-8")
    response.close()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_export_is_an_attachment_with_a_bom_and_a_header(client, staff):
    enquiry = make_enquiry(name="Åse Ødegård", organisation="Nærøysund kommune", region="trondelag")
    response = client.get("/inbox/export.csv")
    header, row = rows_of(response)
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="sesam-enquiries-')
    assert response.headers["Cache-Control"] == "no-store"
    assert header[:3] == ["Saksnummer", "Mottatt", "Status"]
    record = dict(zip(header, row, strict=True))
    assert record["Saksnummer"] == enquiry.reference
    assert record["Navn"] == "Åse Ødegård" and record["Organisasjon"] == "Nærøysund kommune"
    assert record["Region"] == "Trøndelag" and record["Status"] == "Ny"
    exports = select(AuditEntry.actor_id).where(AuditEntry.kind == "export.csv")
    assert db.session.scalars(exports).all() == [staff.id]  # audited


def test_the_export_follows_the_filters_and_includes_every_page(client, staff):
    for _ in range(30):
        make_enquiry(status="triaged", problem="Felles tema om bolig.")
    make_enquiry(status="new", problem="Noe annet.")
    rows = rows_of(client.get("/inbox/export.csv?status=triaged&q=bolig"))
    assert len(rows) == 31  # header + 30: more than one page of the list


def test_tags_are_in_the_export(client, staff):
    enquiry = make_enquiry()
    services.set_tags(enquiry.id, ["ungdom", "kurs høst"], staff.id)
    header, row = rows_of(client.get("/inbox/export.csv"))
    assert dict(zip(header, row, strict=True))["Merkelapper"] == "kurs høst, ungdom"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(start):
    assert safe_cell(start + "1+1") == "'" + start + "1+1"


def test_harmless_cells_are_unchanged():
    assert safe_cell("Kari") == "Kari"
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"
    assert safe_cell("a=b") == "a=b"


def test_formulas_from_enquirers_are_inert_in_the_file(client, staff):
    make_enquiry(
        name='=HYPERLINK("http://evil.example","x")',
        organisation="+cmd|' /C calc'!A0",
        problem="-2+3 er ikke en formel her, men kunne blitt det.",
        message="@SUM(1+1)",
    )
    header, row = rows_of(client.get("/inbox/export.csv"))
    record = dict(zip(header, row, strict=True))
    assert record["Navn"] == '\'=HYPERLINK("http://evil.example","x")'
    assert record["Organisasjon"].startswith("'+cmd")
    assert record["Det sosiale problemet"].startswith("'-2+3")
    assert record["Annet"] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_the_export_shows_consent_as_it_stands(client, staff):
    from datetime import UTC, datetime

    given = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    kept = make_enquiry(keep_in_touch=True, keep_in_touch_at=given)
    withdrawn = make_enquiry(
        keep_in_touch=True,
        keep_in_touch_at=given,
        keep_in_touch_withdrawn_at=datetime(2026, 4, 1, 10, 0, tzinfo=UTC),
    )
    never = make_enquiry()
    header, *rows = rows_of(client.get("/inbox/export.csv"))
    consent = {row[0]: dict(zip(header, row, strict=True))["Kan kontaktes senere"] for row in rows}
    assert consent == {
        kept.reference: "Ja, fra 2026-03-02",
        withdrawn.reference: "Trukket tilbake 2026-04-01",
        never.reference: "Nei",
    }
