"""The enquiry form over HTTP: every language, success, and every kind of bad input."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.intake.antispam import read_form_token
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from tests.intake.enquiry_builders import (
    FIELD_LIMITS,
    FORM_PATHS,
    RECEIPT_PATHS,
    answers,
    fresh_token,
    submit,
    token_in,
)
from tests.tampering import tampered

LANGS = ("nb", "nn", "en")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCRIPT = '<script>alert("owned")</script>'
SQL = "Robert'); DROP TABLE enquiry;-- and a long enough problem text"


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def _only_enquiry() -> Enquiry:
    db.session.remove()
    return db.session.scalars(select(Enquiry)).one()


def _keeps_what_was_typed(page: str) -> None:
    """The form came back filled in (SPEC: nothing the visitor typed is lost)."""
    assert 'value="Kari Nordmann"' in page
    assert "Many older people in our villages are lonely" in page
    assert re.search(
        r'value="co_creation_support"[^>]*checked|checked[^>]*value="co_creation_support"', page
    )


@pytest.mark.parametrize("lang", LANGS)
def test_form_shows_in_each_language_with_a_token_and_no_cookie(client, lang):
    response = client.get(FORM_PATHS[lang])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    assert token_in(page)
    assert "Set-Cookie" not in response.headers
    for other, path in FORM_PATHS.items():
        assert f'hreflang="{other}" href="http://127.0.0.1:5000{path}"' in page


def test_form_has_the_contract_fields_and_an_unticked_consent(client):
    page = client.get("/kontakt").get_data(as_text=True)
    for name in (
        "name",
        "email",
        "phone",
        "organisation",
        "org_number",
        "organisation_type",
        "enquiry_type",
        "region",
        "problem",
        "affected",
        "involvement",
        "co_creation",
        "phase",
        "timeframe",
        "funding",
        "message",
        "contact_preference",
        "accessibility_needs",
        "keep_in_touch",
        "form_token",
        "source_page",
        "website",
    ):
        assert f'name="{name}"' in page, name
    consent = re.search(r'<input[^>]*name="keep_in_touch"[^>]*>', page).group(0)
    assert "checked" not in consent
    assert 'href="/personvern"' in page


def test_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get("/en/contact").get_data(as_text=True)
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', page, re.S).group(0)
    field = re.search(r'<input[^>]*name="website"[^>]*>', trap).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert 'type="hidden"' not in field


def test_thin_and_thick_choices_are_explained_beside_them(client):
    page = client.get("/nn/kontakt").get_data(as_text=True)
    assert "Tjukk samskaping" in page and "Tynn samskaping" in page
    assert 'aria-describedby="co_creation-1-hint"' in page
    assert "samproduksjon" in page


@pytest.mark.parametrize("lang", LANGS)
def test_a_valid_post_redirects_to_the_receipt_with_the_reference(client, lang):
    response = submit(client, lang)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert urlsplit(location).path == RECEIPT_PATHS[lang]
    enquiry = _only_enquiry()
    assert enquiry.lang == lang and enquiry.source == "site" and enquiry.status == "new"
    assert str(enquiry.id) not in parse_qs(urlsplit(location).query)["t"][0]
    receipt = client.get(location)
    page = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert enquiry.reference in page
    assert "kari@example.org" not in page and "Kari" not in page
    assert _count(OutboxMessage) == 2


def test_receipt_without_a_valid_token_is_a_plain_404(client):
    assert client.get("/kontakt/mottatt").status_code == 404
    assert client.get("/kontakt/mottatt?t=SESAM-2026-0001").status_code == 404


def test_a_tampered_receipt_token_is_a_plain_404(client):
    location = submit(client, "nb").headers["Location"]
    token = parse_qs(urlsplit(location).query)["t"][0]
    assert client.get(location).status_code == 200
    assert client.get(urlsplit(location).path + "?t=" + tampered(token)).status_code == 404


def test_receipt_language_links_keep_the_token(client):
    location = submit(client, "en").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    token = parse_qs(urlsplit(location).query)["t"][0]
    assert f'href="/nn/kontakt/motteke?t={token}"' in page


def test_validation_errors_come_back_with_200_summary_and_values(client):
    response = submit(client, "en", email="not-an-email", problem="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert '<a href="#email-field">' in page and '<a href="#problem-field">' in page
    assert 'aria-describedby="email-hint email-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="not-an-email"' in page
    assert _count(Enquiry) == 0


@pytest.mark.parametrize(("field", "limit"), FIELD_LIMITS.items())
def test_each_field_over_its_limit_is_refused_and_kept(client, field, limit):
    value = {"phone": "1" * (limit + 1), "email": "a" * (limit - 11) + "@example.org"}.get(
        field, "a" * (limit + 1)
    )
    response = submit(client, "en", **{field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Use at most {limit} characters." in page
    assert value in page
    assert _count(Enquiry) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_type", "king"),
        ("enquiry_type", "bribe"),
        ("region", "narnia"),
        ("involvement", "maybe"),
        ("co_creation", "medium"),
        ("phase", "done"),
        ("timeframe", "never"),
        ("funding", "lots"),
        ("contact_preference", "pigeon"),
    ],
)
def test_wrong_codes_are_refused(client, field, value):
    page = submit(client, "en", **{field: value}).get_data(as_text=True)
    assert "Choose one of the options." in page
    assert _count(Enquiry) == 0


def test_control_characters_are_refused_with_a_clear_message(client):
    page = submit(client, "nb", name="Kari\x01Nordmann").get_data(as_text=True)
    assert "Fjern de usynlige kontrolltegnene fra teksten." in page
    assert _count(Enquiry) == 0


def test_script_and_sql_are_stored_verbatim_and_shown_escaped(client):
    response = submit(client, "en", name=SCRIPT, organisation=SQL, problem=SQL, message=SCRIPT)
    assert response.status_code == 303
    enquiry = _only_enquiry()
    assert enquiry.name == SCRIPT and enquiry.message == SCRIPT
    assert enquiry.organisation == SQL and enquiry.problem == SQL
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in receipt
    invalid = submit(client, "en", name=SCRIPT, email="bad").get_data(as_text=True)
    assert "<script>alert" not in invalid
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in invalid


def test_unexpected_fields_are_ignored(client):
    assert (
        submit(client, "en", status="agreed", assignee_id="1", priority="high").status_code == 303
    )
    enquiry = _only_enquiry()
    assert (enquiry.status, enquiry.assignee_id, enquiry.priority) == ("new", None, "normal")


def test_a_megabyte_body_is_refused_with_413(client):
    data = answers(problem="x" * 1_000_000)
    data["form_token"] = fresh_token(client)
    response = client.post("/kontakt", data=data)
    assert response.status_code == 413
    assert "Set-Cookie" not in response.headers
    assert _count(Enquiry) == 0


@pytest.mark.parametrize("token", ["", "garbage", "eyJ0YW1wZXJlZCI6dHJ1ZX0.abc.def"])
def test_missing_or_tampered_token_is_400_with_the_form_filled(client, token):
    response = submit(client, "nb", token=token)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vi kunne ikke bekrefte at skjemaet ble sendt fra nettsiden vår" in page
    _keeps_what_was_typed(page)
    assert token_in(page) not in ("", token)
    assert _count(Enquiry) == 0


def test_a_tampered_token_fails_even_by_one_character(client):
    assert submit(client, "en", token=tampered(fresh_token(client))).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
    ],
)
def test_foreign_origin_is_403_with_the_form_filled(client, headers):
    response = submit(client, "en", headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "We only accept the form when it is sent from SESAM's own pages" in page
    _keeps_what_was_typed(page)
    assert _count(Enquiry) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://localhost"},
        {"Origin": "http://127.0.0.1:5000"},
    ],
)
def test_own_origin_is_accepted(client, headers):
    assert submit(client, "en", headers=headers).status_code == 303


def test_a_too_fast_post_is_kept_as_spam_with_the_normal_receipt(make_app):
    client = make_app(SUBMIT_RATE_LIMIT="1000 per minute", FORM_MIN_FILL_SECONDS=3).test_client()
    with time_machine.travel(T0, tick=False) as traveller:
        token = fresh_token(client)
        traveller.shift(timedelta(seconds=1))
        response = submit(client, "en", token=token)
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    with client.application.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert (enquiry.status, enquiry.spam_reasons) == ("spam", "too_fast")
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_25_hour_old_token_returns_the_form_filled_with_a_fresh_token(client):
    with time_machine.travel(T0, tick=False) as traveller:
        old = fresh_token(client)
        traveller.shift(timedelta(hours=25))
        response = submit(client, "en", token=old)
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "The form was open for a long time, so we have renewed it." in page
        _keeps_what_was_typed(page)
        renewed = token_in(page)
        assert renewed != old
        assert _count(Enquiry) == 0
        assert submit(client, "en", token=renewed).status_code == 303
    assert _count(Enquiry) == 1


def test_a_filled_honeypot_gets_the_same_303_and_is_kept_as_spam(client):
    response = submit(client, "en", website="https://spam.example")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/en/contact/received"
    enquiry = _only_enquiry()
    assert (enquiry.status, enquiry.spam_reasons) == ("spam", "honeypot")
    assert _count(OutboxMessage) == 0


def test_a_replayed_token_returns_the_original_receipt(client):
    token = fresh_token(client)
    first = submit(client, "en", token=token)
    second = submit(client, "en", token=token, problem="A different problem, long enough.")
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Enquiry) == 1


def test_source_page_is_stored_when_it_is_a_web_address(client):
    submit(client, "en", source_page="https://www.usn.no/forskning/sesam")
    enquiry = _only_enquiry()
    assert enquiry.source_page == "https://www.usn.no/forskning/sesam"
    assert enquiry.source_host == "www.usn.no"


@pytest.mark.parametrize("page", ["javascript:alert(1)", "https://" + "a" * 254 + "/"])
def test_a_bad_source_page_is_dropped_not_shown_as_an_error(client, page):
    assert submit(client, "en", source_page=page).status_code == 303
    enquiry = _only_enquiry()  # kept: a host too long for its column must not cost the enquiry
    assert enquiry.source_page is enquiry.source_host is None


def test_prefill_from_the_link_fills_only_allowed_fields(client):
    page = client.get(
        "/kontakt?enquiry_type=course_workshop&organisation=Bø+kommune&name=Mallory"
        "&email=m@evil.example&keep_in_touch=y&problem=Injected&form_token=forged"
        "&website=filled&source_page=https://evil.example&message=Hi"
    ).get_data(as_text=True)
    assert re.search(
        r'checked[^>]*value="course_workshop"|value="course_workshop"[^>]*checked', page
    )
    assert 'value="Bø kommune"' in page
    for leaked in (
        "Mallory",
        "m@evil.example",
        "Injected",
        "forged",
        "filled",
        "evil.example",
        ">Hi<",
    ):
        assert leaked not in page, leaked
    consent = re.search(r'<input[^>]*name="keep_in_touch"[^>]*>', page).group(0)
    assert "checked" not in consent


def test_each_visitor_gets_the_same_page_with_a_token_of_their_own(client):
    responses = [client.get("/en/contact") for _ in range(2)]
    pages = [response.get_data(as_text=True) for response in responses]
    tokens = [token_in(page) for page in pages]
    assert tokens[0] != tokens[1]
    assert all(read_form_token(token).nonce for token in tokens)  # both signed and readable
    assert pages[0].replace(tokens[0], "T") == pages[1].replace(tokens[1], "T")
    assert "form-token-" not in pages[0]  # the stand-in never reaches a visitor
    for response in responses:
        assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_a_kept_page_still_follows_its_address_and_the_htmx_swap(client):
    plain = client.get("/kontakt").get_data(as_text=True)
    filled = client.get("/kontakt?organisation=Bø+kommune").get_data(as_text=True)
    swapped = client.get("/kontakt", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="Bø kommune"' in filled and 'value="Bø kommune"' not in plain
    assert "<html" in plain and "<html" not in swapped and token_in(swapped)
    assert 'value="Bø kommune"' not in client.get("/kontakt").get_data(as_text=True)


def test_a_token_from_a_kept_page_is_accepted(client):
    client.get("/kontakt")  # the page is kept from here on
    assert submit(client, "nb").status_code == 303
    assert _count(Enquiry) == 1


def test_database_down_is_503_with_the_form_filled_and_a_mailto(make_app, tmp_path):
    broken = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        SUBMIT_RATE_LIMIT="1000 per minute",
        FORM_MIN_FILL_SECONDS=0,
    )
    client = broken.test_client()
    response = submit(client, "en")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "we could not save your enquiry just now" in page
    assert 'href="mailto:sesam@example.org"' in page
    _keeps_what_was_typed(page)


def test_smtp_down_never_blocks_the_submission(make_app):
    app = make_app(
        SUBMIT_RATE_LIMIT="1000 per minute",
        FORM_MIN_FILL_SECONDS=0,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=1,
        MAIL_SUPPRESS_SEND=False,
    )
    client = app.test_client()
    assert submit(client, "en").status_code == 303
    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == ["pending", "pending"]


def test_fifty_concurrent_submissions_make_fifty_enquiries(app):
    """50 visitors at once: 50 enquiries, 50 distinct references, 100 outbox rows."""
    count = 50
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def visitor(index: int) -> None:
        try:
            client = app.test_client()
            token = fresh_token(client, LANGS[index % 3])
            barrier.wait(timeout=60)
            response = submit(
                client,
                LANGS[index % 3],
                token=token,
                problem=f"Problem {index}: lonely elders after the bus closed.",
            )
            statuses.append(response.status_code)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [303] * count
    db.session.remove()
    references = db.session.scalars(select(Enquiry.reference)).all()
    assert len(references) == count and len(set(references)) == count
    assert _count(OutboxMessage) == 2 * count
