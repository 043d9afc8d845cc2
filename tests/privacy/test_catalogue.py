"""The privacy feature's words exist in Bokmål and Nynorsk and agree with other features."""

from __future__ import annotations

import re

import pytest

from tests.catalogues import ROOT, feature_catalogue, msgids_used_in, read_catalogue

FEATURE = "privacy"
SOURCES = [
    *sorted((ROOT / "portal" / FEATURE).glob("*.py")),
    *sorted((ROOT / "templates" / FEATURE).rglob("*.html")),
]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_used_msgid_is_translated_and_nothing_unused(lang):
    translations = feature_catalogue(FEATURE, lang)
    used = msgids_used_in(SOURCES)
    assert sorted(m for m in used if not translations.get(m)) == []
    assert set(translations) == used


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_placeholders_survive_and_shared_words_agree(lang):
    mine = feature_catalogue(FEATURE, lang)
    for msgid, text in mine.items():
        for translated in text if isinstance(text, tuple | list) else [text]:
            wanted = set(re.findall(r"%\(\w+\)s", msgid))
            assert set(re.findall(r"%\(\w+\)s", translated)) == wanted, msgid
    for path in sorted((ROOT / "portal").glob(f"*/translations/{lang}/LC_MESSAGES/messages.po")):
        if path.is_relative_to(ROOT / "portal" / FEATURE):
            continue
        for msgid, text in read_catalogue(path).items():
            if msgid in mine:
                assert mine[msgid] == text, (path.parts[-5], msgid)
