"""The audit viewer's filters (GET, in the URL)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from portal.audit.queries import AuditFilters
from portal.web.forms import Form

GROUP_LABELS = {
    "login": _l("Sign-ins"),
    "account": _l("Changes to accounts"),
    "export": _l("Exports"),
    "enquiry": _l("Anonymised enquiries"),
    "privacy": _l("Holds and data-subject requests"),
}
NOT_A_CHOICE = _l("Choose one of the options.")
NOT_A_DATE = _l("Enter a date like 2026-03-31.")


class _Choice(SelectField):
    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(str(NOT_A_CHOICE)) from error


class _Day(DateField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(NOT_A_DATE)) from error


class AuditFilterForm(Form):
    """Person, kind of act and a date range; anything invalid is shown as an error."""

    class Meta:
        csrf = False

    person = _Choice(_l("Person"), validators=[Optional()])
    kind = _Choice(_l("Kind of act"), validators=[Optional()])
    since = _Day(_l("From"), validators=[Optional()])
    until = _Day(_l("To"), validators=[Optional()])

    def __init__(self, formdata, people: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.person.choices = [
            SelectChoice("", _l("Anyone")),
            *(SelectChoice(str(person_id), name) for person_id, name in people),
        ]
        self.kind.choices = [
            SelectChoice("", _l("Every kind")),
            *(SelectChoice(code, label) for code, label in GROUP_LABELS.items()),
        ]

    def filters(self) -> AuditFilters:
        return AuditFilters(
            actor_id=int(self.person.data) if self.person.data else None,
            group=self.kind.data or None,
            since=self.since.data,
            until=self.until.data,
        )
