"""Languages in the route: one endpoint, one URL rule per language, and Babel's locale from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from babel.support import NullTranslations
from flask import Blueprint, Flask, current_app, g, request, url_for
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup
from werkzeug.routing import BuildError

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
    """The current page in every language (for the language switch and hreflang links)."""
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


def translations() -> NullTranslations:
    """The translations for the current locale, remembered for the rest of the request.

    Flask-Babel resolves its domain, the locale and the locale's name on every message; a page
    translates a hundred. The catalogue is remembered beside Flask-Babel's own locale (in its
    namespace on ``g``) and used while that locale is the same object, so ``force_locale``
    (which sets another) still switches language. Outside an app context: Flask-Babel's answer.
    """
    babel = getattr(g, "_flask_babel", None) if g else None
    if babel is not None:
        known = babel.__dict__.get("portal_translations")
        if known is not None and known[0] is babel.__dict__.get("babel_locale"):
            return known[1]
    locale = get_locale()
    catalogue = get_translations()
    if locale is not None:
        g._flask_babel.portal_translations = (locale, catalogue)
    return catalogue


def _pgettext(context: str, message: str) -> str:
    return translations().upgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations().unpgettext(context, singular, plural, n)


# The same functions as Flask-Babel's, through the remembered catalogue: a form's labels and
# choices are lazy strings, and the enquiry form turns about a hundred of them into text.
def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext``: the translation, %-formatted with ``variables`` if any."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ``ngettext``: ``num`` is also a variable of the text."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's ``lazy_gettext``: translated each time it is turned into text."""
    return LazyString(gettext, string, **variables)


# What Jinja's newstyle gettext does (a Markup under autoescape, always %-formatted with the
# keyword arguments), in one call from the template instead of three: ``_()`` is on every page
# dozens of times, and each call through Jinja's ``Context.call`` costs more than the lookup.
@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables) -> str:
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our own catalogue; the variables are escaped by %)
    return text % variables


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables
) -> str:
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our own catalogue; the variables are escaped by %)
    return text % variables


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)
    # Templates' translation functions: the same catalogues as Flask-Babel's, looked up once;
    # _(), gettext() and ngettext() then replace Jinja's newstyle wrappers with one call each.
    app.jinja_env.install_gettext_callables(
        gettext=gettext,
        ngettext=ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
        newstyle=True,
    )
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )
    app.jinja_env.globals.update(
        LANGS=LANGS, LANG_NAMES=LANG_NAMES, current_lang=current_lang, alternates=alternates
    )
