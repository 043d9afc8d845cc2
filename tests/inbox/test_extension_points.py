"""What other features plug into the inbox: list filters with chips, and side panels on a case."""

from __future__ import annotations

import re

import pytest
from jinja2 import ChoiceLoader, DictLoader

from portal.inbox import filters as list_filters
from portal.inbox import panels
from portal.inbox.queries import Filters, enquiry_page, status_counts
from portal.intake.models import Enquiry
from tests.factories import make_enquiry, make_staff
from tests.staff_forms import hx_post


@pytest.fixture
def by_region(monkeypatch):
    """A filter as a feature would add it: ``?where=east|west`` by region."""
    monkeypatch.setattr(list_filters, "LIST_FILTERS", dict(list_filters.LIST_FILTERS))
    regions = {"east": "ostfold", "west": "vestland"}
    return list_filters.register_list_filter(
        "where",
        "Side of the country",
        {"east": "East", "west": "West"},
        lambda value, viewer_id: Enquiry.region == regions[value],
    )


def refs(page) -> list[str]:
    return [row.reference for row in page.rows]


def test_an_added_filter_narrows_the_list_its_counts_and_the_csv(client, staff, by_region):
    east = make_enquiry(region="ostfold", status="new")
    west = make_enquiry(region="vestland", status="triaged")
    assert refs(enquiry_page(Filters(extra=(("where", "east"),)), staff.id)) == [east.reference]
    counts = status_counts(Filters(extra=(("where", "west"),)), staff.id)
    assert (counts["new"], counts["triaged"]) == (0, 1)

    html = client.get("/inbox/?where=west").get_data(as_text=True)
    assert west.reference in html and east.reference not in html
    assert re.search(r'<option value="west" selected>\s*West', html)
    csv = client.get("/inbox/export.csv?where=east").get_data(as_text=True)
    assert east.reference in csv and west.reference not in csv


def test_an_unknown_value_of_an_added_filter_is_ignored(client, staff, by_region):
    east = make_enquiry(region="ostfold")
    west = make_enquiry(region="vestland")
    response = client.get("/inbox/?where=north")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert east.reference in html and west.reference in html
    assert 'class="chips"' not in html


def test_active_filters_show_as_chips_that_remove_themselves(client, login, by_region):
    login(client, make_staff(lang="en"))
    make_enquiry(region="ostfold")
    html = client.get("/inbox/?where=east&status=new").get_data(as_text=True)
    chips = re.findall(r'<li class="chip">.*?</li>', html, flags=re.S)
    assert len(chips) == 2
    status_chip = next(chip for chip in chips if "Status: New" in chip)
    assert 'href="/inbox/?where=east"' in status_chip
    assert 'aria-label="Remove the filter Status: New"' in status_chip
    where_chip = next(chip for chip in chips if "Side of the country: East" in chip)
    assert 'href="/inbox/?status=new"' in where_chip
    # The filter panel stays folded and says how many filters are on.
    assert re.search(
        r'<summary class="filter-panel__toggle">Filter <span class="count">2</span>', html
    )


def test_counts_follow_the_built_in_filters_too(app):
    make_enquiry(region="ostfold", status="new")
    make_enquiry(region="vestland", status="new")
    make_enquiry(region="vestland", status="closed")
    assert status_counts()["new"] == 2
    counts = status_counts(Filters(region="vestland", status="closed"), None)
    assert (counts["new"], counts["closed"]) == (1, 1)
    counts = status_counts(Filters(q="oppfølging", region="ostfold"), None)
    assert (counts["new"], counts["closed"]) == (1, 0)


@pytest.fixture
def hold_panel(app, monkeypatch):
    """A side panel as a feature would add it, with a template of its own."""
    monkeypatch.setattr(panels, "CASE_PANELS", dict(panels.CASE_PANELS))
    template = (
        '<section class="panel" id="panel-hold" aria-labelledby="hold-h">'
        '<h2 id="hold-h">Hold</h2><p>{{ panel_data.hold }} for {{ enquiry.reference }}</p>'
        "</section>"
    )
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"test/_hold.html": template}), loader])
    yield panels.register_case_panel(
        "hold", "test/_hold.html", lambda enquiry: f"no hold on {enquiry.id}"
    )
    app.jinja_env.loader = loader


def test_an_added_panel_shows_on_the_page_and_as_its_own_fragment(client, staff, hold_panel):
    enquiry = make_enquiry()
    html = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    side = html[html.index('class="case__side"') :]
    assert side.index('id="triage"') < side.index('id="panel-hold"')
    assert f"no hold on {enquiry.id} for {enquiry.reference}" in side

    fragment = client.get(
        f"/inbox/enquiries/{enquiry.id}", headers={"HX-Request": "true", "HX-Target": "panel-hold"}
    ).get_data(as_text=True)
    assert fragment.startswith('<section class="panel" id="panel-hold"')
    # A change elsewhere on the page still answers with its own fragment.
    response = hx_post(
        client, f"/inbox/enquiries/{enquiry.id}/status", {"status": "triaged"}, target="triage"
    )
    assert 'id="triage"' in response.get_data(as_text=True)


def test_outcomes_filter_the_list_and_go_into_the_csv(client, staff):
    referred = make_enquiry(status="closed", outcome="referred", outcome_referred_to="NAV Vestfold")
    started = make_enquiry(status="agreed", outcome="collaboration_started")
    html = client.get("/inbox/?outcome=referred&status=closed").get_data(as_text=True)
    assert referred.reference in html and started.reference not in html
    assert "Utfall: Sendt videre" in html  # its chip
    csv = client.get("/inbox/export.csv?outcome=referred&status=closed").get_data(as_text=True)
    assert "Sendt videre;NAV Vestfold" in csv and started.reference not in csv
