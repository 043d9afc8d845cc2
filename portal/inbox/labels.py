"""Translated labels for every code the inbox shows: staff statuses, priorities, fields, codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.inbox.outcomes import OUTCOMES
from portal.intake.labels import CHOICES
from portal.web.i18n import LANG_NAMES

STATUS = {
    "new": _l("New"),
    "triaged": _l("Triaged"),
    "in_dialogue": _l("In dialogue"),
    "agreed": _l("Collaboration agreed"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
    "spam": _l("Spam"),
}
OUTCOME = OUTCOMES
PRIORITY = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}
# The field contract's codes in the words of the public form (one place: portal/intake/labels).
ORGANISATION_TYPE = CHOICES["organisation_type"]
ENQUIRY_TYPE = CHOICES["enquiry_type"]
REGION = CHOICES["region"]
INVOLVEMENT = CHOICES["involvement"]
CO_CREATION = CHOICES["co_creation"]
PHASE = CHOICES["phase"]
TIMEFRAME = CHOICES["timeframe"]
FUNDING = CHOICES["funding"]
CONTACT_PREFERENCE = CHOICES["contact_preference"]
LANGUAGE = LANG_NAMES
SOURCE = {"site": _l("the portal"), "embed": _l("the form embedded on usn.no")}
OUTBOX_STATUS = {
    "pending": _l("Waiting to be sent"),
    "sent": _l("Sent"),
    "failed": _l("Not delivered"),
}

# The enquiry's fields in the order the detail page and the CSV show them, with their labels
# and, for coded fields, the map that turns a code into words.
FIELDS = (
    ("name", _l("Name"), None),
    ("email", _l("Email"), None),
    ("phone", _l("Phone"), None),
    ("organisation", _l("Organisation"), None),
    ("org_number", _l("Organisation number"), None),
    ("organisation_type", _l("Organisation type"), ORGANISATION_TYPE),
    ("enquiry_type", _l("Enquiry type"), ENQUIRY_TYPE),
    ("region", _l("Region"), REGION),
    ("problem", _l("The social problem"), None),
    ("affected", _l("Who lives with the problem"), None),
    ("involvement", _l("People with lived experience involved"), INVOLVEMENT),
    ("co_creation", _l("Co-creation"), CO_CREATION),
    ("phase", _l("Phase"), PHASE),
    ("timeframe", _l("Timeframe"), TIMEFRAME),
    ("funding", _l("Funding"), FUNDING),
    ("message", _l("Anything else"), None),
    ("contact_preference", _l("Contact preference"), CONTACT_PREFERENCE),
    ("accessibility_needs", _l("Accessibility needs for a meeting"), None),
    ("lang", _l("Language"), LANGUAGE),
    ("source", _l("Sent from"), SOURCE),
)
LONG_TEXT_FIELDS = frozenset({"problem", "affected", "message", "accessibility_needs"})


def label(mapping: dict, code: str | None) -> str:
    """The label for ``code``; an unknown code is shown as itself, a missing one as empty."""
    if code is None:
        return ""
    return str(mapping.get(code, code))


def translated(mapping: dict) -> dict[str, str]:
    """The map with its labels in the current language: for a page that shows many of them."""
    return {code: str(text) for code, text in mapping.items()}


def choices(mapping: dict) -> list[SelectChoice]:
    """The options of a select field, in the map's order (labels stay lazy, so a form class
    built at import time still speaks the request's language)."""
    return [SelectChoice(code, text) for code, text in mapping.items()]
