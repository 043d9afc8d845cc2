"""Flask-Babel as the portal installs it: templates' ``_()`` and ``ngettext()`` in the request's
language with Jinja's newstyle rules (escaped variables, always %-formatted), Python's
``gettext`` and lazy strings, and ``force_locale`` switching language mid-request."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext


def _render(app: Flask, path: str, source: str, **context) -> str:
    # A context of its own, as each request has: Flask-Babel keeps the locale on ``g``.
    with app.app_context(), app.test_request_context(path):
        return render_template_string(source, **context)


def test_the_template_gettext_follows_the_language_of_the_page(app: Flask) -> None:
    source = "{{ _('Waiting to be sent') }}"
    assert _render(app, "/nn/", source) == "Ventar på å bli send"
    assert _render(app, "/en/", source) == "Waiting to be sent"


def test_variables_are_escaped_and_the_text_is_formatted_even_without_them(app: Flask) -> None:
    html = _render(app, "/en/", "{{ _('Hello %(name)s', name=who) }}", who="<b>Ada</b>")
    assert html == "Hello &lt;b&gt;Ada&lt;/b&gt;"
    assert _render(app, "/en/", "{{ _('100%% sure') }}") == "100% sure"


def test_ngettext_chooses_the_plural_and_fills_in_num(app: Flask) -> None:
    source = "{{ ngettext('%(num)s attempt so far', '%(num)s attempts so far', n) }}"
    assert _render(app, "/en/", source, n=1) == "1 attempt so far"
    assert _render(app, "/en/", source, n=3) == "3 attempts so far"
    assert _render(app, "/nn/", source, n=3) == "3 forsøk så langt"


def test_force_locale_switches_the_language_of_a_template_and_back(app: Flask) -> None:
    source = "{{ _('Waiting to be sent') }}"
    with app.app_context(), app.test_request_context("/en/"):
        assert render_template_string(source) == "Waiting to be sent"
        with force_locale("nn"):
            assert render_template_string(source) == "Ventar på å bli send"
        assert render_template_string(source) == "Waiting to be sent"


def test_python_gettext_and_lazy_strings_follow_the_request_and_force_locale(app: Flask) -> None:
    label = lazy_gettext("Waiting to be sent")
    with app.app_context(), app.test_request_context("/nn/"):
        assert str(label) == gettext("Waiting to be sent") == "Ventar på å bli send"
        assert gettext("Hello %(name)s", name="<b>") == "Hello <b>"  # plain text: no escaping
        assert ngettext("%(num)s attempt so far", "%(num)s attempts so far", 2) == (
            "2 forsøk så langt"
        )
        with force_locale("en"):
            assert str(label) == "Waiting to be sent"
        assert str(label) == "Ventar på å bli send"


def test_outside_an_app_context_the_text_is_the_message_itself() -> None:
    assert gettext("Waiting to be sent") == "Waiting to be sent"
    assert str(lazy_gettext("Hello %(name)s", name="Ada")) == "Hello Ada"
