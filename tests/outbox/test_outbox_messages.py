"""Email rendering: language, subject block, escaping, header checks and the shared layout."""

from __future__ import annotations

import re

import pytest
from flask import g
from jinja2 import ChoiceLoader, DictLoader, TemplateNotFound

from portal.outbox.messages import checked_header, paragraphs, render_message, tidy_text

FOOTERS = {
    "nb": ("Denne e-posten ble sendt automatisk fra SESAM-portalen.", "Sørøst-Norge"),
    "nn": ("Denne e-posten vart sendt automatisk frå SESAM-portalen.", "Søraust-Noreg"),
    "en": ("This message was sent automatically by the SESAM portal.", "South-Eastern Norway"),
}
SITE = {
    "nb": "http://127.0.0.1:5000/",
    "nn": "http://127.0.0.1:5000/nn/",
    "en": "http://127.0.0.1:5000/en/",
}
NOTICE = {"subject": "Ny henvendelse SESAM-2026-0001", "heading": "Hei", "body": "Les denne."}


def _with_templates(app, templates: dict[str, str]) -> None:
    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_render_message_speaks_the_language_asked_for(app, lang):
    subject, text, html = render_message("notice", lang, **NOTICE)
    footer, university = FOOTERS[lang]
    assert subject == "Ny henvendelse SESAM-2026-0001"
    assert footer in text and university in text
    assert footer in html and university in html
    assert f'<html lang="{lang}">' in html
    assert SITE[lang] in text and f'href="{SITE[lang]}"' in html
    assert "sesam@example.org" in text  # CONTACT_EMAIL from the test config


def test_render_message_subject_comes_from_the_txt_block_alone(app):
    subject, text, html = render_message("notice", "en", **NOTICE)
    assert subject == NOTICE["subject"]
    assert f"<title>{subject}</title>" in html
    assert text.startswith("Hei\n\nLes denne.\n")  # the subject block is not in the body


def test_render_message_escapes_html_but_keeps_text_verbatim(app):
    hostile = "<script>alert('x')</script> & \"quotes\""
    subject, text, html = render_message(
        "notice", "nb", subject="Svar <b>nå</b>", heading=hostile, body=hostile
    )
    assert hostile in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quotes&#34;" in html
    assert subject == "Svar <b>nå</b>"  # headers are plain text
    assert "<title>Svar &lt;b&gt;nå&lt;/b&gt;</title>" in html


def test_render_message_keeps_paragraphs_and_line_breaks_in_html(app):
    _, _, html = render_message("notice", "nb", subject="S", heading="H", body="a\nb\n\n\nc")
    assert "<p>a<br>b</p>" in html
    assert "<p>c</p>" in html


def test_render_message_link_defaults_to_a_translated_text(app):
    link = "http://127.0.0.1:5000/inbox/7"
    for lang, label in {
        "nb": "Åpne i portalen",
        "nn": "Opne i portalen",
        "en": "Open in the portal",
    }.items():
        _, text, html = render_message("notice", lang, link_url=link, **NOTICE)
        assert f'<a href="{link}">{label}</a>' in html
        assert f"{label}:\n{link}" in text
    _, text, html = render_message("notice", "en", link_url=link, link_text="See case", **NOTICE)
    assert f'<a href="{link}">See case</a>' in html


def test_email_layout_loads_nothing_from_elsewhere(app):
    _, _, html = render_message("notice", "nb", **NOTICE)
    assert "<img" not in html and "src=" not in html
    assert "<link" not in html and "@import" not in html and "<script" not in html
    assert re.search(r'<div class="mail" role="article" aria-roledescription="email"', html)


@pytest.mark.parametrize("subject", ["x\r\nBcc: evil@example.org", "x\nBcc: y", "x\rY", "a\x00b"])
def test_render_message_refuses_a_subject_with_a_line_break(app, subject):
    with pytest.raises(ValueError, match="Subject"):
        render_message("notice", "nb", subject=subject, heading="H", body="B")


@pytest.mark.parametrize("lang", ["de", "", "NB", "nb_NO"])
def test_render_message_refuses_unknown_languages(app, lang):
    with pytest.raises(ValueError, match="language"):
        render_message("notice", lang, **NOTICE)


@pytest.mark.parametrize("name", ["../base", "notice/../x", "Notice", "notice.nb", "_layout", ""])
def test_render_message_refuses_malformed_template_names(app, name):
    with pytest.raises(ValueError, match="template name"):
        render_message(name, "nb", **NOTICE)


def test_render_message_raises_for_a_missing_template(app):
    with pytest.raises(TemplateNotFound):
        render_message("no_such_message", "nb")


def test_render_message_html_part_is_optional(app):
    source = '{% extends "email/_layout.txt" %}{% block subject %}Hei{% endblock %}'
    _with_templates(
        app, {"email/plain_only.nb.txt": source + "{% block content %}Tekst{% endblock %}"}
    )
    subject, text, html = render_message("plain_only", "nb")
    assert (subject, html) == ("Hei", None)
    assert text.startswith("Tekst\n\n-- \nSESAM")


def test_render_message_needs_a_subject_block(app):
    _with_templates(
        app,
        {
            "email/no_subject.nb.txt": "Bare tekst",
            "email/empty_subject.nb.txt": "{% block subject %}  {% endblock %}Tekst",
        },
    )
    with pytest.raises(ValueError, match=re.escape("no {% block subject %}")):
        render_message("no_subject", "nb")
    with pytest.raises(ValueError, match="empty subject"):
        render_message("empty_subject", "nb")


@pytest.mark.parametrize(
    "value",
    ["a\r\nb", "a\nb", "a\rb", "a\x00b", "a\tb", "a\x0bb", "a\x85b", "a\u2028b", "a\u2029b"],
)
def test_checked_header_refuses_control_characters(value):
    with pytest.raises(ValueError, match="Reply-To"):
        checked_header(value, "Reply-To")


def test_checked_header_accepts_ordinary_text():
    value = "Blåbærsyltetøy – «SESAM» 😀 <kari@example.org>"
    assert checked_header(value, "Subject") == value


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("a\nb\n \nc\n\n\n") == [["a", "b"], ["c"]]
    assert paragraphs("") == []


def test_tidy_text_trims_lines_and_blank_runs_but_keeps_the_signature_mark():
    assert tidy_text("\n\nHei  \n\n\n\nDu\n-- \nSESAM\n\n") == "Hei\n\nDu\n-- \nSESAM\n"


def test_render_message_language_wins_over_the_request_language(app):
    with app.test_request_context("/en/"):
        g.lang = "en"
        _, text, _ = render_message("notice", "nn", **NOTICE)
        _, english, _ = render_message("notice", "en", **NOTICE)
    assert FOOTERS["nn"][0] in text and FOOTERS["en"][0] not in text
    assert FOOTERS["en"][0] in english
