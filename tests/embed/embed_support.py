"""Shared by the embed tests: paths, valid answers, the form token, and an axe-core scan."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.axe import axe_violations

ROOT = Path(__file__).resolve().parents[2]
FORM_PATHS = {"nb": "/embed/kontakt", "nn": "/nn/embed/kontakt", "en": "/en/embed/contact"}
RECEIPT_PATHS = {
    "nb": "/embed/kontakt/mottatt",
    "nn": "/nn/embed/kontakt/motteke",
    "en": "/en/embed/contact/received",
}
FRAME_TITLES = {
    "nb": "Skjema for henvendelser til SESAM",
    "nn": "Skjema for førespurnader til SESAM",
    "en": "Enquiry form for SESAM",
}
HOST = "https://www.usn.no"
_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')


def answers(**overrides) -> dict:
    """A complete, valid set of answers (POST data without the token)."""
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "organisation": "Bø kommune",
        "organisation_type": "municipality",
        "enquiry_type": "course_workshop",
        "problem": "Many older people in our villages are lonely after the bus routes closed.",
        "contact_preference": "email",
        "website": "",
        "source_page": "",
    }
    data.update(overrides)
    return data


def token_in(page: str) -> str:
    match = _TOKEN.search(page)
    assert match, "no form token in the page"
    return html.unescape(match.group(1))


def hidden_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no {name} input"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None


def run_axe(page, **options) -> list:
    """axe-core's violations on the page's top document, as (rule, targets) pairs."""
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in axe_violations(page, **options)]
