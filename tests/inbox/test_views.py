"""The inbox over HTTP: pages and fragments, plain POSTs and htmx, CSRF, bad input, languages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.inbox import replies, rules, saved_views
from portal.inbox.models import EnquiryTag
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.models import OutboxMessage
from tests.factories import make_consenting_enquiries, make_enquiry, make_staff
from tests.staff_forms import hx_post, post

DETAIL = "/inbox/enquiries/{}"


def kinds(enquiry_id: int) -> list[str]:
    stmt = select(EnquiryEvent.kind).where(EnquiryEvent.enquiry_id == enquiry_id)
    return list(db.session.scalars(stmt.order_by(EnquiryEvent.id)))


def fresh(enquiry_id: int) -> Enquiry:
    db.session.expire_all()
    return db.session.get(Enquiry, enquiry_id)


# --------------------------------------------------------------------------- the list


def test_the_list_is_a_page_never_cached(client, staff):
    enquiry = make_enquiry(name="Astrid Strand", organisation="Bø kommune")
    response = client.get("/inbox/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith("<!doctype html>")
    assert enquiry.reference in html and "Astrid Strand" in html and "Bø kommune" in html
    assert f'href="/inbox/enquiries/{enquiry.id}"' in html


def test_htmx_filtering_gets_only_the_results_fragment(client, staff):
    wanted = make_enquiry(status="triaged")
    other = make_enquiry(status="new")
    response = client.get(
        "/inbox/?status=triaged", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="bulk"' in html and wanted.reference in html and other.reference not in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_filter_form_shows_the_filters_from_the_url(client, staff):
    html = client.get("/inbox/?q=bolig&status=open&overdue=y&sort=due&order=asc").get_data(
        as_text=True
    )
    assert 'value="bolig"' in html
    assert re.search(r'<option selected value="open">|<option value="open" selected', html)
    assert re.search(r'id="overdue"[^>]*checked|checked[^>]*id="overdue"', html)
    assert 'hx-push-url="true"' in html and 'hx-get="/inbox/"' in html


def test_paging_links_keep_the_filters(client, staff):
    for _ in range(27):
        make_enquiry(status="triaged")
    html = client.get("/inbox/?status=triaged").get_data(as_text=True)
    link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "status=triaged" in link and "after=" in link
    second = client.get(link).get_data(as_text=True)
    assert second.count('name="ids"') == 2
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    "query",
    [
        "sort=<script>alert(1)</script>",
        "order=%22><img src=x onerror=alert(1)>",
        "status=';--&enquiry_type=\u202e&region=0",
        "received_from=2026-13-45&received_to=yesterday",
        "assignee=-1&assignee=me",
        "after=0-1-1&before=zz",
        "q=" + "a" * 5000,
        "tag=<b>x</b>",
        "overdue=<svg onload=alert(1)>",
        "sort=__class__&order=__init__",
    ],
)
def test_junk_in_the_query_string_is_never_an_error_or_reflected_raw(client, staff, query):
    make_enquiry()
    response = client.get("/inbox/?" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for raw in ("<script>alert(1)", "<img src=x", "<svg onload", "<b>x</b>"):
        assert raw not in html


def test_an_invalid_date_filter_says_so(client, staff):
    html = client.get("/inbox/?received_from=2026-02-31").get_data(as_text=True)
    assert "Skriv en dato som 2026-03-31." in html  # nb: the default language


def test_the_list_speaks_the_staff_members_language(client, login):
    login(client, user=make_staff(lang="nn"))
    assert "Førespurnader" in client.get("/inbox/").get_data(as_text=True)
    client2 = client.application.test_client()
    login(client2, user=make_staff(lang="en"))
    html = client2.get("/inbox/").get_data(as_text=True)
    assert "<h1>Enquiries</h1>" in html and '<html lang="en">' in html


# --------------------------------------------------------------------------- the detail page


def test_the_detail_shows_every_field_with_its_label(client, staff):
    enquiry = make_enquiry(
        phone="+47 99 99 99 99",
        message="Ring gjerne etter klokka ti.",
        affected="Ungdom mellom 16 og 20",
        accessibility_needs="Tolk",
        involvement="planned",
        co_creation="thick",
    )
    response = client.get(DETAIL.format(enquiry.id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for text in (
        "+47 99 99 99 99",
        "Ring gjerne etter klokka ti.",
        "Tykk samskaping",
        "Tolk",
        "Ungdom mellom 16 og 20",
        "Vestfold",
        "Det sosiale problemet",
    ):
        assert text in html, text
    assert "Tidslinje" in html


def test_the_detail_shows_withdrawn_consent_as_withdrawn_with_the_date(client, staff):
    kept, withdrawn = make_consenting_enquiries()
    html = client.get(DETAIL.format(kept.id)).get_data(as_text=True)
    assert "Ja, fra 2. mars 2026" in html
    html = client.get(DETAIL.format(withdrawn.id)).get_data(as_text=True)
    assert "Nei: samtykket ble trukket tilbake 1. apr. 2026" in html and "Ja, fra" not in html


def test_an_unknown_enquiry_is_a_404(client, staff):
    assert client.get(DETAIL.format(987654)).status_code == 404


@pytest.mark.parametrize(
    ("target", "marker"),
    [("timeline", 'id="timeline"'), ("triage", 'id="triage"'), ("reply", 'id="reply"')],
)
def test_the_detail_renders_the_fragment_htmx_asks_for(client, staff, target, marker):
    enquiry = make_enquiry()
    response = client.get(
        DETAIL.format(enquiry.id), headers={"HX-Request": "true", "HX-Target": target}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("{#") is False and marker in html
    assert 'id="enquiry-heading"' not in html


# The handling panel's form as it comes, unchanged (its one Save sends every field).
TRIAGE = {
    "status": "new",
    "outcome": "",
    "outcome_referred_to": "",
    "outcome_text": "",
    "assignee": "",
    "priority": "normal",
    "tags": "",
    "follow_up_on": "",
}
SAVED = "Behandlingen er lagret."
# Every change on an enquiry's page: its path, valid data (``"staff"`` as the assignee: the
# signed-in member), a check that it was made, and its message.
CHANGES = {
    "status": (
        "status",
        {"status": "spam"},
        lambda e, s: e.status == "spam",
        "Statusen er lagret.",
    ),
    "assign": ("triage", {"assignee": "staff"}, lambda e, s: e.assignee_id == s.id, SAVED),
    "priority": ("triage", {"priority": "high"}, lambda e, s: e.priority == "high", SAVED),
    "tags": (
        "triage",
        {"tags": "ungdom, Kurs høst"},
        lambda e, s: tags_of(e.id) == ["kurs høst", "ungdom"],
        SAVED,
    ),
    "follow-up": (
        "triage",
        {"follow_up_on": "2026-06-01"},
        lambda e, s: str(e.follow_up_on) == "2026-06-01",
        SAVED,
    ),
    "outcome": (
        "triage",
        {"status": "closed", "outcome": "referred", "outcome_referred_to": "NAV Vestfold"},
        lambda e, s: (
            (e.status, e.outcome, e.outcome_referred_to) == ("closed", "referred", "NAV Vestfold")
        ),
        SAVED,
    ),
    "agreed": (
        "triage",
        {"status": "agreed"},
        lambda e, s: (e.status, e.outcome) == ("agreed", "collaboration_started"),
        SAVED,
    ),
    "notes": (
        "notes",
        {"note-body": "Ringte, ingen svar."},
        lambda e, s: kinds(e.id) == ["note"],
        "Notatet er lagt til.",
    ),
    "reply": (
        "reply",
        {"reply-body": "Takk, vi tar kontakt."},
        lambda e, s: "reply" in kinds(e.id),
        "Svaret ligger i utboksen og sendes om litt.",
    ),
}
FRAGMENTS = {"notes": 'id="note"', "reply": 'id="reply"'}  # the others answer the triage panel
EVENTS = {"reply": "timeline-changed, triage-changed"}  # the others: "timeline-changed"
# Bad input for each change, and the error it gets.
INVALID = {
    "status": ("status", {"status": "deleted"}, "Velg ett av alternativene."),
    "triage-status": ("triage", {"status": "deleted"}, "Velg ett av alternativene."),
    "assignee": ("triage", {"assignee": "987654"}, "Velg ett av alternativene."),
    "priority": ("triage", {"priority": "urgent"}, "Velg ett av alternativene."),
    "tags": (
        "triage",
        {"tags": "ok, ikke!gyldig"},
        "Merkelapper kan ha bokstaver, tall, mellomrom",
    ),
    "follow-up": ("triage", {"follow_up_on": "1. juni"}, "Skriv en dato som 2026-03-31."),
    "no-outcome": ("triage", {"status": "declined"}, "Velg hva det ble til."),
    "bad-outcome": (
        "triage",
        {"status": "closed", "outcome": "won"},
        "Velg ett av alternativene.",
    ),
    "referred-to-nobody": (
        "triage",
        {"status": "closed", "outcome": "referred"},
        "Skriv hvem henvendelsen ble sendt videre til.",
    ),
    "notes": ("notes", {"note-body": "  "}, "Skriv notatet."),
    "reply": ("reply", {"reply-body": ""}, "Skriv svaret."),
}


def tags_of(enquiry_id: int) -> list[str]:
    stmt = select(EnquiryTag.tag).where(EnquiryTag.enquiry_id == enquiry_id)
    return sorted(db.session.scalars(stmt))


def form_data(path: str, data: dict, staff=None) -> dict:
    """``data`` as the page's form sends it (the handling panel sends all its fields)."""
    if data.get("assignee") == "staff":
        data = {**data, "assignee": str(staff.id)}
    return {**TRIAGE, **data} if path == "triage" else data


