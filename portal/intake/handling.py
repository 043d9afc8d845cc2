"""The enquiry form's request cycle (show, check, refuse, store), shared by the site and the embed.

A view hands over its language and a ``FormPage``; every answer keeps what the visitor typed:
validation errors 200, a bad token 400, a foreign origin 403, a post too large 413 (with what
fitted), a rate limit 429, the database down 503, each with the form filled in and a message.
Success is a 303 (or ``HX-Redirect``) to the receipt, whose URL carries the signed reference.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from portal.database import unavailable
from portal.extensions import db
from portal.intake.antispam import (
    TokenRefused,
    issue_form_token,
    own_origins,
    read_form_token,
    same_origin_request,
    spam_reasons,
    within_rate_limit,
)
from portal.intake.forms import EnquiryForm, prefill, valid_source_page
from portal.intake.links import receipt_token, reference_from_receipt
from portal.intake.queries import receipt_recipient
from portal.intake.services import submit_enquiry
from portal.web.caching import ENQUIRY_FORM_FIELDS
from portal.web.htmx import render_page_or_fragment, see_other

log = logging.getLogger(__name__)

SUBMIT_SCOPE = "enquiry-submit"  # one budget for every language and for the embed

# Why a POST was not stored: (status, message). The form always comes back filled in.
REFUSALS = {
    "bad_token": (
        400,
        _l(
            "We could not confirm that the form was sent from our website, so nothing was sent. "
            "Everything you wrote is still here: please press “Send enquiry” again."
        ),
    ),
    "expired": (
        400,
        _l(
            "The form was open for a long time, so we have renewed it. Everything you wrote "
            "is still here: please press “Send enquiry” again."
        ),
    ),
    "foreign_origin": (
        403,
        _l(
            "We only accept the form when it is sent from SESAM's own pages, so nothing was "
            "sent. Everything you wrote is still here: please press “Send enquiry” again."
        ),
    ),
    "too_large": (
        413,
        _l(
            "What you sent was larger than we can take, so nothing was sent. Below is what "
            "fitted: please check it, shorten the longest text and press “Send enquiry” again."
        ),
    ),
    "rate_limited": (
        429,
        _l(
            "Many enquiries have been sent from your network in a short time, so nothing was "
            "sent. Everything you wrote is still here: please wait a minute and press “Send "
            "enquiry” again."
        ),
    ),
    "unavailable": (
        503,
        _l(
            "Because of a technical problem on our side we could not save your enquiry just "
            "now. Everything you wrote is still here: please try again in a few minutes."
        ),
    ),
}
# Refusals after which the visitor's token is replaced (it was bad, old or sent from elsewhere).
FRESH_TOKEN = ("bad_token", "expired", "foreign_origin", "too_large")


@dataclass(frozen=True)
class FormPage:
    """Where the form is shown: page template, receipt endpoint, and the ``source`` stored.

    ``accept_source_page`` turns the posted embedding-page address into what is stored (None
    to drop it); the embed can pass a stricter one (its origin allow-list).
    """

    template: str
    receipt_endpoint: str
    source: str
    fragment: str = "intake/_form.html"
    accept_source_page: Callable[[str | None], str | None] = valid_source_page


SITE_FORM = FormPage("intake/form.html", "intake.received", "site")


def handle_enquiry_form(
    lang: str, page: FormPage, *, source_page: str | None = None, **context
) -> Response:
    """GET shows the form (pre-filled from the link); POST checks and stores, or refuses.

    ``source_page`` goes into the hidden field on GET (the embed's host page); ``context``
    reaches the templates and may override ``form_action`` (default: this URL, no query).
    """
    if request.method != "POST":
        return _show_new(page, source_page, context)
    try:
        form = EnquiryForm()
    except RequestEntityTooLarge:
        form = EnquiryForm(formdata=what_fitted())
        form.validate()  # says which text is too long
        return _show(page, form, context, refusal="too_large")
    try:
        return _submit(lang, page, form, context)
    except Exception as error:
        if not unavailable(error):  # down, slow, locked, no free connection, or frozen
            raise
        db.session.rollback()
        log.error("database unavailable: the enquiry form went back to the visitor")
        return _show(page, form, context, refusal="unavailable")


def what_fitted() -> MultiDict:
    """The fields of an over-large form post as far as they fit in ``MAX_CONTENT_LENGTH``, the
    last one cut short, so the visitor gets their text back instead of an error page. (The
    size is checked from Content-Length before anything is read, so the body is still there.)"""
    if request.mimetype != "application/x-www-form-urlencoded":
        return MultiDict()
    raw = request.environ["wsgi.input"].read(current_app.config["MAX_CONTENT_LENGTH"])
    return MultiDict(parse_qsl(raw.decode("ascii", "replace"), keep_blank_values=True))


def _submit(lang: str, page: FormPage, form: EnquiryForm, context: dict) -> Response:
    if not within_rate_limit(SUBMIT_SCOPE, current_app.config["SUBMIT_RATE_LIMIT"]):
        return _show(page, form, context, refusal="rate_limited")
    if not same_origin_request(request.headers, own_origins()):
        return _show(page, form, context, refusal="foreign_origin")
    try:
        token = read_form_token(form.form_token.data)
    except TokenRefused:
        return _show(page, form, context, refusal="bad_token")
    if token.expired():
        return _show(page, form, context, refusal="expired")
    if not form.validate():
        return _show(page, form, context)
    values = form.submission()
    enquiry = submit_enquiry(
        **values,
        lang=lang,
        source=page.source,
        nonce=token.nonce,
        source_page=page.accept_source_page(form.source_page.data),
        spam_reasons=spam_reasons(values, token=token, trap_filled=form.trap_filled()),
    )
    receipt = url_for(page.receipt_endpoint, lang=lang, t=receipt_token(enquiry.reference))
    return see_other(receipt)


def _show_new(page: FormPage, source_page: str | None, context: dict) -> Response:
    """A new form, pre-filled from the link, with a fresh token. Without pre-filled answers its
    questions are the same for everyone, so they may come from the cache."""
    answers = prefill(request.args)
    form = EnquiryForm(formdata=None, data=answers)
    form.source_page.data = source_page
    form.form_token.data = issue_form_token()
    fields_cache = None if answers else ENQUIRY_FORM_FIELDS
    return _show(page, form, {"fields_cache": fields_cache, **context})


def _show(page: FormPage, form: EnquiryForm, context: dict, refusal: str | None = None):
    # A refused token is replaced; otherwise the visitor keeps theirs, so the fill time still
    # counts from when the form was first shown. (A new form has its token already.)
    if refusal in FRESH_TOKEN:
        form.form_token.data = issue_form_token()
    status, notice = REFUSALS.get(refusal, (200, None))
    context = {"form_action": url_for(request.endpoint, **request.view_args), **context}
    return render_page_or_fragment(
        page.template,
        page.fragment,
        status=status,
        form=form,
        notice=notice,
        refusal=refusal,
        **context,
    )


def render_receipt(template: str, **context) -> str:
    """The receipt page for the signed reference in ``?t=``; a plain 404 without a valid one."""
    token = request.args.get("t")
    reference = reference_from_receipt(token)
    if reference is None:
        abort(404)
    # alternates() builds the language links from view_args: keep the token on them.
    request.view_args["t"] = token
    days = current_app.config["FIRST_RESPONSE_WORKING_DAYS"]
    receipt_to = masked_address(receipt_recipient(reference))
    return render_template(
        template, reference=reference, working_days=days, receipt_to=receipt_to, **context
    )


def masked_address(address: str | None) -> str | None:
    """``kari.nordmann@example.org`` as ``ka•••@example.org``: enough for the sender to spot a
    typing error, not enough to give the address away to whoever sees the receipt page."""
    if not address or "@" not in address:
        return None
    local, _, domain = address.rpartition("@")
    shown = local[:2] if len(local) > 3 else local[:1]
    return f"{shown}•••@{domain}"
