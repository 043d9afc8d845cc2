"""The form's order and folding, as the server renders it (so it holds without JavaScript):
the problem first, then who is asking, then the project's details; optional groups folded in
``<details>`` until they hold an error or a value."""

from __future__ import annotations

import re

import pytest

from tests.intake.enquiry_builders import FORM_PATHS, answers, fresh_token

FOLDED = {
    "enquiry-affected": ["affected", "involvement"],
    "enquiry-project": ["co_creation", "phase", "timeframe", "funding", "message"],
    "enquiry-more-about-you": [
        "contact_preference",
        "phone",
        "org_number",
        "region",
        "accessibility_needs",
    ],
}


def _folds(page: str) -> dict[str, bool]:
    """Each folded group's id -> whether it is open."""
    return {
        ident: " open" in tag
        for tag, ident in re.findall(r'(<details class="[^"]*" id="([^"]+)"[^>]*>)', page)
    }


def _names_in_order(page: str) -> list[str]:
    names = re.findall(r'<(?:input|textarea|select)[^>]* name="([^"]+)"', page)
    return list(dict.fromkeys(n for n in names if n not in {"form_token", "source_page"}))


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_form_order_problem_first_then_you_then_details(client, lang):
    page = client.get(FORM_PATHS[lang]).get_data(as_text=True)
    order = _names_in_order(page)
    assert order[:2] == ["problem", "enquiry_type"]
    assert order.index("affected") < order.index("name")
    assert order.index("email") < order.index("co_creation")
    assert order.index("organisation") < order.index("timeframe")
    # The heading over the problem is not the problem field's own label again.
    heading = re.search(r'<h2 id="enquiry-problem">([^<]+)</h2>', page).group(1)
    label = re.search(r'<label class="field__label" for="problem">([^<]+)', page).group(1)
    assert heading.strip() != label.strip()


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_form_order_optional_groups_start_folded(client, lang):
    page = client.get(FORM_PATHS[lang]).get_data(as_text=True)
    assert _folds(page) == dict.fromkeys(FOLDED, False)
    for ident, names in FOLDED.items():
        group = re.search(rf'<details[^>]* id="{ident}".*?</details>', page, re.S).group(0)
        assert "<summary" in group
        for name in names:
            assert f'name="{name}"' in group


def test_form_order_prefilled_group_opens(client):
    page = client.get("/kontakt?timeframe=later&enquiry_type=talk").get_data(as_text=True)
    assert _folds(page) == {
        "enquiry-affected": False,
        "enquiry-project": True,
        "enquiry-more-about-you": False,
    }


def test_form_order_group_with_an_error_or_typed_value_opens(client):
    data = answers(
        involvement="",
        co_creation="",
        phase="",
        timeframe="",
        funding="",
        affected="",
        region="",
        contact_preference="phone",  # a call-back without a number: an error in its group
        problem="short",
    )
    data["form_token"] = fresh_token(client)
    page = client.post("/kontakt", data=data).get_data(as_text=True)
    assert 'id="phone-error"' in page and 'id="problem-error"' in page
    assert _folds(page) == {
        "enquiry-affected": False,
        "enquiry-project": False,
        "enquiry-more-about-you": True,
    }
    data.update(problem="x" * 30, message="Something else worth saying", phone="")
    page = client.post("/kontakt", data=data).get_data(as_text=True)
    assert _folds(page)["enquiry-project"] is True  # holds what was typed


def test_form_order_error_summary_links_the_field_wrapper(client):
    data = answers(problem="short", email="kari@")
    data["form_token"] = fresh_token(client)
    page = client.post("/kontakt", data=data).get_data(as_text=True)
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert links == ["problem-field", "email-field"]  # in the form's order
    for target in links:
        wrapper = re.search(rf'<div class="field[^"]*" id="{target}">\s*<(\w+)', page)
        assert wrapper, target
