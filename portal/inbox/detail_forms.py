"""The forms on an enquiry's page (``detail_views``): each changes one thing or adds a text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from portal.accounts.models import StaffUser
from portal.inbox import labels
from portal.inbox.forms import required, staff_options
from portal.inbox.outcomes import (
    DEFAULT_OUTCOME,
    FINAL_STATUSES,
    OUTCOME_TEXT_MAX_LENGTH,
    OUTCOMES,
    REFERRED_TO_MAX_LENGTH,
)
from portal.inbox.replies import REPLY_MAX_LENGTH
from portal.inbox.services import MAX_TAGS, NOTE_MAX_LENGTH, InvalidChange, normalise_tag
from portal.inbox.triage import Triage
from portal.web.forms import Choice, Day, Form


class ChangeForm(Form):
    """A form that changes one thing: ``value()`` is the plain value its service takes."""

    def value(self):
        """The data of the form's one field (beside the CSRF token)."""
        [field] = [field for field in self if field.short_name != "csrf_token"]
        return field.data


class StatusForm(ChangeForm):
    status = Choice(_l("Status"), choices=labels.choices(labels.STATUS))


def _valid_tags(form, field) -> None:
    tags = split_tags(field.data)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_l("Use at most %(count)s tags.", count=MAX_TAGS))
    for tag in tags:
        try:
            normalise_tag(tag)
        except InvalidChange as error:
            raise ValidationError(
                _l("Tags use letters, digits, spaces and hyphens, at most 40 characters.")
            ) from error


def split_tags(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class TriageForm(Form):
    """The handling panel: everything about how the enquiry is handled, saved at once."""

    status = Choice(_l("Status"), choices=labels.choices(labels.STATUS))
    outcome = Choice(_l("What came of it"))
    outcome_referred_to = StringField(
        _l("Referred to"),
        validators=[Length(max=REFERRED_TO_MAX_LENGTH, message=_l("Use at most 200 characters."))],
    )
    outcome_text = TextAreaField(
        _l("About the outcome"),
        validators=[
            Length(max=OUTCOME_TEXT_MAX_LENGTH, message=_l("Use at most 2000 characters."))
        ],
    )
    assignee = Choice(_l("Assignee"))
    priority = Choice(_l("Priority"), choices=labels.choices(labels.PRIORITY))
    tags = StringField(_l("Tags"), validators=[Length(max=600), _valid_tags])
    follow_up_on = Day(_l("Follow-up date"), validators=[Optional()])

    def __init__(self, staff: list[StaffUser], **kwargs) -> None:
        super().__init__(**kwargs)
        self.assignee.choices = [SelectChoice("", _l("Nobody")), *staff_options(staff)]
        self.outcome.choices = [SelectChoice("", _l("Not chosen")), *labels.choices(OUTCOMES)]

    def validate_outcome(self, field) -> None:
        ending = self.status.data in FINAL_STATUSES and self.status.data not in DEFAULT_OUTCOME
        if ending and not field.data:
            raise ValidationError(_l("Choose what came of it."))

    def validate_outcome_referred_to(self, field) -> None:
        if self.outcome.data == "referred" and not (field.data or "").strip():
            raise ValidationError(_l("Say to whom the enquiry was referred."))

    def value(self) -> Triage:
        return Triage(
            status=self.status.data,
            assignee_id=int(self.assignee.data) if self.assignee.data else None,
            priority=self.priority.data,
            tags=split_tags(self.tags.data),
            follow_up_on=self.follow_up_on.data,
            outcome=self.outcome.data or None,
            outcome_referred_to=self.outcome_referred_to.data,
            outcome_text=self.outcome_text.data,
        )


class NoteForm(ChangeForm):
    body = required(
        TextAreaField,
        _l("Write a note"),
        _l("Write the note."),
        NOTE_MAX_LENGTH,
        _l("Use at most 5000 characters."),
    )


class ReplyForm(ChangeForm):
    body = required(
        TextAreaField,
        _l("Your reply"),
        _l("Write the reply."),
        REPLY_MAX_LENGTH,
        _l("Use at most 10000 characters."),
    )
