"""What the application cache keeps (portal.web.caching): each declared thing is served from the
cache, keyed as declared, and a change that must show at once invalidates it on every instance."""

from __future__ import annotations

import os
import re
from dataclasses import replace

import pytest
from flask_caching import make_template_fragment_key

from portal.extensions import cache
from portal.inbox import services
from portal.inbox.queries import Filters, status_counts
from portal.web.caching import ENQUIRY_FORM_FIELDS, PUBLIC_PAGES, STATUS_COUNTS
from tests.conftest import empty_redis_database
from tests.factories import make_enquiry, make_staff
from tests.intake.enquiry_builders import token_in

SHARED_CACHE_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/6")
MARK = "<p>kept in the cache</p>"


def _fields_key(lang: str, root: str = "", where: str = "site") -> str:
    """The questions' key: per language, mount point, and site or frame (whose links out of
    the frame open a new tab)."""
    return make_template_fragment_key(ENQUIRY_FORM_FIELDS.key, vary_on=[lang, root, where])


def _without_token(page: str) -> str:
    return re.sub(r'name="form_token" type="hidden" value="[^"]*"', "", page)


# ----------------------------------------------------------------------- the new form's questions


def test_a_new_forms_questions_come_from_the_cache_around_a_fresh_token(app, client):
    first = client.get("/kontakt").get_data(as_text=True)
    kept = cache.get(_fields_key("nb"))
    assert 'name="problem"' in kept and 'name="form_token"' not in kept
    cache.set(_fields_key("nb"), MARK)
    cache.set(_fields_key("nb", where="framed"), MARK)
    pages = [client.get(path).get_data(as_text=True) for path in ("/kontakt", "/embed/kontakt")]
    for page in pages:
        assert MARK in page and 'name="problem"' not in page
    assert len({token_in(page) for page in [first, *pages]}) == 3  # every visitor their own
    assert MARK not in client.get("/en/contact").get_data(as_text=True)  # per language


def test_the_cached_questions_are_what_rendering_them_afresh_gives(make_app):
    cached = make_app().test_client()
    fresh = make_app(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True).test_client()
    for path in ("/nn/kontakt", "/en/embed/contact"):
        cached.get(path)  # fills the cache
        from_cache = cached.get(path).get_data(as_text=True)
        assert _without_token(from_cache) == _without_token(fresh.get(path).get_data(as_text=True))


def test_a_prefilled_or_refused_form_is_rendered_afresh(app, client):
    cache.set(_fields_key("nb"), MARK)
    prefilled = client.get("/kontakt?enquiry_type=talk").get_data(as_text=True)
    assert MARK not in prefilled
    assert re.search(r'<input checked [^>]*value="talk"', prefilled)
    refused = client.post("/kontakt", data={"name": "Kari"}).get_data(as_text=True)
    assert MARK not in refused and 'value="Kari"' in refused


def test_the_questions_are_kept_per_mount_point(app):
    with app.test_client() as client:
        client.get("/kontakt", base_url="http://localhost/sesam/")
    assert cache.get(_fields_key("nb", "/sesam")) is not None
    assert cache.get(_fields_key("nb")) is None


# ----------------------------------------------------------------------- public pages


def test_a_public_page_is_rendered_once_and_then_served_from_the_cache(app, client):
    first = client.get("/en/privacy").get_data(as_text=True)
    key = f"{PUBLIC_PAGES.key}:/en/privacy"
    assert cache.get(key) == first
    cache.set(key, MARK)
    assert client.get("/en/privacy").get_data(as_text=True) == MARK
    assert client.get("/personvern").get_data(as_text=True) != MARK  # per language


# ----------------------------------------------------------------------- status counts


def test_status_counts_are_cached(app):
    make_enquiry(status="new")
    assert status_counts()["new"] == 1
    make_enquiry(status="new")  # stored past the inbox (as intake does): shown within the timeout
    assert status_counts()["new"] == 1
    assert cache.get(STATUS_COUNTS.key)["new"] == 1


