"""Builders for intake tests: valid answers, a form token from a page, a stored enquiry."""

from __future__ import annotations

import html
import re

FORM_PATHS = {"nb": "/kontakt", "nn": "/nn/kontakt", "en": "/en/contact"}
RECEIPT_PATHS = {
    "nb": "/kontakt/mottatt",
    "nn": "/nn/kontakt/motteke",
    "en": "/en/contact/received",
}
CASE_PREFIX = {"nb": "/kontakt/sak/", "nn": "/nn/kontakt/sak/", "en": "/en/contact/case/"}
# The most characters each free-text field takes (SPEC's field contract).
FIELD_LIMITS = {
    "name": 200,
    "email": 254,
    "phone": 40,
    "organisation": 200,
    "problem": 5000,
    "affected": 2000,
    "message": 5000,
    "accessibility_needs": 1000,
}
_TOKEN = re.compile(r'<input id="[^"]*" name="form_token" type="hidden" value="([^"]+)">')


def answers(**overrides) -> dict:
    """A complete, valid set of form answers (POST data, without the token)."""
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "phone": "",
        "organisation": "Bø kommune",
        "org_number": "",
        "organisation_type": "municipality",
        "enquiry_type": "co_creation_support",
        "region": "telemark",
        "problem": "Many older people in our villages are lonely after the bus routes closed.",
        "affected": "Residents over 75 in the rural parts of the municipality.",
        "involvement": "planned",
        "co_creation": "thick",
        "phase": "understanding",
        "timeframe": "3_to_12_months",
        "funding": "applying",
        "message": "",
        "contact_preference": "email",
        "accessibility_needs": "",
        "website": "",
        "source_page": "",
    }
    data.update(overrides)
    return data


def token_in(page: str) -> str:
    """The signed form token in a rendered form."""
    match = _TOKEN.search(page)
    assert match, "no form token in the page"
    return html.unescape(match.group(1))


def fresh_token(client, lang: str = "nb") -> str:
    """GET the form and return its token, as a browser would."""
    return token_in(client.get(FORM_PATHS[lang]).get_data(as_text=True))


def submit(client, lang: str = "nb", token: str | None = None, headers=None, **overrides):
    """POST a valid form (with ``overrides``) in ``lang``; fetches a token unless given one."""
    data = answers(**overrides)
    data["form_token"] = fresh_token(client, lang) if token is None else token
    return client.post(FORM_PATHS[lang], data=data, headers=headers or {})


def service_values(**overrides) -> dict:
    """Plain values for ``services.submit_enquiry`` (what ``EnquiryForm.submission`` gives)."""
    values = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "phone": None,
        "organisation": "Bø kommune",
        "org_number": None,
        "organisation_type": "municipality",
        "enquiry_type": "co_creation_support",
        "region": "telemark",
        "problem": "Many older people in our villages are lonely after the bus routes closed.",
        "affected": None,
        "involvement": None,
        "co_creation": "thin",
        "phase": None,
        "timeframe": None,
        "funding": None,
        "message": None,
        "contact_preference": "email",
        "accessibility_needs": None,
        "keep_in_touch": False,
    }
    values.update(overrides)
    return values
