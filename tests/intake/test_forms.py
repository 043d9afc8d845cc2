"""The enquiry form on its own: normalisation, validation rules, pre-filling, plain values."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from portal.intake.forms import (
    PREFILLABLE,
    SUBMITTED,
    EnquiryForm,
    prefill,
    valid_source_page,
)
from portal.intake.validation import multi_line, single_line
from tests.intake.enquiry_builders import FIELD_LIMITS, answers


def _form(app, lang="en", **overrides) -> EnquiryForm:
    with app.test_request_context(f"/{lang}/contact", method="POST"):
        form = EnquiryForm(formdata=MultiDict(answers(**overrides)))
        form.validate()
        return form


def test_single_line_collapses_whitespace_and_line_breaks():
    assert single_line("  Kari \t\r\n  Nordmann\u00a0 ") == "Kari Nordmann"


def test_multi_line_normalises_line_breaks_and_trims():
    assert multi_line("  one  \r\ntwo\rthree\u2028four \n") == "one\ntwo\nthree\nfour"


def test_form_accepts_a_complete_enquiry(app):
    form = _form(app)
    assert form.errors == {}


def test_submission_gives_plain_values_for_every_contract_field(app):
    form = _form(app, message="  ", keep_in_touch="y", org_number="971 616 407")
    values = form.submission()
    assert set(values) == set(SUBMITTED)
    assert values["message"] is None
    assert values["keep_in_touch"] is True
    assert values["org_number"] == "971616407"
    assert values["contact_preference"] == "email"


@pytest.mark.parametrize(("field", "limit"), FIELD_LIMITS.items())
def test_form_refuses_each_field_over_its_limit(app, field, limit):
    value = "1" * (limit + 1) if field == "phone" else "a" * (limit + 1)
    if field == "email":
        value = "a" * (limit - 11) + "@example.org"
    form = _form(app, **{field: value})
    assert form.errors[field] == [f"Use at most {limit} characters."]


def test_form_refuses_codes_outside_the_contract(app):
    form = _form(
        app,
        organisation_type="king",
        enquiry_type="bribe",
        region="narnia",
        co_creation="medium",
        contact_preference="pigeon",
        funding="lots",
    )
    for name in (
        "organisation_type",
        "enquiry_type",
        "region",
        "co_creation",
        "contact_preference",
        "funding",
    ):
        assert form.errors[name] == ["Choose one of the options."], name


def test_form_requires_the_required_fields(app):
    form = _form(app, name="   ", email="", organisation_type="", enquiry_type="", problem="")
    assert set(form.errors) == {"name", "email", "organisation_type", "enquiry_type", "problem"}


def test_problem_needs_twenty_characters(app):
    assert _form(app, problem="Too short").errors["problem"] == [
        "Write at least 20 characters about the problem."
    ]


@pytest.mark.parametrize("kind", ["private", "student"])
def test_organisation_is_optional_for_private_people_and_students(app, kind):
    assert "organisation" not in _form(app, organisation="", organisation_type=kind).errors


def test_organisation_is_required_for_an_organisation(app):
    form = _form(app, organisation="", organisation_type="ngo")
    assert form.errors["organisation"] == ["Enter the name of your organisation."]


def test_organisation_length_is_checked_even_when_optional(app):
    form = _form(app, organisation="x" * 201, organisation_type="private")
    assert form.errors["organisation"] == ["Use at most 200 characters."]


def test_phone_is_required_for_a_call_back(app):
    form = _form(app, contact_preference="phone", phone="")
    assert form.errors["phone"] == ["Enter a phone number, so that we can call you back."]
    assert "phone" not in _form(app, contact_preference="phone", phone="+47 35 95 26 00").errors


def test_phone_must_look_like_a_phone_number(app):
    assert "phone" in _form(app, phone="call me maybe").errors


@pytest.mark.parametrize("number", ["971616407", "971 616 407", " 971 616 407 "])
def test_org_number_accepts_a_valid_number_with_spaces(app, number):
    form = _form(app, org_number=number)
    assert "org_number" not in form.errors
    assert form.org_number.data == "971616407"


@pytest.mark.parametrize("number", ["971616408", "12345678", "97161640A", "9716164071"])
def test_org_number_refuses_a_bad_checksum_or_format(app, number):
    assert _form(app, org_number=number).errors["org_number"] == [
        "Enter a valid 9-digit organisation number, or leave the field empty."
    ]


@pytest.mark.parametrize(
    "address", ["kari", "kari@", "kari@@example.org", "kari@example", "a b@c.no"]
)
def test_email_syntax_is_checked(app, address):
    assert _form(app, email=address).errors["email"] == [
        "Enter an email address in the right format, like name@example.no."
    ]


def test_email_is_normalised(app):
    form = _form(app, email="  Kari@EXAMPLE.org ")
    assert form.errors == {}
    assert form.email.data == "Kari@example.org"


@pytest.mark.parametrize("field", ["name", "organisation", "problem", "message"])
def test_control_characters_are_refused(app, field):
    value = "Kari\x00 Nordmann with a bell \x07 in a long enough text"
    assert _form(app, **{field: value}).errors[field] == [
        "Remove the invisible control characters from this text."
    ]


def test_tabs_and_line_breaks_are_fine_in_long_texts(app):
    form = _form(app, problem="First line\r\n\tsecond line, long enough to pass.")
    assert form.errors == {}
    assert form.problem.data == "First line\n\tsecond line, long enough to pass."


def test_error_messages_are_translated(app):
    form = _form(app, lang="nn", name="")
    assert form.errors["name"] == ["Skriv namnet ditt."]


def test_source_page_keeps_only_http_urls():
    assert valid_source_page("https://www.usn.no/sesam?x=1") == "https://www.usn.no/sesam?x=1"
    for bad in (
        "javascript:alert(1)",
        "ftp://usn.no/",
        "https://",
        "not a url",
        "https://usn.no/" + "a" * 2000,
        "https://usn.no/\x00",
        "https://" + "a" * 254 + "/",  # no host name is that long (enquiry.source_host)
    ):
        assert valid_source_page(bad) is None
    assert valid_source_page("https://" + "a" * 253 + "/") is not None


def test_prefill_takes_only_the_fields_spec_allows():
    args = dict.fromkeys(
        (
            "name",
            "email",
            "problem",
            "message",
            "keep_in_touch",
            "form_token",
            "source_page",
            "website",
            "affected",
            "accessibility_needs",
            "phone",
            "contact_preference",
        ),
        "x",
    )
    args.update(enquiry_type="course_workshop", organisation="Bø kommune", region="telemark")
    assert prefill(args) == {
        "enquiry_type": "course_workshop",
        "organisation": "Bø kommune",
        "region": "telemark",
    }


def test_prefill_drops_unknown_codes_and_keeps_every_allowed_field():
    args = dict.fromkeys(PREFILLABLE, "unsure")
    data = prefill(args)
    assert set(data) == {
        "organisation",
        "org_number",
        "involvement",
        "co_creation",
        "phase",
        "timeframe",
        "funding",
    }
