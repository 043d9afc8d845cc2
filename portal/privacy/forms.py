"""The privacy feature's forms: the hold on an enquiry's page, and data-subject requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.privacy.holds import REFERENCE_MAX_LENGTH
from portal.web.forms import Form

HOLD_CHOICES = [
    SelectChoice("", _l("No hold: the purge anonymises it when its time comes")),
    SelectChoice("journaled", _l("Journaled in USN's records system")),
    SelectChoice("legal", _l("Legal hold")),
]


class HoldForm(Form):
    """Which hold keeps the purge away, and the archive reference of a journaled case."""

    kind = RadioField(_l("Hold"), choices=HOLD_CHOICES, default="")
    reference = StringField(
        _l("Archive reference"),
        validators=[
            Optional(),
            Length(max=REFERENCE_MAX_LENGTH, message=_l("Use at most 100 characters.")),
        ],
    )

    def validate_reference(self, field) -> None:
        if self.kind.data == "journaled" and not (field.data or "").strip():
            raise ValidationError(_l("Enter the archive reference of the journaled case."))


class FindForm(Form):
    """An email address to look up (GET, in the URL)."""

    class Meta:
        csrf = False

    email = StringField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter the email address to look up.")),
            Length(max=254, message=_l("Use at most 254 characters.")),
        ],
    )


class EraseForm(Form):
    """Erase everything held about an address: needs a tick to confirm."""

    email = HiddenField(validators=[DataRequired(), Length(max=254)])
    confirm = BooleanField(
        _l("I have checked that the request comes from the person this address belongs to"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class AnsweredForm(Form):
    """Mark a request answered (only the CSRF token)."""
