"""The accent colour: validation, WCAG contrast, and the fallback to SESAM's own colours."""

from __future__ import annotations

import pytest

from portal.embed.theme import contrast_ratio, darker, normalise_colour, usable_accent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#005b5f", "005b5f"),
        ("#ABC", "aabbcc"),
        ("123456", "123456"),
        (" #0a0B0c ", "0a0b0c"),
        ("#12345", None),
        ("#1234567", None),
        ("#ggg", None),
        ("red", None),
        ("rgb(0,0,0)", None),
        ("#000;background:url(x)", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_colour_accepts_only_hex(value, expected):
    assert normalise_colour(value) == expected


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("000000", "ffffff") == pytest.approx(21.0)
    assert contrast_ratio("ffffff", "ffffff") == pytest.approx(1.0)
    assert contrast_ratio("777777", "ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("767676", "ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#005b5f", "005b5f"),  # SESAM's own teal
        ("#767676", "767676"),  # just above 4.5:1
        ("#000", "000000"),
        ("#777777", None),  # just below 4.5:1
        ("#ffcc00", None),  # yellow: white text on it would be unreadable
        ("#fff", None),
        ("blue", None),
    ],
)
def test_usable_accent_requires_aa_contrast_on_white(value, expected):
    assert usable_accent(value) == expected


def test_darker_only_raises_contrast():
    for colour in ("005b5f", "767676", "3366cc"):
        assert contrast_ratio(darker(colour), "ffffff") > contrast_ratio(colour, "ffffff")
