"""The overview: its numbers agree with direct SQL counts, the period is a filter, and the same
figures download as CSV and XLSX."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from portal.extensions import db
from portal.inbox.overview import Period, figures, utc_months
from portal.intake.models import Enquiry
from tests.factories import make_enquiry

NOW = datetime.now(UTC)


@pytest.fixture
def enquiries(app):
    """A year of enquiries with known properties (and one spam, one outside the period)."""
    made = []
    for index in range(24):
        made.append(
            make_enquiry(
                created_at=NOW - timedelta(days=15 * index + 1),
                enquiry_type=("talk", "course_workshop", "research_partnership")[index % 3],
                organisation_type=("municipality", "ngo")[index % 2],
                region=("vestfold", "oslo", "finnmark", None)[index % 4],
                co_creation=("thin", "thick", None)[index % 3],
                phase=("designing", None)[index % 2],
                status=("closed", "agreed", "new")[index % 3],
                outcome=("no_reply", "collaboration_started", None)[index % 3],
                first_responded_at=(
                    NOW - timedelta(days=15 * index + 1) + timedelta(days=index % 5)
                )
                if index % 3 != 2
                else None,
                source="embed" if index % 4 == 0 else "site",
                source_page="https://www.usn.no/forskning/sesam" if index % 4 == 0 else None,
            )
        )
    make_enquiry(status="spam", created_at=NOW - timedelta(days=2))
    make_enquiry(created_at=NOW - timedelta(days=900))
    return made


def sql(statement: str, **params) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(statement), params).all()]


def test_the_figures_agree_with_direct_sql_counts(enquiries):
    period = Period(date.today() - timedelta(days=365), date.today())
    data = figures(period)
    since = datetime.combine(period.start, datetime.min.time(), tzinfo=UTC) - timedelta(hours=2)
    where = "created_at >= :since AND status != 'spam'"
    [(total,)] = sql(f"SELECT count(*) FROM enquiry WHERE {where}", since=since)
    assert data.total == total == 24
    for name in ("enquiry_type", "organisation_type", "region", "co_creation", "phase", "outcome"):
        direct = dict(
            sql(f"SELECT {name}, count(*) FROM enquiry WHERE {where} GROUP BY {name}", since=since)
        )
        assert data.counts[name] == direct, name
    [(answered,)] = sql(
        f"SELECT count(*) FROM enquiry WHERE {where} AND first_responded_at IS NOT NULL",
        since=since,
    )
    assert data.answered == answered == 16
    assert sum(data.response_days.values()) == answered
    assert data.percentile(0.5) in range(0, 5) and data.percentile(0.9) <= 4
    assert data.sources == [("www.usn.no", 6)]
    assert sum(sum(months.values()) for months in data.by_month.values()) == total
    received = select(Enquiry.created_at, Enquiry.enquiry_type).where(
        Enquiry.created_at >= since, Enquiry.status != "spam"
    )
    by_month: dict[str, dict[str, int]] = {}
    for created, enquiry_type in db.session.execute(received):
        month = by_month.setdefault(f"{created.astimezone(UTC):%Y-%m}", {})
        month[enquiry_type] = month.get(enquiry_type, 0) + 1
    assert data.by_month == by_month


def test_months_are_counted_in_utc_and_cut_to_the_period():
    oslo = ZoneInfo("Europe/Oslo")
    since = datetime(2025, 12, 15, tzinfo=oslo)  # 14 December, 23:00 in UTC
    until = datetime(2026, 2, 1, tzinfo=oslo)  # 31 January, 23:00 in UTC
    assert list(utc_months(since, until)) == [
        ("2025-12", since, datetime(2026, 1, 1, tzinfo=UTC)),
        ("2026-01", datetime(2026, 1, 1, tzinfo=UTC), until),
    ]
    assert list(utc_months(since, since)) == []


def test_the_overview_page_draws_each_chart_with_its_table(client, staff, enquiries):
    html = client.get("/inbox/overview/").get_data(as_text=True)
    assert html.count('<svg class="chart') == 9
    assert html.count('<table class="table table--data">') == 9
    assert 'style="' not in html and "<script>" not in html
    assert re.search(r'class="tile tile--\d" x="242" y="2"', html)  # Finnmark, top right


def test_a_period_that_is_not_one_gives_a_clear_message_and_a_sane_default(client, staff):
    response = client.get("/inbox/overview/?start=2026-12-31&end=2020-01-01")
    assert response.status_code == 200
    assert "Velg en start før slutten" in response.get_data(as_text=True)
    response = client.get("/inbox/overview/?start=31.12.2026&end=x")
    assert response.status_code == 200
    assert "Skriv en dato som 2026-03-31." in response.get_data(as_text=True)


def test_the_figures_download_as_csv_and_xlsx(client, staff, enquiries):
    year = f"?start={date.today() - timedelta(days=365)}&end={date.today()}"
    csv = client.get("/inbox/overview.csv" + year).get_data(as_text=True)
    assert csv.startswith("\ufeffDel;Kode;Navn;Antall")
    assert "Henvendelser;total;Alle henvendelser i perioden;24" in csv
    response = client.get("/inbox/overview.xlsx" + year)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Del", "Kode", "Navn", "Antall"]
    assert ["Henvendelser", "total", "Alle henvendelser i perioden", 24] in values
    assert len(values) == csv.strip().count("\n") + 1
