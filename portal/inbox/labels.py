"""Translated labels for every code the inbox shows (statuses, types, regions, event kinds...)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

STATUS = {
    "new": _l("New"),
    "triaged": _l("Triaged"),
    "in_dialogue": _l("In dialogue"),
    "agreed": _l("Collaboration agreed"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
    "spam": _l("Spam"),
}
PRIORITY = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}
ORGANISATION_TYPE = {
    "municipality": _l("Municipality"),
    "county": _l("County authority"),
    "state_agency": _l("State agency"),
    "ngo": _l("Voluntary organisation"),
    "social_enterprise": _l("Social enterprise"),
    "business": _l("Business"),
    "research": _l("Research or education"),
    "user_organisation": _l("User organisation"),
    "student": _l("Student"),
    "private": _l("Private person"),
    "other": _l("Other"),
}
ENQUIRY_TYPE = {
    "research_partnership": _l("Research partnership"),
    "co_creation_support": _l("Support with co-creation"),
    "course_workshop": _l("Course or workshop"),
    "talk": _l("Talk or lecture"),
    "student_collaboration": _l("Student collaboration"),
    "handbook_tools": _l("The handbook and tools"),
    "media": _l("Media"),
    "other": _l("Other"),
}
REGION = {
    "agder": "Agder",
    "akershus": "Akershus",
    "buskerud": "Buskerud",
    "finnmark": "Finnmark",
    "innlandet": "Innlandet",
    "more_og_romsdal": "Møre og Romsdal",
    "nordland": "Nordland",
    "oslo": "Oslo",
    "rogaland": "Rogaland",
    "telemark": "Telemark",
    "troms": "Troms",
    "trondelag": "Trøndelag",
    "vestfold": "Vestfold",
    "vestland": "Vestland",
    "ostfold": "Østfold",
    "national": _l("Whole country"),
    "outside_norway": _l("Outside Norway"),
}
INVOLVEMENT = {
    "yes": _l("Yes"),
    "planned": _l("Planned"),
    "no": _l("No"),
    "unsure": _l("Not sure"),
}
CO_CREATION = {
    "thin": _l("Thin co-creation"),
    "thick": _l("Thick co-creation"),
    "unsure": _l("Not sure"),
}
PHASE = {
    "understanding": _l("Understanding the problem"),
    "designing": _l("Designing solutions"),
    "implementing": _l("Implementing"),
    "evaluating": _l("Evaluating"),
    "unsure": _l("Not sure"),
}
TIMEFRAME = {
    "within_3_months": _l("Within 3 months"),
    "3_to_12_months": _l("In 3 to 12 months"),
    "later": _l("Later"),
    "unsure": _l("Not sure"),
}
FUNDING = {
    "funded": _l("Funded"),
    "applying": _l("Applying for funding"),
    "none": _l("No funding"),
    "unsure": _l("Not sure"),
}
CONTACT_PREFERENCE = {"email": _l("Email"), "phone": _l("Phone call")}
LANGUAGE = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
SOURCE = {"site": _l("The portal"), "embed": _l("Form embedded on usn.no")}
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


def choices(mapping: dict) -> list[SelectChoice]:
    """The options of a select field, in the map's order (labels stay lazy, so a form class
    built at import time still speaks the request's language)."""
    return [SelectChoice(code, text) for code, text in mapping.items()]
