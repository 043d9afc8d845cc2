"""The admins' audit viewer: what is audited, filters, keyset pages, bad input, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.audit.trail import record
from portal.extensions import db
from tests.accounts.support import try_login
from tests.factories import DEFAULT_PASSWORD, make_staff

VIEWER = "/inbox/admin/audit/"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin(client, login):
    user = make_staff(email="ada@example.org", name="Ada Admin", role="admin", lang="en")
    login(client, user)
    return user


def _kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))


def test_logins_and_account_changes_are_audited(app, client):
    user = make_staff(email="kari@example.org")
    try_login(client, "kari@example.org", "wrong password")
    try_login(client, "nobody@example.org", "wrong password")  # an unknown address: not kept
    try_login(client, "kari@example.org", DEFAULT_PASSWORD)
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.kind, r.actor_id, r.target, r.detail) for r in rows] == [
        ("login.failure", None, f"staff:{user.id}", "wrong_password"),
        ("login.success", user.id, f"staff:{user.id}", None),
    ]


def test_only_admins_see_the_trail(client, login):
    login(client, make_staff(role="staff"))
    assert client.get(VIEWER).status_code == 403
    assert client.get(VIEWER + "audit.csv").status_code == 403


def test_the_viewer_lists_newest_first_and_filters(client, admin):
    other = make_staff(name="Ola Other")
    record("account.created", actor_id=other.id, target="staff:9", at=T0)
    record("export.csv", actor_id=admin.id, at=T0 + timedelta(days=1))
    record(
        "enquiry.anonymised",
        target="SESAM-2023-0001",
        detail="retention",
        at=T0 + timedelta(days=2),
    )
    db.session.commit()
    html = client.get(VIEWER).get_data(as_text=True)
    assert html.index("SESAM-2023-0001") < html.index("export.csv") < html.index("account.created")
    assert "The system" in html
    html = client.get(VIEWER, query_string={"person": other.id}).get_data(as_text=True)
    assert "account.created" in html and "export.csv" not in html
    html = client.get(VIEWER, query_string={"kind": "enquiry"}).get_data(as_text=True)
    assert "SESAM-2023-0001" in html and "account.created" not in html
    html = client.get(VIEWER, query_string={"since": "2026-11-03", "until": "2026-11-03"}).get_data(
        as_text=True
    )
    assert "export.csv" in html and "SESAM-2023-0001" not in html and "account.created" not in html


def test_pages_follow_by_keyset(client, admin):
    for number in range(120):
        record("export.csv", actor_id=admin.id, target=f"t{number:03d}", at=T0)  # same moment
    db.session.commit()
    seen, url, pages = [], VIEWER, 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += [f"t{n:03d}" for n in range(120) if f">t{n:03d}<" in html]
        pages += 1
        marker = 'href="/inbox/admin/audit/?after='
        url = (
            html[html.index(marker) + 6 : html.index('"', html.index(marker) + 6)].replace(
                "&amp;", "&"
            )
            if marker in html
            else None
        )
    assert pages == 3 and sorted(seen) == [f"t{n:03d}" for n in range(120)] and len(seen) == 120


@pytest.mark.parametrize(
    "args",
    [
        {"after": "abc"},
        {"after": "١٢٣.4"},  # non-ASCII digits
        {"after": "1.99999999999999999999"},
        {"after": "9999999999999999999.1"},
        {"after": "-5.3"},
    ],
)
def test_a_malformed_cursor_is_a_400(client, admin, args):
    assert client.get(VIEWER, query_string=args).status_code == 400


@pytest.mark.parametrize(
    "args",
    [
        {"since": "2026-13-01"},
        {"until": "٢٠٢٦-٠١-٠١"},
        {"person": "99999999999999999999"},
        {"person": "x"},
        {"kind": "nothing"},
    ],
)
def test_a_bad_filter_is_a_400_with_a_clear_message_and_the_input_kept(client, admin, args):
    response = client.get(VIEWER, query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "error-summary" in html


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_ends_of_the_calendar_are_no_500(client, admin, day):
    record("export.csv", actor_id=admin.id, at=T0)
    db.session.commit()
    for args in ({"since": day}, {"until": day}, {"since": day, "until": day}):
        assert client.get(VIEWER, query_string=args).status_code == 200


def test_the_csv_holds_the_filtered_trail_and_is_audited(client, admin):
    record("enquiry.anonymised", target="SESAM-2023-0001", detail="=cmd()", at=T0)
    record("login.success", actor_id=admin.id, at=T0)
    db.session.commit()
    response = client.get(VIEWER + "audit.csv", query_string={"kind": "enquiry"})
    text = response.get_data().decode("utf-8")
    assert response.status_code == 200 and text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert header == ["Time", "Person", "Kind of act", "Concerns", "Detail"]
    assert [row[2:] for row in rows] == [["enquiry.anonymised", "SESAM-2023-0001", "'=cmd()"]]
    assert _kinds()[-1] == "export.audit"
