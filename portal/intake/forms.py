"""The enquiry form (SPEC.md field contract): fields, normalisation, validation, pre-filling."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from portal.intake.labels import CHOICE_HINTS, CODE_LISTS, HINTS, LABELS, choices
from portal.intake.validation import (
    NoControlCharacters,
    RequiredIf,
    RequiredUnless,
    email_address,
    has_control_characters,
    multi_line,
    organisation_number,
    phone_number,
    single_line,
    stopping,
    without_format_characters,
)
from portal.web.forms import Form

# Fields the university may pre-fill from a link (SPEC.md); never free text, consent or hidden.
PREFILLABLE = (
    "organisation",
    "org_number",
    "organisation_type",
    "enquiry_type",
    "region",
    "involvement",
    "co_creation",
    "phase",
    "timeframe",
    "funding",
)
# The visitor's answers, in the order the service and the receipt email list them.
SUBMITTED = (
    "name",
    "email",
    "phone",
    "organisation",
    "org_number",
    "organisation_type",
    "enquiry_type",
    "region",
    "problem",
    "affected",
    "involvement",
    "co_creation",
    "phase",
    "timeframe",
    "funding",
    "message",
    "contact_preference",
    "accessibility_needs",
    "keep_in_touch",
)
# Fields the htmx endpoint validates one at a time as the visitor leaves them.
VALIDATED_ON_BLUR = (
    "name",
    "email",
    "phone",
    "organisation",
    "org_number",
    "problem",
    "affected",
    "message",
    "accessibility_needs",
)
NO_ORGANISATION_NEEDED = ("private", "student")
SOURCE_PAGE_MAX = 2000
HOST_MAX = 253  # the longest name DNS allows (enquiry.source_host)


def _too_long(limit: int):
    # No maxlength attribute: browsers would cut pasted text silently; the message says why.
    return stopping(Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit)))


def _one_of(name: str):
    return AnyOf(CODE_LISTS[name], message=_l("Choose one of the options."))


def _text(name, presence, *checks, limit, kind=StringField, lines=False, visible=False, **options):
    """A free-text field of the contract: normalised, no control characters, length-capped.

    ``presence`` says whether it is required (DataRequired runs after normalisation, so only
    spaces count as empty); ``checks`` run once the text is known to be clean and short enough.
    ``visible`` strips invisible format characters first (names and organisations).
    """
    clean = NoControlCharacters("\n\t" if lines else "")
    normalise = [multi_line if lines else single_line]
    return kind(
        LABELS[name],
        filters=[without_format_characters, *normalise] if visible else normalise,
        validators=[presence, clean, _too_long(limit), *checks],
        description=HINTS.get(name, ""),
        **options,
    )


def _choice(name, presence, kind=RadioField, blank=None, **options):
    return kind(
        LABELS[name],
        choices=[SelectChoice(code, label) for code, label in ([("", blank)] if blank else [])]
        + [SelectChoice(code, label) for code, label in choices(name)],
        validate_choice=False,  # AnyOf below gives a translated message instead
        validators=[presence, _one_of(name)],
        description=HINTS.get(name, ""),
        **options,
    )


def _required(message):
    return DataRequired(message=message)


# --------------------------------------------------------------------------- the form


class EnquiryForm(Form):
    """Every field of the contract plus the portal's hidden fields (token, page, honeypot)."""

    class Meta:
        csrf = False  # a session CSRF token would set a cookie; antispam.py protects the POST

    choice_hints = CHOICE_HINTS

    # In the order the form shows them (the error summary follows it): the problem first, then
    # who is asking, then the folded details.
    problem = _text(
        "problem",
        _required(_l("Describe the social problem.")),
        stopping(
            Length(
                min=20, message=_l("Write at least %(min)d characters about the problem.", min=20)
            )
        ),
        limit=5000,
        kind=TextAreaField,
        lines=True,
        render_kw={"rows": 6},
    )
    enquiry_type = _choice("enquiry_type", _required(_l("Choose what you would like from SESAM.")))
    affected = _text(
        "affected", Optional(), limit=2000, kind=TextAreaField, lines=True, render_kw={"rows": 4}
    )
    involvement = _choice("involvement", Optional())
    name = _text(
        "name",
        _required(_l("Enter your name.")),
        limit=200,
        visible=True,
        render_kw={"autocomplete": "name"},
    )
    email = _text(
        "email",
        _required(_l("Enter your email address.")),
        email_address,
        limit=254,
        kind=EmailField,
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    organisation_type = _choice(
        "organisation_type", _required(_l("Choose which describes you best."))
    )
    organisation = _text(
        "organisation",
        RequiredUnless(
            "organisation_type", NO_ORGANISATION_NEEDED, _l("Enter the name of your organisation.")
        ),
        limit=200,
        visible=True,
        render_kw={"autocomplete": "organization"},
    )
    co_creation = _choice("co_creation", Optional())
    phase = _choice("phase", Optional())
    timeframe = _choice("timeframe", Optional())
    funding = _choice("funding", Optional())
    message = _text(
        "message", Optional(), limit=5000, kind=TextAreaField, lines=True, render_kw={"rows": 5}
    )
    contact_preference = _choice("contact_preference", Optional(), default="email")
    phone = _text(
        "phone",
        RequiredIf(
            "contact_preference", "phone", _l("Enter a phone number, so that we can call you back.")
        ),
        phone_number,
        limit=40,
        kind=TelField,
        render_kw={"autocomplete": "tel"},
    )
    org_number = _text(
        "org_number",
        Optional(),
        organisation_number,
        limit=20,
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    region = _choice("region", Optional(), kind=SelectField, blank=_l("Choose a region"))
    accessibility_needs = _text(
        "accessibility_needs",
        Optional(),
        limit=1000,
        kind=TextAreaField,
        lines=True,
        render_kw={"rows": 3},
    )
    keep_in_touch = BooleanField(LABELS["keep_in_touch"], description=HINTS["keep_in_touch"])

    # The portal's own fields.
    form_token = HiddenField()
    source_page = HiddenField(filters=[single_line])
    website = StringField(LABELS["website"])  # the honeypot: people never see it

    def submission(self) -> dict:
        """The visitor's answers as plain values for ``services.submit_enquiry``."""
        values = {name: (self[name].data or None) for name in SUBMITTED}
        values["keep_in_touch"] = bool(self.keep_in_touch.data)
        values["contact_preference"] = self.contact_preference.data or "email"
        return values

    def trap_filled(self) -> bool:
        return bool((self.website.data or "").strip())


def valid_source_page(value: str | None) -> str | None:
    """``value`` if it is an absolute http(s) URL of at most 2000 characters, with a host name
    DNS could hold, else None."""
    if not value or len(value) > SOURCE_PAGE_MAX or has_control_characters(value):
        return None
    if " " in value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    host = parts.hostname
    return value if parts.scheme in ("http", "https") and host and len(host) <= HOST_MAX else None


def source_host(page: str | None) -> str | None:
    """The host of a stored source page (lower case), None without one."""
    return (urlsplit(page).hostname or None) if page else None


def prefill(args: Mapping[str, str]) -> dict:
    """Initial data from a link's query string: only SPEC's pre-fillable fields and codes."""
    data = {}
    for name in PREFILLABLE:
        value = single_line(args.get(name) or "")
        if not value:
            continue
        if name in CODE_LISTS and value not in CODE_LISTS[name]:
            continue
        data[name] = value[:200]
    return data


class CaseForm(Form):
    """The status page's forms: add information, or withdraw the keep-in-touch consent."""

    class Meta:
        csrf = False  # public page: protected by the signed token and the origin check

    information = TextAreaField(
        _l("Add information to your enquiry"),
        filters=[multi_line],
        validators=[
            DataRequired(message=_l("Write what you would like to add.")),
            NoControlCharacters("\n\t"),
            _too_long(5000),
        ],
        description=_l(
            "It is added to your enquiry and the person handling it is told. Do not write "
            "health details or other sensitive information about people who can be identified."
        ),
        render_kw={"rows": 6},
    )
    form_token = HiddenField()
    action = HiddenField()
