"""The audit viewer's words exist in Bokmål and Nynorsk and agree with other features."""

from __future__ import annotations

import pytest

from tests.catalogues import assert_complete, assert_consistent


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_catalogue_is_complete_and_agrees_with_the_others(lang):
    assert_complete("audit", lang)
    assert_consistent("audit", lang)
