"""The list page shows each change at once: rows, the filter form per query, the staff, views."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from babel import dates

from portal.accounts import services as accounts
from portal.extensions import db
from portal.inbox import formatting, services
from portal.inbox.queries import Filters, enquiry_page
from tests.factories import make_enquiry, make_staff
from tests.staff_forms import post


def row_of(html: str, reference: str) -> str:
    """The list row (``<tr>…</tr>``) that links ``reference``."""
    for row in re.findall(r"<tr[ >].*?</tr>", html, flags=re.S):
        if f">{reference}</a>" in row:
            return row
    raise AssertionError(f"no row for {reference}")


def test_a_row_shows_every_change_at_once(client, staff):
    enquiry = make_enquiry(name="Solveig Lunde", status="new")
    before = row_of(client.get("/inbox/").get_data(as_text=True), enquiry.reference)
    assert "Solveig Lunde" in before and "badge--status-new" in before

    services.set_status(enquiry.id, "in_dialogue", staff.id)
    services.assign(enquiry.id, staff.id, staff.id)
    services.set_tags(enquiry.id, ["kommune-nettverk"], staff.id)
    after = row_of(client.get("/inbox/").get_data(as_text=True), enquiry.reference)
    assert "badge--status-in_dialogue" in after
    assert staff.name in after
    assert '<span class="tag">kommune-nettverk</span>' in after

    services.set_tags(enquiry.id, [], staff.id)
    cleared = row_of(client.get("/inbox/").get_data(as_text=True), enquiry.reference)
    assert 'class="tag"' not in cleared


def test_rows_and_filters_are_kept_per_language(client, staff):
    enquiry = make_enquiry(status="new", organisation_type="municipality")
    nb = client.get("/inbox/").get_data(as_text=True)
    accounts.update_profile(staff.id, name=staff.name, lang="en")
    en = client.get("/inbox/").get_data(as_text=True)
    assert ">Ny<" in row_of(nb, enquiry.reference)
    assert ">New<" in row_of(en, enquiry.reference)
    assert "Any region" in en and "Any region" not in nb


def test_the_filter_form_keeps_what_each_query_asked_for(client, staff):
    first = client.get("/inbox/?status=closed&q=eldre").get_data(as_text=True)
    second = client.get("/inbox/?status=spam").get_data(as_text=True)
    again = client.get("/inbox/?q=eldre&status=closed&after=bogus").get_data(as_text=True)
    assert '<option selected value="closed">' in first and 'value="eldre"' in first
    assert '<option selected value="spam">' in second and 'value="eldre"' not in second
    assert '<option selected value="closed">' in again  # paging does not change the form


def test_a_bad_filter_is_refused_each_time_it_is_asked_for(client, staff):
    for _ in range(2):
        html = client.get("/inbox/?status=nonsense&received_from=31.02").get_data(as_text=True)
        assert "Velg ett av alternativene." in html
        assert "Skriv en dato som 2026-03-31." in html


def test_a_new_colleague_is_offered_at_once(client, staff):
    make_enquiry()  # the bulk actions show under a list that has rows
    client.get("/inbox/")
    colleague = accounts.create_user(
        email="ny.kollega@example.org", name="Ny Kollega", role="staff", lang="nb"
    )
    html = client.get("/inbox/").get_data(as_text=True)
    assert html.count(f'<option value="{colleague.id}">Ny Kollega</option>') == 2  # filter, bulk

    accounts.deactivate(colleague.id, actor_id=staff.id)
    assert "Ny Kollega" not in client.get("/inbox/").get_data(as_text=True)


def test_the_rows_carry_their_tags_in_order(app):
    who = make_staff()
    tagged, plain = make_enquiry(), make_enquiry()
    services.set_tags(tagged.id, ["ungdom", "bolig", "kommune-nettverk"], who.id)
    db.session.commit()
    page = enquiry_page(Filters(), None)
    assert page.tags == {tagged.id: ["bolig", "kommune-nettverk", "ungdom"]}
    assert plain.id not in page.tags


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_ages_read_as_babel_writes_them(app, lang):
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    locale = formatting._locale_for(lang)
    seconds = [0, 0.4, 1, 44, 59.6, 60, 89, 3599.9, 3600, 5400, 86399, 86400, 86400 * 6.5]
    seconds += [86400 * 29.9, 86400 * 45, 86400 * 364.9, 86400 * 400, 86400 * 800]
    with (
        mock.patch.object(formatting, "utcnow", return_value=now),
        mock.patch.object(formatting, "_locale", return_value=locale),
    ):
        for value in seconds:
            expected = dates.format_timedelta(
                timedelta(seconds=value), threshold=1, format="short", locale=locale
            )
            assert formatting.age(now - timedelta(seconds=value)) == expected, value


def test_a_saved_view_shows_in_every_worker_at_once(make_app, client, staff):
    """Another worker process (here: a second app) shows a view saved through the first."""
    other_worker = make_app().test_client()

    def toolbar(worker) -> str:
        worker.set_cookie(cookie.key, cookie.value)
        return worker.get("/inbox/").get_data(as_text=True)

    link = '<a href="/inbox/?assignee=me">Mine kommuner</a>'
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert link not in toolbar(other_worker)
    post(client, "/inbox/views", {"name": "Mine kommuner", "query": "assignee=me"})
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert link in toolbar(other_worker)
