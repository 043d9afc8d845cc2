"""The landing page keeps SPEC's facts ("What the site says") in each language, not just words.

Pinned per language: the three moments of lived experience in their order, thin and thick
co-creation with the handbook's English terms, the *identified* problem and the *lasting*
solution, and none of the phrasings the text once drifted into.
"""

from __future__ import annotations

import re

import pytest

FACTS = {
    "nb": {
        "path": "/",
        "moments": [
            ("Først", "forståelsen av problemet"),
            ("Deretter", "utformingen"),
            ("Så eventuelt", "gjennomføringen"),
        ],
        "thin": "Tynn samskaping",
        "thick": "Tykk samskaping",
        "identified": "et identifisert sosialt problem",
        "lasting": "en varig løsning",
        "as_a_rule": "som regel et samspill",
        "drift": ["Tre måter", "Dette kalles samskaping", "et kjent sosialt", "Ingen løser"],
    },
    "nn": {
        "path": "/nn/",
        "moments": [
            ("Først", "forståinga av problemet"),
            ("Deretter", "utforminga"),
            ("Så eventuelt", "gjennomføringa"),
        ],
        "thin": "Tynn samskaping",
        "thick": "Tjukk samskaping",
        "identified": "eit identifisert sosialt problem",
        "lasting": "ei varig løysing",
        "as_a_rule": "som regel eit samspel",
        "drift": ["Tre måtar", "Dette blir kalla samskaping", "eit kjent sosialt", "Ingen løyser"],
    },
    "en": {
        "path": "/en/",
        "moments": [
            ("First", "understanding the problem"),
            ("Then", "designing"),
            ("Then possibly", "carrying out"),
        ],
        "thin": "Thin co-creation",
        "thick": "Thick co-creation",
        "identified": "an identified social problem",
        "lasting": "a lasting solution",
        "as_a_rule": "as a rule it calls for interplay",
        "drift": ["Three ways", "This is called co-creation", "a known social", "No one solves"],
    },
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


@pytest.mark.parametrize("lang", FACTS)
def test_facts_three_moments_in_order(client, lang):
    facts = FACTS[lang]
    section = _section(client.get(facts["path"]).get_data(as_text=True), "experience-heading")
    items = re.findall(
        r"<li>(.*?)</li>",
        re.search(r'<ol class="[^"]*moments.*?</ol>', section, re.S).group(0),
        re.S,
    )
    assert len(items) == 3
    for item, (marker, subject) in zip(items, facts["moments"], strict=True):
        assert item.startswith(f"<strong>{marker}</strong>"), item
        assert subject in _text(item), item


@pytest.mark.parametrize("lang", FACTS)
def test_facts_thin_and_thick_carry_the_handbooks_english_terms(client, lang):
    facts = FACTS[lang]
    section = _section(client.get(facts["path"]).get_data(as_text=True), "cocreation-heading")
    headings = re.findall(r"<h3>(.*?)</h3>", section, re.S)
    assert [_text(h).split(" (")[0] for h in headings] == [facts["thin"], facts["thick"]]
    assert "co-creation" in headings[0] and "co-production" in headings[1]
    if lang != "en":  # English words inside Norwegian text say so, for screen readers
        assert '<span lang="en" class="term">co-creation</span>' in headings[0]
        assert '<span lang="en" class="term">co-production</span>' in headings[1]
    examples = re.findall(r'<p class="example">(.*?)</p>', section, re.S)
    assert len(examples) == 2, "each form has one example, marked as an illustration"


@pytest.mark.parametrize("lang", FACTS)
def test_facts_identified_problem_lasting_solution_and_no_drift(client, lang):
    facts = FACTS[lang]
    text = _text(client.get(facts["path"]).get_data(as_text=True))
    for phrase in (facts["identified"], facts["lasting"], facts["as_a_rule"]):
        assert phrase in text
    for drifted in facts["drift"]:
        assert drifted not in text
