"""The intake's words exist in Bokmål and Nynorsk: every msgid it uses is translated."""

from __future__ import annotations

import pytest

from portal.intake import labels
from tests.catalogues import ROOT, feature_catalogue, msgids_used_in

SOURCES = [
    *sorted((ROOT / "portal" / "intake").glob("*.py")),
    *sorted((ROOT / "templates" / "intake").glob("*.html")),
    ROOT / "templates" / "macros" / "forms.html",
]


def _catalogue(lang: str) -> dict[str, object]:
    return feature_catalogue("intake", lang)


def _used_msgids() -> set[str]:
    # KEEP_IN_TOUCH_TEXT is a constant, so that its version stays beside it.
    return msgids_used_in(SOURCES) | {labels.KEEP_IN_TOUCH_TEXT}


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
