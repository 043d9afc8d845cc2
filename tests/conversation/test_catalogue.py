"""The conversation's words exist in Bokmål and Nynorsk, and agree with other features."""

from __future__ import annotations

import pytest

from tests.catalogues import assert_complete, assert_consistent, feature_catalogue


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_catalogue_is_complete_and_agrees_with_the_others(lang):
    assert_complete("conversation", lang)
    assert_consistent("conversation", lang)


def test_nynorsk_is_not_bokmal():
    nb, nn = feature_catalogue("conversation", "nb"), feature_catalogue("conversation", "nn")
    assert (nb["Unknown sender"], nn["Unknown sender"]) == ("Ukjent avsender", "Ukjend avsendar")
