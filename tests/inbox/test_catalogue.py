"""The inbox's words exist in Bokmål and Nynorsk, and agree with other features on shared words."""

from __future__ import annotations

import pytest

from tests.catalogues import assert_complete, assert_consistent, feature_catalogue


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_catalogue_is_complete_and_agrees_with_the_others(lang):
    assert_complete("inbox", lang)
    assert_consistent("inbox", lang)


def test_nynorsk_is_not_bokmal():
    nb, nn = feature_catalogue("inbox", "nb"), feature_catalogue("inbox", "nn")
    assert (nb["Enquiries"], nn["Enquiries"]) == ("Henvendelser", "Førespurnader")
    assert (nb["Closed"], nn["Closed"]) == ("Avsluttet", "Avslutta")  # GLOSSARY.md
    assert (nb["Received"], nn["Received"]) == ("Mottatt", "Motteke")
