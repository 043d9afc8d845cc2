"""The public site: landing page, privacy notice and accessibility statement, in three languages."""

from __future__ import annotations

from flask import Blueprint, current_app, has_request_context, render_template, url_for
from werkzeug.routing import BuildError

from portal.extensions import cache
from portal.public.film import film_from_config
from portal.web.caching import PUBLIC_PAGES, public_page_key
from portal.web.http_caching import same_for_everyone
from portal.web.i18n import localized_route

bp = Blueprint("public", __name__)

PAGES = {
    "landing": {"nb": "/", "nn": "/nn/", "en": "/en/"},
    "privacy": {"nb": "/personvern", "nn": "/nn/personvern", "en": "/en/privacy"},
    "accessibility": {"nb": "/tilgjengelighet", "nn": "/nn/tilgjenge", "en": "/en/accessibility"},
}


def _url_or_none(endpoint: str) -> str | None:
    try:
        return url_for(endpoint)
    except BuildError:
        return None


@bp.app_context_processor
def site_context() -> dict:
    """Links and configured resources every public template may use."""
    if not has_request_context():
        return {}
    config = current_app.config
    return {
        "links": {
            "home": url_for("public.landing"),
            "contact": _url_or_none("intake.form"),
            "privacy": url_for("public.privacy"),
            "accessibility": url_for("public.accessibility"),
        },
        "handbook_url": config["HANDBOOK_URL"],
        "sesam_home_url": config["SESAM_HOME_URL"],
        "contact_email": config["CONTACT_EMAIL"],
        "privacy_version": config["PRIVACY_NOTICE_VERSION"],
    }


def _page(key: str, lang: str, **context):
    return render_template(f"public/pages/{lang}/{key}.html", page=key, **context)


@localized_route(bp, PAGES["landing"])
@same_for_everyone
@cache.cached(timeout=PUBLIC_PAGES.seconds, make_cache_key=public_page_key)
def landing(lang: str):
    """The landing page."""
    config = current_app.config
    film = film_from_config(config["FILM_URL"], config["FILM_TRANSCRIPT_URL"])
    return _page("landing", lang, film=film)


@localized_route(bp, PAGES["privacy"])
@same_for_everyone
@cache.cached(timeout=PUBLIC_PAGES.seconds, make_cache_key=public_page_key)
def privacy(lang: str):
    """The privacy notice."""
    return _page("privacy", lang)


@localized_route(bp, PAGES["accessibility"])
@same_for_everyone
@cache.cached(timeout=PUBLIC_PAGES.seconds, make_cache_key=public_page_key)
def accessibility(lang: str):
    """The accessibility statement."""
    return _page("accessibility", lang)
