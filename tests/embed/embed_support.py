"""Shared by the embed tests: paths, frame titles, the host, hidden values in a page.

Valid answers and the form token come from the intake's builders: the embed is a skin on its form.
"""

from __future__ import annotations

import html
import re

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


def hidden_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no {name} input"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None
