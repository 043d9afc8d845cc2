"""The conversation's words exist in Bokmål and Nynorsk, and agree with other features."""

from __future__ import annotations

import re

import pytest

from tests.catalogues import ROOT, feature_catalogue, msgids_used_in, read_catalogue

SOURCES = [
    *sorted((ROOT / "portal" / "conversation").glob("*.py")),
    *sorted((ROOT / "templates" / "conversation").rglob("*.html")),
]


def ours(lang: str) -> dict[str, object]:
    return feature_catalogue("conversation", lang)


def used_msgids() -> set[str]:
    return msgids_used_in(SOURCES)


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
        if path.is_relative_to(ROOT / "portal" / "conversation"):
            continue
        for msgid, text in read_catalogue(path).items():
            if msgid in mine:
                assert mine[msgid] == text, (path.parts[-5], msgid)


def test_nynorsk_is_not_bokmal():
    nb, nn = ours("nb"), ours("nn")
    assert (nb["Unknown sender"], nn["Unknown sender"]) == ("Ukjent avsender", "Ukjend avsendar")
