"""The host's display choices (loader 1.1): ``data-title="hidden"`` keeps the frame's H1 for
assistive technology only, ``data-back-link="show"`` gives the framed receipt a way back to the
form that stays in the frame; links that leave the frame say they open a new tab."""

from __future__ import annotations

import re

import pytest

from tests.embed.embed_support import FORM_PATHS, HOST
from tests.intake.enquiry_builders import answers, token_in

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
NEW_TAB = {"nb": "(åpnes i ny fane)", "nn": "(blir opna i ny fane)", "en": "(opens in a new tab)"}


@pytest.fixture
def app(make_app):
    application = make_app(
        EMBED_ALLOWED_ORIGINS=HOST, FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="1000 per minute"
    )
    with application.app_context():
        yield application


def _receipt(client, query: str) -> str:
    page = client.get(FORM_PATHS["nb"] + query).get_data(as_text=True)
    posted = client.post(
        FORM_PATHS["nb"] + query,
        data=answers(form_token=token_in(page)),
        headers=SAME_ORIGIN,
    )
    assert posted.status_code == 303
    location = posted.headers["Location"]
    return client.get(location).get_data(as_text=True)


def test_embed_title_hidden_keeps_the_h1_for_screen_readers(client):
    page = client.get(FORM_PATHS["en"] + "?title=hidden").get_data(as_text=True)
    assert page.count("<h1") == 1  # one H1 in the frame, as axe wants
    assert '<h1 id="contact-heading" class="visually-hidden">Contact SESAM</h1>' in page
    shown = client.get(FORM_PATHS["en"]).get_data(as_text=True)
    assert '<h1 id="contact-heading">Contact SESAM</h1>' in shown
    odd = client.get(FORM_PATHS["en"] + "?title=banner").get_data(as_text=True)
    assert 'class="visually-hidden">Contact SESAM' not in odd


def test_embed_title_choice_is_carried_to_the_form_action(client):
    page = client.get(FORM_PATHS["nb"] + f"?host_origin={HOST}&title=hidden").get_data(as_text=True)
    action = re.search(r'<form[^>]* action="([^"]+)"', page).group(1)
    assert "title=hidden" in action


def test_embed_receipt_leaves_out_the_back_link_by_default(client):
    page = _receipt(client, f"?host_origin={HOST}")
    assert "Tilbake til forsiden" not in page and "Tilbake til skjemaet" not in page


def test_embed_receipt_back_link_on_request_stays_in_the_frame(client):
    page = _receipt(client, f"?host_origin={HOST}&back_link=show")
    link = re.search(r'<a href="([^"]+)"[^>]*>Tilbake til skjemaet</a>', page)
    assert link, "the back link is shown"
    href = link.group(0)
    assert link.group(1).startswith("/embed/kontakt?") and "target=" not in href
    assert "back_link=show" in link.group(1)


def test_site_receipt_keeps_its_front_page_link(app, client):
    page = client.get("/kontakt").get_data(as_text=True)
    posted = client.post("/kontakt", data=answers(form_token=token_in(page)), headers=SAME_ORIGIN)
    receipt = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert '<a href="/">Tilbake til forsiden</a>' in receipt


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_embed_links_out_of_the_frame_say_they_open_a_new_tab(client, lang):
    page = client.get(FORM_PATHS[lang]).get_data(as_text=True)
    leaving = re.findall(r'<a href="(?!#|mailto:)[^"]*"[^>]*>.*?</a>', page, re.S)
    assert len(leaving) == 2  # the privacy notice, in the form and at the foot
    for link in leaving:
        assert 'target="_blank" rel="noopener"' in link
        assert NEW_TAB[lang] in link


def test_site_form_links_open_in_place(client):
    page = client.get("/kontakt").get_data(as_text=True)
    assert 'target="_blank"' not in page
    assert NEW_TAB["nb"] not in page
