"""The audit viewer's filters (GET, in the URL)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.audit.queries import AuditFilters
from portal.web.forms import Choice, Day, Form

GROUP_LABELS = {
    "login": _l("Sign-ins"),
    "account": _l("Changes to accounts"),
    "export": _l("Exports"),
    "enquiry": _l("Anonymised enquiries"),
    "privacy": _l("Holds and data-subject requests"),
}


class AuditFilterForm(Form):
    """Person, kind of act and a date range; anything invalid is shown as an error."""

    class Meta:
        csrf = False

    person = Choice(_l("Person"), validators=[Optional()])
    kind = Choice(_l("Kind of act"), validators=[Optional()])
    since = Day(_l("From"), validators=[Optional()])
    until = Day(_l("To"), validators=[Optional()])

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
