"""The forms on an enquiry's page (``detail_views``): each changes one thing or adds a text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from portal.accounts.models import StaffUser
from portal.inbox import labels
from portal.inbox.forms import Choice, Day, required, staff_options
from portal.inbox.replies import REPLY_MAX_LENGTH
from portal.inbox.services import MAX_TAGS, NOTE_MAX_LENGTH, InvalidChange, normalise_tag
from portal.web.forms import Form


class ChangeForm(Form):
    """A form that changes one thing: ``value()`` is the plain value its service takes."""

    def value(self):
        """The data of the form's one field (beside the CSRF token)."""
        [field] = [field for field in self if field.short_name != "csrf_token"]
        return field.data


class StatusForm(ChangeForm):
    status = Choice(_l("Status"), choices=labels.choices(labels.STATUS))


class AssigneeForm(ChangeForm):
    assignee = Choice(_l("Assignee"))

    def __init__(self, staff: list[StaffUser], **kwargs) -> None:
        super().__init__(**kwargs)
        self.assignee.choices = [SelectChoice("", _l("Nobody")), *staff_options(staff)]

    def value(self) -> int | None:
        return int(self.assignee.data) if self.assignee.data else None


class PriorityForm(ChangeForm):
    priority = Choice(_l("Priority"), choices=labels.choices(labels.PRIORITY))


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


class TagsForm(ChangeForm):
    tags = StringField(_l("Tags"), validators=[Length(max=600), _valid_tags])

    def value(self) -> list[str]:
        return split_tags(self.tags.data)


class FollowUpForm(ChangeForm):
    follow_up_on = Day(_l("Follow-up date"), validators=[Optional()])


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