def test_a_change_through_the_inbox_updates_the_counts_at_once(app):
    staff = make_staff()
    enquiry = make_enquiry(status="new")
    assert (status_counts()["new"], status_counts()["triaged"]) == (1, 0)
    services.set_status(enquiry.id, "triaged", staff.id)
    assert (status_counts()["new"], status_counts()["triaged"]) == (0, 1)
    services.bulk_update([enquiry.id], "spam", None, staff.id)
    assert (status_counts()["triaged"], status_counts()["spam"]) == (0, 1)


MUNICIPALITIES = Filters(organisation_type="municipality")


def test_counts_under_a_filter_are_cached_once_for_every_tab_and_order(app):
    make_enquiry(status="new", organisation_type="municipality")
    make_enquiry(status="new", organisation_type="ngo")
    assert status_counts(MUNICIPALITIES)["new"] == 1
    make_enquiry(status="new", organisation_type="municipality")  # past the inbox, as intake
    for tab in (
        replace(MUNICIPALITIES, status="new"),
        replace(MUNICIPALITIES, overdue=True, sort="due", order="asc"),
    ):
        assert status_counts(tab)["new"] == 1  # the same entry
    assert status_counts(Filters(organisation_type="ngo"))["new"] == 1  # another filter's own


def test_a_change_through_the_inbox_updates_the_counts_under_every_filter_at_once(app):
    staff = make_staff()
    enquiry = make_enquiry(status="new", organisation_type="municipality", problem="Ungdomsråd")
    searched = Filters(q="ungdomsråd")
    assert status_counts(MUNICIPALITIES)["new"] == status_counts(searched)["new"] == 1
    services.set_status(enquiry.id, "triaged", staff.id)
    for filters in (MUNICIPALITIES, searched):
        counts = status_counts(filters)
        assert (counts["new"], counts["triaged"]) == (0, 1)


def test_the_status_tabs_show_a_change_at_once(client, login):
    staff = login(client)
    enquiry = make_enquiry(status="new")
    tabs = re.compile(r'status=triaged"[^>]*>[^<]*<span class="count">(\d+)</span>')
    assert tabs.search(client.get("/inbox/").get_data(as_text=True)).group(1) == "0"
    services.set_status(enquiry.id, "triaged", staff.id)
    assert tabs.search(client.get("/inbox/").get_data(as_text=True)).group(1) == "1"


@pytest.fixture
def shared_cache():
    with empty_redis_database(SHARED_CACHE_URL) as url:
        yield url


def test_a_change_on_one_instance_updates_the_counts_on_every_other(make_app, shared_cache):
    """Two instances on one Redis: the change made through the first shows on the second."""
    first, second = (make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=shared_cache) for _ in "12")
    with second.app_context():
        staff_id, enquiry_id = make_staff().id, make_enquiry(status="new").id
        assert status_counts()["new"] == 1
    with first.app_context():
        assert status_counts()["new"] == 1  # the second's figure, from Redis
        services.set_status(enquiry_id, "closed", staff_id)
    with second.app_context():
        assert (status_counts()["new"], status_counts()["closed"]) == (0, 1)


def test_a_change_on_one_instance_updates_the_filtered_counts_on_every_other(
    make_app, shared_cache
):
    first, second = (make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=shared_cache) for _ in "12")
    with second.app_context():
        staff_id = make_staff().id
        enquiry_id = make_enquiry(status="new", organisation_type="municipality").id
        assert status_counts(MUNICIPALITIES)["new"] == 1
    with first.app_context():
        make_enquiry(status="new", organisation_type="municipality")  # past the inbox
        assert status_counts(MUNICIPALITIES)["new"] == 1  # the second's figure, from Redis
        services.set_status(enquiry_id, "closed", staff_id)
    with second.app_context():
        counts = status_counts(MUNICIPALITIES)
        assert (counts["new"], counts["closed"]) == (1, 1)
