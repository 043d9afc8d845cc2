"""The embeddable form: ``/embed/...`` pages (intake's form in minimal chrome), ``/embed.js``.

Embed is a skin: the form, its rules and its storage are intake's (``handle_enquiry_form``);
this blueprint owns the frame's chrome, its framing policy, the loader and the accent stylesheet.
Nothing here touches the session: no cookie is ever set (SECURITY.md E1).
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request

from portal.embed.frame import FRAMED, carry_frame_values, frame_context
from portal.embed.loader import loader_response
from portal.embed.origins import allowed_origins, allowed_source_page, parse_origins
from portal.embed.theme import darker, usable_accent
from portal.extensions import csrf
from portal.intake.forms import PREFILLABLE
from portal.intake.handling import FormPage, handle_enquiry_form, render_receipt
from portal.web.http_caching import same_for_everyone
from portal.web.i18n import localized_route
from portal.web.security import allow_framing_by

bp = Blueprint("embed", __name__)
csrf.exempt(bp)  # no session, so no session CSRF: intake's signed token and origin check instead
bp.url_defaults(carry_frame_values)

EMBED_FORM = FormPage(
    "embed/form.html", "embed.received", "embed", accept_source_page=allowed_source_page
)
PATHS = {
    "form": {"nb": "/embed/kontakt", "nn": "/nn/embed/kontakt", "en": "/en/embed/contact"},
    "received": {
        "nb": "/embed/kontakt/mottatt",
        "nn": "/nn/embed/kontakt/motteke",
        "en": "/en/embed/contact/received",
    },
}


@bp.record_once
def _check_origins(state) -> None:
    """Log invalid EMBED_ALLOWED_ORIGINS entries at start-up, not at the first framed request."""
    parse_origins(state.app.config.get("EMBED_ALLOWED_ORIGINS"))


@bp.before_request
def _frame_policy() -> None:
    """Embed pages (and their error pages) may be framed by the allow-listed origins only."""
    origins = allowed_origins()
    if request.endpoint in FRAMED and origins:
        allow_framing_by(list(origins))


@localized_route(bp, PATHS["form"], methods=["GET", "POST"])
def form(lang: str):
    """The enquiry form in the host page's frame: GET shows it, POST submits it."""
    page = allowed_source_page(request.args.get("source_page"))
    return handle_enquiry_form(lang, EMBED_FORM, source_page=page, **frame_context())


@localized_route(bp, PATHS["received"])
def received(lang: str):
    """The receipt inside the frame; tells the host page the form was sent."""
    return render_receipt("embed/received.html", submitted=True, **frame_context())


@bp.get("/embed.js")
@same_for_everyone
def loader():
    """The loader script the host page includes."""
    return loader_response(PREFILLABLE)


@bp.get("/embed/theme/<accent>.css")
@same_for_everyone
def theme(accent: str):
    """The host's accent colour as CSS; only canonical colours with AA contrast on white exist."""
    colour = usable_accent(accent)
    if colour is None or colour != accent:
        abort(404)
    css = render_template("embed/theme.css", accent=colour, accent_dark=darker(colour))
    response = make_response(css)
    response.mimetype = "text/css"
    return response
