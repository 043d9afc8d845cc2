"""The enquirer's private status page: what has happened, adding information, withdrawing consent.

Reached only through the signed link in the receipt email; a wrong token is a plain 404. Its
forms are protected like the enquiry form (signed token, origin check, rate limit), set no
cookie, and come back filled in when refused.
"""

from __future__ import annotations

import logging

from flask import Response, abort, current_app, make_response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge

from portal.extensions import db
from portal.intake.antispam import (
    CASE_FORM,
    TokenRefused,
    issue_form_token,
    own_origins,
    read_form_token,
    same_origin_request,
    within_rate_limit,
)
from portal.intake.forms import SUBMITTED, CaseForm
from portal.intake.handling import REFUSALS, what_fitted
from portal.intake.labels import CHOICES, LABELS, status_word
from portal.intake.links import public_id_from_case
from portal.intake.mail import KEEP_IN_TOUCH_LABEL
from portal.intake.models import Enquiry
from portal.intake.queries import dialogue, enquiry_by_public_id
from portal.intake.services import (
    DATA_REQUESTS,
    add_information,
    ask_about_data,
    withdraw_consent,
)
from portal.intake.workdays import local_date
from portal.web.htmx import see_other

log = logging.getLogger(__name__)

CASE_SCOPE = "enquiry-case"
DONE = ("added", "withdrawn", "asked")
CONTACT_DETAILS = ("name", "email", "phone")
NOTICES = {
    "bad_token": _l(
        "We could not confirm that this was sent from our website, so nothing was saved. "
        "What you wrote is still here: please send it again."
    ),
    "expired": _l(
        "The page was open for a long time, so we have renewed it. What you wrote is still "
        "here: please send it again."
    ),
    "foreign_origin": _l(
        "We only accept this when it is sent from SESAM's own pages, so nothing was saved. "
        "What you wrote is still here: please send it again."
    ),
    "too_large": _l(
        "What you sent was larger than we can take, so nothing was saved. Below is what "
        "fitted: please shorten it and send it again."
    ),
    "rate_limited": _l(
        "Many messages have been sent from your network in a short time, so nothing was "
        "saved. What you wrote is still here: please wait a minute and send it again."
    ),
    "unavailable": _l(
        "Because of a technical problem on our side we could not save this just now. What "
        "you wrote is still here: please try again in a few minutes."
    ),
}


def handle_case_page(lang: str, token: str) -> Response:
    """GET shows the enquiry's state; POST adds information or withdraws consent."""
    public_id = public_id_from_case(token)
    enquiry = enquiry_by_public_id(public_id) if public_id else None
    if enquiry is None:
        abort(404)
    if request.method != "POST":
        return _show(enquiry, CaseForm(formdata=None), fresh_token=True)
    try:
        form = CaseForm()
    except RequestEntityTooLarge:
        form = CaseForm(formdata=what_fitted())
        form.validate()
        return _show(enquiry, form, refusal="too_large", fresh_token=True)
    try:
        return _act(lang, token, enquiry, form)
    except OperationalError:
        db.session.rollback()
        log.error("database unavailable: the status page form went back to the visitor")
        return _show(enquiry, form, refusal="unavailable")


def _act(lang: str, token: str, enquiry: Enquiry, form: CaseForm) -> Response:
    if not within_rate_limit(CASE_SCOPE, current_app.config["SUBMIT_RATE_LIMIT"]):
        return _show(enquiry, form, refusal="rate_limited")
    if not same_origin_request(request.headers, own_origins()):
        return _show(enquiry, form, refusal="foreign_origin", fresh_token=True)
    try:
        posted = read_form_token(form.form_token.data, CASE_FORM)
    except TokenRefused:
        return _show(enquiry, form, refusal="bad_token", fresh_token=True)
    if posted.expired():
        return _show(enquiry, form, refusal="expired", fresh_token=True)
    if form.action.data == "withdraw":
        withdraw_consent(enquiry)
        return see_other(url_for("intake.case", lang=lang, token=token, done="withdrawn"))
    if form.action.data in DATA_REQUESTS:
        ask_about_data(enquiry, form.action.data)
        return see_other(url_for("intake.case", lang=lang, token=token, done="asked"))
    if not form.validate():
        return _show(enquiry, form)
    add_information(enquiry, form.information.data, nonce=posted.nonce)
    return see_other(url_for("intake.case", lang=lang, token=token, done="added"))


def submitted_answers(enquiry: Enquiry) -> list[tuple[str, str]]:
    """What the visitor sent but their contact details, as ``(label, value)`` in the current
    locale; blanks left out.

    Shown here, behind the private link, and never in the receipt email (which anyone may have
    had sent to their address). A link passed on shows no name, address or phone number."""
    rows = []
    for name in SUBMITTED:
        if name in CONTACT_DETAILS:
            continue
        value = getattr(enquiry, name)
        if name == "keep_in_touch":
            if value:
                rows.append((str(KEEP_IN_TOUCH_LABEL), str(LABELS[name])))
            continue
        if value in (None, ""):
            continue
        shown = CHOICES[name].get(value, value) if name in CHOICES else value
        rows.append((str(LABELS[name]), str(shown)))
    return rows


def _show(enquiry: Enquiry, form: CaseForm, refusal: str | None = None, fresh_token=False):
    if fresh_token:
        form.form_token.data = issue_form_token(CASE_FORM)
    status = REFUSALS[refusal][0] if refusal else 200
    done = request.args.get("done")
    assignee = enquiry.assignee if enquiry.assignee and enquiry.assignee.active else None
    page = render_template(
        "intake/case.html",
        enquiry=enquiry,
        form=form,
        notice=NOTICES.get(refusal),
        refusal=refusal,
        done=done if done in DONE else None,
        status_word=status_word(enquiry.status),
        received_on=local_date(enquiry.created_at),
        handler_name=assignee.first_name if assignee else None,
        consent_given=enquiry.keep_in_touch and enquiry.keep_in_touch_withdrawn_at is None,
        dialogue=dialogue(enquiry.id),
        answers=submitted_answers(enquiry),
        form_action=url_for(request.endpoint, **request.view_args),
    )
    return make_response(page, status)
