"""Inbox forms: the list's filters (GET, in the URL), bulk actions, saved views, admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SearchField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from portal.accounts.models import StaffUser
from portal.accounts.queries import Colleague
from portal.inbox import labels
from portal.inbox.filters import chosen
from portal.inbox.keyset import ORDERS, SORTS
from portal.inbox.models import TAG_MAX_LENGTH, TEMPLATE_NAME_MAX_LENGTH, VIEW_NAME_MAX_LENGTH
from portal.inbox.outcomes import DEFAULT_OUTCOME, FINAL_STATUSES, OUTCOMES
from portal.inbox.queries import STATUS_FILTERS, Filters
from portal.inbox.replies import TEMPLATE_MAX_LENGTH
from portal.inbox.services import BULK_ACTIONS, InvalidChange, normalise_tag
from portal.intake.models import ENQUIRY_TYPES
from portal.web.forms import NOT_A_CHOICE, Choice, Day, Form

SORT_LABELS = {
    "received": _l("Received"),
    "updated": _l("Last change"),
    "priority": _l("Priority"),
    "due": _l("Due date"),
    "follow_up": _l("Follow-up date"),
}
ORDER_LABELS = {"desc": _l("Newest or highest first"), "asc": _l("Oldest or lowest first")}


def required(field_class, label, missing, max_length: int, too_long):
    """A ``field_class`` field that must be filled in, with at most ``max_length`` characters."""
    return field_class(
        label, validators=[DataRequired(missing), Length(max=max_length, message=too_long)]
    )


def _any(label) -> list[SelectChoice]:
    return [SelectChoice("", label)]


def staff_options(staff: list[StaffUser] | list[Colleague]) -> list[SelectChoice]:
    return [SelectChoice(str(person.id), person.name) for person in staff]


class FilterForm(Form):
    """The list's filters, read from the query string (no CSRF: a GET that changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = Choice(_l("Status"), validators=[Optional()], validate_choice=True)
    enquiry_type = Choice(_l("Enquiry type"), validators=[Optional()])
    organisation_type = Choice(_l("Organisation type"), validators=[Optional()])
    region = Choice(_l("Region"), validators=[Optional()])
    assignee = Choice(_l("Assignee"), validators=[Optional()])
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=TAG_MAX_LENGTH)])
    received_from = Day(_l("Received from"), validators=[Optional()])
    received_to = Day(_l("Received to"), validators=[Optional()])
    overdue = BooleanField(_l("Only overdue"))
    sort = Choice(_l("Sort by"), validators=[Optional()])
    order = Choice(_l("Order"), validators=[Optional()])

    def __init__(self, formdata, staff: list[StaffUser] | list[Colleague], **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.added = chosen(formdata or {})
        self.status.choices = [
            *_any(_l("All but spam")),
            SelectChoice("open", _l("Open")),
            *labels.choices(labels.STATUS),
        ]
        self.enquiry_type.choices = [*_any(_l("Any type")), *labels.choices(labels.ENQUIRY_TYPE)]
        self.organisation_type.choices = [
            *_any(_l("Any")),
            *labels.choices(labels.ORGANISATION_TYPE),
        ]
        self.region.choices = [*_any(_l("Any region")), *labels.choices(labels.REGION)]
        self.assignee.choices = [
            *_any(_l("Anyone")),
            SelectChoice("me", _l("Me")),
            SelectChoice("none", _l("Nobody")),
            *staff_options(staff),
        ]
        self.sort.choices = labels.choices(SORT_LABELS)
        self.order.choices = labels.choices(ORDER_LABELS)

    def words(self) -> dict:
        """Each built-in filter's label and, for a choice, its values' labels (for the chips)."""
        found = {}
        for field in self:
            if field.short_name in ("sort", "order"):
                continue
            choices = getattr(field, "choices", None)
            values = {str(c.value): str(c.label) for c in choices} if choices else None
            found[field.short_name] = (field.label.text, values)
        found["overdue"] = ("", {"y": str(_l("Overdue"))})
        return found

    def filters(self) -> Filters:
        """The valid filters; a field that does not validate is left out (never an error page)."""
        self.validate()
        valid = {name: field.data for name, field in self._fields.items() if not field.errors}
        tag = valid.get("tag")
        try:
            tag = normalise_tag(tag) if tag else None
        except InvalidChange:
            tag = None
        return Filters(
            status=valid.get("status") if valid.get("status") in STATUS_FILTERS else None,
            enquiry_type=valid.get("enquiry_type") or None,
            organisation_type=valid.get("organisation_type") or None,
            region=valid.get("region") or None,
            assignee=valid.get("assignee") or None,
            tag=tag,
            received_from=valid.get("received_from"),
            received_to=valid.get("received_to"),
            overdue=bool(valid.get("overdue")),
            q=(valid.get("q") or "").strip(),
            sort=valid.get("sort") if valid.get("sort") in SORTS else "received",
            order=valid.get("order") if valid.get("order") in ORDERS else "desc",
            extra=self.added,
        )


class BulkForm(Form):
    """Selected rows and one action: the pressed button's ``action`` value says which."""

    ids = SelectMultipleField(
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Select at least one enquiry."))],
    )
    action = HiddenField(validators=[AnyOf(BULK_ACTIONS, message=NOT_A_CHOICE)])
    assignee = Choice(_l("Assign to"), validators=[Optional()])
    status = Choice(
        _l("Set status"), choices=labels.choices(labels.STATUS), validators=[Optional()]
    )
    outcome = Choice(_l("What came of it"), validators=[Optional()])
    tag = StringField(_l("Add tag"), validators=[Optional(), Length(max=TAG_MAX_LENGTH)])
    return_to = HiddenField()

    def __init__(self, staff: list[StaffUser] | list[Colleague], **kwargs) -> None:
        super().__init__(**kwargs)
        self.assignee.choices = _any(_l("Nobody")) + staff_options(staff)
        self.outcome.choices = _any(_l("Not chosen")) + labels.choices(OUTCOMES)

    def validate_action(self, field) -> None:
        """Setting an ending status asks what came of it (its default, for "agreed")."""
        if field.data != "status":
            return
        status, outcome = self.status.data, self.outcome.data
        if status in FINAL_STATUSES and status not in DEFAULT_OUTCOME and not outcome:
            raise ValidationError(_l("Choose what came of it."))
        if outcome == "referred":
            # To whom differs per enquiry: that is said on each enquiry's own page.
            raise ValidationError(_l("Record a referral on the enquiry's own page."))

    def value(self) -> str | None:
        """The value the chosen action needs."""
        return {"assign": self.assignee.data, "status": self.status.data, "tag": self.tag.data}.get(
            self.action.data
        )


class SaveViewForm(Form):
    name = required(
        StringField,
        _l("Name of the view"),
        _l("Give the view a name."),
        VIEW_NAME_MAX_LENGTH,
        _l("Use at most 60 characters."),
    )
    query = HiddenField()


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class TemplateForm(Form):
    name = required(
        StringField,
        _l("Name"),
        _l("Give the template a name."),
        TEMPLATE_NAME_MAX_LENGTH,
        _l("Use at most 100 characters."),
    )
    lang = Choice(_l("Language"), choices=labels.choices(labels.LANGUAGE))
    body = required(
        TextAreaField,
        _l("Text"),
        _l("Write the text."),
        TEMPLATE_MAX_LENGTH,
        _l("Use at most 10000 characters."),
    )


class RoutingForm(Form):
    """One default assignee per enquiry type (fields named after the type codes)."""

    def __init__(self, staff: list[StaffUser], **kwargs) -> None:
        super().__init__(**kwargs)
        for enquiry_type in ENQUIRY_TYPES:
            self[enquiry_type].choices = _any(_l("Nobody (no rule)")) + staff_options(staff)

    def assignees(self) -> dict[str, int | None]:
        return {code: int(self[code].data) if self[code].data else None for code in ENQUIRY_TYPES}


for _code in ENQUIRY_TYPES:
    setattr(RoutingForm, _code, Choice(labels.ENQUIRY_TYPE[_code]))
