"""The intake's words exist in Bokmål and Nynorsk: every msgid it uses is translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from portal.intake import labels
from tests.conftest import TEMPLATE_EXTRACTION

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "portal" / "intake" / "translations"
SOURCES = [
    *sorted((ROOT / "portal" / "intake").glob("*.py")),
    *sorted((ROOT / "templates" / "intake").glob("*.html")),
    ROOT / "templates" / "macros" / "forms.html",
]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def _catalogue(lang: str) -> dict[str, str]:
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


def _used_msgids() -> set[str]:
    found = set()
    for path in SOURCES:
        python = path.suffix == ".py"
        method = "python" if python else "jinja2.ext:babel_extract"
        options = {} if python else TEMPLATE_EXTRACTION
        for _, message, _, _ in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            found.add(message if isinstance(message, str) else message[0])
    found.add(labels.KEEP_IN_TOUCH_TEXT)  # a constant, so its version stays beside it
    return found


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_used_msgid_has_a_translation(lang):
    catalogue = _catalogue(lang)
    missing = sorted(msgid for msgid in _used_msgids() if not catalogue.get(msgid))
    assert missing == []


def test_both_catalogues_hold_the_same_messages_and_nothing_unused():
    nb, nn = _catalogue("nb"), _catalogue("nn")
    assert set(nb) == set(nn)
    assert set(nb) - _used_msgids() == set()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_placeholders_survive_translation(lang):
    for msgid, msgstr in _catalogue(lang).items():
        for placeholder in ("%(max)d", "%(min)d", "%(days)d", "%(reference)s"):
            assert (placeholder in msgid) == (placeholder in msgstr), msgid


def test_every_code_in_the_contract_has_a_label():
    for name, codes in labels.CODE_LISTS.items():
        assert set(labels.CHOICES[name]) == set(codes), name


def test_nynorsk_is_not_bokmal():
    nb, nn = _catalogue("nb"), _catalogue("nn")
    assert nn["Send enquiry"] == "Send førespurnaden"
    assert nn["Thick co-creation"] == "Tjukk samskaping"  # GLOSSARY.md
    assert nb["Thick co-creation"] == "Tykk samskaping"
    assert nn["Received"] == "Motteke" and nb["Received"] == "Mottatt"
    assert nn["Closed"] == "Avslutta" and nb["Closed"] == "Avsluttet"
