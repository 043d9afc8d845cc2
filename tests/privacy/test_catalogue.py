"""The privacy feature's words exist in Bokmål and Nynorsk and agree with other features."""

from __future__ import annotations

import pytest

from tests.catalogues import assert_complete, assert_consistent


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_used_msgid_is_translated_and_nothing_unused(lang):
    assert_complete("privacy", lang)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_placeholders_survive_and_shared_words_agree(lang):
    assert_consistent("privacy", lang)
