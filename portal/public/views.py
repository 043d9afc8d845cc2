"""The public site: landing page, privacy notice and accessibility statement, in three languages."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, has_request_context, render_template, url_for
from werkzeug.routing import BuildError

from portal.extensions import cache
from portal.public.film import film_from_config
from portal.web.areas import STAFF_PREFIX
from portal.web.assets import content_hash
from portal.web.caching import PUBLIC_PAGES, public_page_key
from portal.web.http_caching import same_for_everyone
from portal.web.i18n import LANGS, localized_route
from portal.web.urls import public_url

bp = Blueprint("public", __name__)

PAGES = {
    "landing": {"nb": "/", "nn": "/nn/", "en": "/en/"},
    "privacy": {"nb": "/personvern", "nn": "/nn/personvern", "en": "/en/privacy"},
    "accessibility": {"nb": "/tilgjengelighet", "nn": "/nn/tilgjenge", "en": "/en/accessibility"},
}

# The pages search engines may list, each in every language (the form is the intake feature's).
INDEXED = ("public.landing", "intake.form", "public.privacy", "public.accessibility")
# Never crawled: the staff area, the enquirers' private pages and the framed copies of the form.
NOT_CRAWLED = (
    STAFF_PREFIX + "/",
    "/kontakt/",
    "/nn/kontakt/",
    "/en/contact/",
    "/embed/",
    "/nn/embed/",
    "/en/embed/",
)
SOCIAL_IMAGE = "img/social-preview.png"  # made by `flask --app wsgi public social-image`


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
        "retention_months": config["RETENTION_MONTHS"],
        "spam_retention_days": config["SPAM_RETENTION_DAYS"],
        "social_image": public_url("static", filename=SOCIAL_IMAGE, v=content_hash(SOCIAL_IMAGE)),
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


@bp.route("/sitemap.xml")
@same_for_everyone
def sitemap():
    """The public pages in every language, each naming its translations (hreflang)."""
    pages = []
    for endpoint in INDEXED:
        try:
            urls = {lang: public_url(endpoint, lang=lang) for lang in LANGS}
        except BuildError:  # a feature that is not installed
            continue
        pages.extend({"loc": urls[lang], "alternates": urls} for lang in LANGS)
    xml = render_template("public/sitemap.xml", pages=pages)
    return Response(xml, mimetype="application/xml")


@bp.route("/robots.txt")
@same_for_everyone
def robots():
    """Crawlers welcome on the public pages; the staff area and private pages are kept out."""
    text = render_template(
        "public/robots.txt", not_crawled=NOT_CRAWLED, sitemap=public_url("public.sitemap")
    )
    return Response(text, mimetype="text/plain")
