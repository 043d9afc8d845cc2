"""The inbox's words exist in Bokmål and Nynorsk, and agree with other features on shared words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from tests.conftest import TEMPLATE_EXTRACTION

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "portal" / "inbox" / "translations"
SOURCES = [
    *sorted((ROOT / "portal" / "inbox").glob("*.py")),
    *sorted((ROOT / "templates" / "inbox").rglob("*.html")),
]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def catalogue(path: Path) -> dict[str, object]:
    with path.open("rb") as po:
        return {
            (message.id if isinstance(message.id, str) else message.id[0]): message.string
            for message in read_po(po)
            if message.id
        }


def ours(lang: str) -> dict[str, object]:
    return catalogue(CATALOGUES / lang / "LC_MESSAGES" / "messages.po")


def used_msgids() -> set[str]:
    found = set()
    for path in SOURCES:
        python = path.suffix == ".py"
        method = "python" if python else "jinja2.ext:babel_extract"
        options = {} if python else TEMPLATE_EXTRACTION
        for _, message, _, _ in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_used_msgid_has_a_translation(lang):
    translations = ours(lang)
    missing = sorted(m for m in used_msgids() if not translations.get(m))
    assert missing == []
    plural = [m for m, text in translations.items() if isinstance(text, tuple | list)]
    assert all(all(form for form in translations[m]) for m in plural)


def test_both_catalogues_hold_the_same_messages_and_nothing_unused():
    assert set(ours("nb")) == set(ours("nn")) == used_msgids()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_placeholders_survive_translation(lang):
    for msgid, text in ours(lang).items():
        texts = text if isinstance(text, tuple | list) else [text]
        wanted = set(re.findall(r"%\(\w+\)s|\{\w+\}", msgid))
        for translated in texts:
            assert set(re.findall(r"%\(\w+\)s|\{\w+\}", translated)) == wanted, msgid


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_words_shared_with_other_features_are_translated_alike(lang):
    mine = ours(lang)
    for path in sorted((ROOT / "portal").glob(f"*/translations/{lang}/LC_MESSAGES/messages.po")):
        if path.is_relative_to(CATALOGUES):
            continue
        for msgid, text in catalogue(path).items():
            if msgid in mine:
                assert mine[msgid] == text, (path.parts[-5], msgid)


def test_nynorsk_is_not_bokmal():
    nb, nn = ours("nb"), ours("nn")
    assert (nb["Enquiries"], nn["Enquiries"]) == ("Henvendelser", "Førespurnader")
    assert (nb["Closed"], nn["Closed"]) == ("Avsluttet", "Avslutta")  # GLOSSARY.md
    assert (nb["Received"], nn["Received"]) == ("Mottatt", "Motteke")
