"""The intake's public pages: the enquiry form, its receipt, the status page, field validation.

No view here touches the session, ``flash()`` or ``csrf_token()``: nothing sets a cookie
(SECURITY.md E1). The blueprint is exempt from Flask-WTF's session CSRF; ``antispam``
protects its POSTs instead.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template

from portal.extensions import csrf, limiter
from portal.intake.case_page import handle_case_page
from portal.intake.forms import VALIDATED_ON_BLUR, EnquiryForm
from portal.intake.handling import SITE_FORM, handle_enquiry_form, render_receipt
from portal.web.i18n import localized_route

bp = Blueprint("intake", __name__)
csrf.exempt(bp)

FIELD_RATE_LIMIT = "120 per minute"  # blur validation: a few dozen requests per form at most
CASE_RATE_LIMIT = "30 per minute"

PATHS = {
    "form": {"nb": "/kontakt", "nn": "/nn/kontakt", "en": "/en/contact"},
    "received": {
        "nb": "/kontakt/mottatt",
        "nn": "/nn/kontakt/motteke",
        "en": "/en/contact/received",
    },
    "case": {
        "nb": "/kontakt/sak/<token>",
        "nn": "/nn/kontakt/sak/<token>",
        "en": "/en/contact/case/<token>",
    },
    "field": {
        "nb": "/kontakt/felt/<name>",
        "nn": "/nn/kontakt/felt/<name>",
        "en": "/en/contact/field/<name>",
    },
}


@localized_route(bp, PATHS["form"], methods=["GET", "POST"])
def form(lang: str):
    """The enquiry form: GET shows it, POST submits it."""
    return handle_enquiry_form(lang, SITE_FORM)


@localized_route(bp, PATHS["received"])
def received(lang: str):
    """The receipt after a successful POST: the reference number and what happens next."""
    return render_receipt("intake/received.html")


@localized_route(bp, PATHS["case"], methods=["GET", "POST"])
@limiter.limit(CASE_RATE_LIMIT, methods=["GET"])
def case(lang: str, token: str):
    """The enquirer's private status page (from the link in the receipt email)."""
    return handle_case_page(lang, token)


@localized_route(bp, PATHS["field"], methods=["POST"])
@limiter.limit(FIELD_RATE_LIMIT)
def field(lang: str, name: str):
    """One field validated as the visitor leaves it (htmx), the rest of the form as context."""
    if name not in VALIDATED_ON_BLUR:
        abort(404)
    enquiry_form = EnquiryForm()
    enquiry_form.validate()
    response = make_response(render_template("intake/_field.html", form=enquiry_form, name=name))
    response.vary.add("HX-Request")
    return response
