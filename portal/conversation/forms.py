"""Staff forms for unmatched mail: attach to an enquiry (by reference), discard."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from portal.web.forms import Form

REFERENCE_PATTERN = r"^\s*[Ss][Ee][Ss][Aa][Mm]-[0-9]{4}-[0-9]{4,6}\s*$"
BAD_REFERENCE = _l("Write a reference like SESAM-2026-0042.")


class AttachForm(Form):
    """Which enquiry an unmatched mail belongs to."""

    reference = StringField(
        _l("Reference of the enquiry"),
        validators=[
            DataRequired(BAD_REFERENCE),
            Length(max=30, message=BAD_REFERENCE),
            Regexp(REFERENCE_PATTERN, message=BAD_REFERENCE),
        ],
    )


class DecisionForm(Form):
    """A one-click decision (a suggestion taken, a discard): only the CSRF token."""
