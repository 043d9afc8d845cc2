"""Languages in the route: one endpoint, one URL rule per language, and Babel's locale from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from flask import Blueprint, Flask, current_app, g, request, url_for
from werkzeug.routing import BuildError

from portal.web.urls import public_url

LANGS: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT_LANG = "nb"
# Each language's name in that language, for the language switch.
LANG_NAMES: dict[str, str] = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
PACKAGE = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    """Every feature's ``translations`` folder: catalogues live beside the code they serve."""
    return sorted(str(path) for path in PACKAGE.glob("*/translations") if path.is_dir())


def localized_route(bp: Blueprint, paths: Mapping[str, str], **options) -> Callable:
    """Register ``view`` once per language: ``{"nb": "/kontakt", "nn": ..., "en": ...}``.

    The view receives ``lang``; ``url_for`` keeps the visitor's language unless given another.
    """
    missing = set(LANGS) - set(paths)
    if missing:
        raise ValueError(f"localized_route needs a path for {sorted(missing)}")

    def decorator(view: Callable) -> Callable:
        for lang in LANGS:
            bp.add_url_rule(paths[lang], view_func=view, defaults={"lang": lang}, **options)
        return view

    return decorator


def lang_from_path(path: str) -> str:
    """The language a URL is in, for pages no rule matched (404) and plain paths."""
    for lang in LANGS:
        if lang != DEFAULT_LANG and (path == f"/{lang}" or path.startswith(f"/{lang}/")):
            return lang
    return DEFAULT_LANG


def current_lang() -> str:
    """Babel's locale selector: the route's language, else the path's."""
    lang = g.get("lang")
    if lang in LANGS:
        return lang
    try:
        return lang_from_path(request.path)
    except RuntimeError:  # outside a request (CLI, worker): the default language
        return DEFAULT_LANG


def alternates() -> list[dict]:
    """The current page in every language: ``url`` for the language switch, ``href`` (absolute on
    PUBLIC_BASE_URL, as search engines want them) for hreflang and canonical links."""
    endpoint = request.endpoint
    if not endpoint or request.url_rule is None or "lang" not in request.url_rule.arguments:
        return []
    args = {k: v for k, v in (request.view_args or {}).items() if k != "lang"}
    links = []
    for lang in LANGS:
        try:
            url = url_for(endpoint, lang=lang, **args)
        except BuildError:
            continue
        links.append(
            {
                "lang": lang,
                "name": LANG_NAMES[lang],
                "url": url,
                "href": public_url(endpoint, lang=lang, **args),
                "current": lang == current_lang(),
            }
        )
    return links


def _pull_lang(endpoint: str | None, values: dict | None) -> None:
    if values and values.get("lang") in LANGS:
        g.lang = values["lang"]


def _push_lang(endpoint: str, values: dict) -> None:
    if "lang" in values or not g.get("lang"):
        return
    try:
        expects_lang = current_app.url_map.is_endpoint_expecting(endpoint, "lang")
    except KeyError:  # no such endpoint: url_for raises its own BuildError next
        return
    if expects_lang:
        values["lang"] = g.lang


def init_app(app: Flask) -> None:
    """The language processors and the templates' globals (their ``_()`` is Flask-Babel's)."""
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)
    app.jinja_env.globals.update(
        LANGS=LANGS, LANG_NAMES=LANG_NAMES, current_lang=current_lang, alternates=alternates
    )