@pytest.mark.parametrize("action", CHANGES)
def test_each_change_works_as_a_plain_post(client, staff, action):
    path_end, data, changed, message = CHANGES[action]
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    response = post(client, f"{path}/{path_end}", form_data(path_end, data, staff), page=path)
    assert response.status_code == 303 and response.headers["Location"] == path
    assert changed(fresh(enquiry.id), staff)
    assert message in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("action", CHANGES)
def test_each_change_works_with_htmx(client, staff, action):
    path_end, data, changed, message = CHANGES[action]
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    response = hx_post(client, f"{path}/{path_end}", form_data(path_end, data, staff), page=path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert FRAGMENTS.get(path_end, 'id="triage"') in html and message in html
    assert response.headers["HX-Trigger"] == EVENTS.get(path_end, "timeline-changed")
    assert changed(fresh(enquiry.id), staff)


@pytest.mark.parametrize("action", INVALID)
def test_each_change_shows_bad_input_and_changes_nothing(client, staff, action):
    path_end, data, error = INVALID[action]
    data = form_data(path_end, data)
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    plain = post(client, f"{path}/{path_end}", data, page=path)
    assert plain.status_code == 200 and "<html" in plain.get_data(as_text=True)
    assert error in plain.get_data(as_text=True)
    swapped = hx_post(client, f"{path}/{path_end}", data, page=path)
    html = swapped.get_data(as_text=True)
    assert swapped.status_code == 200 and "<html" not in html and error in html
    assert FRAGMENTS.get(path_end, 'id="triage"') in html and "HX-Trigger" not in swapped.headers
    assert kinds(enquiry.id) == [] and tags_of(enquiry.id) == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_what_was_typed_stays_after_an_error(client, staff):
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    data = form_data(
        "triage", {"status": "closed", "outcome_text": "Ringte tre ganger.", "tags": "ungdom"}
    )
    html = hx_post(client, f"{path}/triage", data, page=path).get_data(as_text=True)
    assert "Velg hva det ble til." in html
    assert "Ringte tre ganger.</textarea>" in html and 'value="ungdom"' in html
    assert re.search(r'<option selected value="closed">|<option value="closed" selected>', html)


def test_assigning_a_colleague_whose_address_is_refused_says_so(client, staff):
    colleague = make_staff(name="Ola Haugen", email="ola.haugen@demo.sesam.invalid")
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    data = form_data("triage", {"assignee": str(colleague.id)})
    html = hx_post(client, f"{path}/triage", data, page=path).get_data(as_text=True)
    assert fresh(enquiry.id).assignee_id == colleague.id
    assert "Lagret, men Ola Haugen fikk ikke beskjed" in html
    assert "ola.haugen@demo.sesam.invalid" in html and "notice--error" in html
    page = post(client, f"{path}/triage", {**data, "assignee": ""}, page=path)
    assert page.status_code == 303


def test_a_note_is_added_and_extra_fields_are_ignored(client, staff):
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    data = {
        "note-body": "Ringte, ingen svar.",
        "status": "spam",
        "assignee_id": "1",
        "priority": "high",
        "actor_id": "999",
    }
    response = hx_post(client, path + "/notes", data, page=path)
    assert response.status_code == 200 and 'id="note"' in response.get_data(as_text=True)
    assert response.headers["HX-Trigger"] == "timeline-changed"
    enquiry = fresh(enquiry.id)
    assert (enquiry.status, enquiry.priority, enquiry.assignee_id) == ("new", "normal", None)
    note = db.session.scalar(select(EnquiryEvent).where(EnquiryEvent.kind == "note"))
    assert note.body == "Ringte, ingen svar." and note.actor_id == staff.id


def test_an_invalid_choice_is_an_error_not_a_change(client, staff):
    enquiry = make_enquiry()
    path = DETAIL.format(enquiry.id)
    response = post(client, path + "/status", {"status": "deleted"}, page=path)
    assert response.status_code == 200 and "Velg ett av alternativene." in response.get_data(
        as_text=True
    )
    inactive = make_staff(active=False)
    post(client, path + "/triage", form_data("triage", {"assignee": str(inactive.id)}), page=path)
    assert fresh(enquiry.id).assignee_id is None and kinds(enquiry.id) == []


@pytest.mark.parametrize("path", ["/status", "/triage", "/notes", "/reply"])
def test_a_post_without_the_csrf_token_is_refused(client, staff, path):
    enquiry = make_enquiry()
    response = client.post(DETAIL.format(enquiry.id) + path, data={"status": "spam"})
    assert response.status_code == 400
    assert kinds(enquiry.id) == []


def test_a_reply_from_the_page_goes_to_the_outbox(client, staff):
    enquiry = make_enquiry(status="triaged")
    path = DETAIL.format(enquiry.id)
    response = hx_post(client, path + "/reply", {"reply-body": "Takk, vi tar kontakt."}, page=path)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "timeline-changed, triage-changed"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == enquiry.email and message.reply_to is None  # never personal
    assert fresh(enquiry.id).status == "in_dialogue"
    timeline = client.get(path, headers={"HX-Request": "true", "HX-Target": "timeline"})
    html = timeline.get_data(as_text=True)
    assert "Takk, vi tar kontakt." in html and "Venter på å bli sendt" in html


def test_a_reply_template_fills_the_reply_form(client, staff):
    enquiry = make_enquiry(lang="nn", name="Nora")
    template = replies.save_template(None, "Takk", "nn", "Hei {name}, takk for {reference}.")
    replies.save_template(None, "Bokmål", "nb", "Skal ikke vises for nynorsk.")
    path = DETAIL.format(enquiry.id)
    page = client.get(path).get_data(as_text=True)
    assert ">Takk</option>" in page and "Bokmål</option>" not in page
    filled = client.get(
        f"{path}?template={template.id}", headers={"HX-Request": "true", "HX-Target": "reply"}
    )
    assert f"Hei Nora, takk for {enquiry.reference}." in filled.get_data(as_text=True)
    assert client.get(f"{path}?template=abc").status_code == 200


def test_no_reply_form_on_spam(client, staff):
    enquiry = make_enquiry(status="spam")
    html = client.get(DETAIL.format(enquiry.id)).get_data(as_text=True)
    assert 'name="reply-body"' not in html and "Ikke spam: tilbake til ny" in html


def test_possible_duplicates_are_linked(client, staff):
    earlier = make_enquiry(email="same@example.org")
    later = make_enquiry(email="same@example.org")
    make_enquiry(email="other@example.org")
    html = client.get(DETAIL.format(later.id)).get_data(as_text=True)
    assert "Mulige duplikater" in html and f'href="/inbox/enquiries/{earlier.id}"' in html


# --------------------------------------------------------------------------- bulk and views


def test_bulk_actions_redirect_back_to_the_list_they_came_from(client, staff):
    a, b, untouched = make_enquiry(), make_enquiry(), make_enquiry()
    response = post(
        client,
        "/inbox/bulk",
        {
            "ids": [str(a.id), str(b.id)],
            "action": "status",
            "status": "closed",
            "outcome": "no_reply",
            "return_to": "/inbox/?status=open",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/inbox/?status=open"
    assert fresh(a.id).status == fresh(b.id).status == "closed"
    assert fresh(untouched.id).status == "new"
    assert "2 henvendelser er endret." in client.get("/inbox/").get_data(as_text=True)


def test_bulk_closing_asks_what_came_of_it(client, staff):
    enquiry = make_enquiry()
    data = {"ids": [str(enquiry.id)], "action": "status", "status": "declined"}
    response = post(client, "/inbox/bulk", data)
    assert response.status_code == 303 and fresh(enquiry.id).status == "new"
    assert "Velg hva det ble til." in client.get("/inbox/").get_data(as_text=True)


def test_bulk_assigning_a_colleague_whose_address_is_refused_says_so(client, staff):
    colleague = make_staff(name="Ola Haugen", email="ola.haugen@demo.sesam.invalid")
    enquiry = make_enquiry()
    data = {"ids": [str(enquiry.id)], "action": "assign", "assignee": str(colleague.id)}
    assert post(client, "/inbox/bulk", data).status_code == 303
    assert fresh(enquiry.id).assignee_id == colleague.id
    html = client.get("/inbox/").get_data(as_text=True)
    assert "ola.haugen@demo.sesam.invalid fikk ikke beskjed" in html


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/kontakt", ""])
def test_bulk_never_redirects_outside_the_inbox(client, staff, back):
    enquiry = make_enquiry()
    response = post(
        client, "/inbox/bulk", {"ids": [str(enquiry.id)], "action": "spam", "return_to": back}
    )
    assert response.headers["Location"] == "/inbox/"
    assert fresh(enquiry.id).status == "spam"


def test_bulk_without_a_selection_changes_nothing(client, staff):
    enquiry = make_enquiry()
    response = post(client, "/inbox/bulk", {"action": "spam"})
    assert response.status_code == 303
    assert fresh(enquiry.id).status == "new"
    assert "Velg minst én henvendelse." in client.get("/inbox/").get_data(as_text=True)


def test_saved_views_are_saved_listed_and_deleted(client, staff):
    response = post(
        client,
        "/inbox/views",
        {"name": "Nye kommuner", "query": "status=new&organisation_type=municipality"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox/?status=new&organisation_type=municipality"
    html = client.get("/inbox/").get_data(as_text=True)
    assert "Nye kommuner" in html
    [view] = saved_views.views_of(staff.id)
    assert post(client, f"/inbox/views/{view.id}/delete").status_code == 303
    assert saved_views.views_of(staff.id) == []
    assert "Nye kommuner" not in client.get("/inbox/").get_data(as_text=True)


def test_someone_elses_saved_view_cannot_be_deleted(client, staff):
    other = make_staff()
    view = saved_views.save_view(other.id, "Hers", "status=new")
    assert post(client, f"/inbox/views/{view.id}/delete").status_code == 404
    assert saved_views.views_of(other.id) != []


# --------------------------------------------------------------------------- admin pages


def test_admins_set_routing_rules(client, admin):
    colleague = make_staff(name="Rut Ruter")
    html = client.get("/inbox/admin/routing").get_data(as_text=True)
    assert "Rut Ruter" in html
    response = post(
        client,
        "/inbox/admin/routing",
        {"talk": str(colleague.id), "media": ""},
        page="/inbox/admin/routing",
    )
    assert response.status_code == 303
    assert rules.routing_table()["talk"] == colleague.id
    selected = client.get("/inbox/admin/routing").get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{colleague.id}">|value="{colleague.id}" selected', selected
    )


def test_admins_write_change_and_delete_reply_templates(client, admin):
    page = "/inbox/admin/templates/new"
    response = post(
        client, page, {"name": "Takk", "lang": "en", "body": "Thank you, {name}."}, page=page
    )
    assert response.status_code == 303
    [template] = replies.templates()
    edit = f"/inbox/admin/templates/{template.id}"
    assert "Thank you, {name}." in client.get(edit).get_data(as_text=True)
    post(client, edit, {"name": "Takk", "lang": "en", "body": "Thanks!"}, page=edit)
    assert replies.get_template(template.id).body == "Thanks!"
    duplicate = post(client, page, {"name": "Takk", "lang": "en", "body": "Again"}, page=page)
    assert "Det finnes allerede en mal med det navnet" in duplicate.get_data(as_text=True)
    assert post(client, edit + "/delete", page="/inbox/admin/templates").status_code == 303
    assert replies.templates() == []
    assert client.get(edit).status_code == 404
    assert post(client, edit + "/delete", page="/inbox/admin/templates").status_code == 404


def test_a_template_form_needs_its_fields(client, admin):
    page = "/inbox/admin/templates/new"
    response = post(client, page, {"name": "", "lang": "de", "body": ""}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Gi malen et navn.", "Velg ett av alternativene.", "Skriv teksten."):
        assert message in html
