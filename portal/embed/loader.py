"""The ``/embed.js`` loader: its settings, and its response (versioned, loadable cross-origin)."""

from __future__ import annotations

from flask import Response, make_response, render_template, url_for
from flask_babel import force_locale, gettext

from portal.embed.origins import MAX_PAGE_LENGTH
from portal.web.i18n import DEFAULT_LANG, LANGS
from portal.web.security import allow_cross_origin_loading

VERSION = "1.1.0"  # 1.1: data-title="hidden", data-back-link="show"
# Bounds on the heights the loader accepts from its frame (SECURITY.md E5).
MIN_HEIGHT = 100
MAX_HEIGHT = 20000
INITIAL_HEIGHT = 900


def frame_title(lang: str) -> str:
    """The iframe's accessible name, in the frame's language."""
    with force_locale(lang):
        return gettext("Enquiry form for SESAM")


def loader_settings(prefill_fields: tuple[str, ...]) -> dict:
    """What the loader needs to know: paths and titles per language, fields, bounds, version."""
    return {
        "version": VERSION,
        "default_lang": DEFAULT_LANG,
        "langs": {
            lang: {"path": url_for("embed.form", lang=lang), "title": frame_title(lang)}
            for lang in LANGS
        },
        "fields": list(prefill_fields),
        "min_height": MIN_HEIGHT,
        "max_height": MAX_HEIGHT,
        "initial_height": INITIAL_HEIGHT,
        "max_page_length": MAX_PAGE_LENGTH,
    }


def loader_response(prefill_fields: tuple[str, ...]) -> Response:
    """The loader script (public, with an ETag: ``portal.web.http_caching``)."""
    body = render_template("embed/loader.js", settings=loader_settings(prefill_fields))
    response = make_response(body)
    response.mimetype = "text/javascript"
    allow_cross_origin_loading()
    return response
