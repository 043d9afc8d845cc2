"""Words for the field contract: labels, hints, code labels and status words (English msgids)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.intake import models as codes

# The exact wording of the keep_in_touch box is versioned: change the text, bump the version.
KEEP_IN_TOUCH_TEXT = "Yes, SESAM may contact me later about events and projects."
KEEP_IN_TOUCH_VERSION = "kit-2026-11-28"

LABELS = {
    "name": _l("Your name"),
    "email": _l("Email address"),
    "phone": _l("Phone number"),
    "organisation": _l("Organisation"),
    "org_number": _l("Organisation number"),
    "organisation_type": _l("Which describes you best?"),
    "enquiry_type": _l("What would you like from SESAM?"),
    "region": _l("Region"),
    "problem": _l("The social problem"),
    "affected": _l("Who lives with the problem?"),
    "involvement": _l("Are people with lived experience of the problem involved?"),
    "co_creation": _l("What kind of co-creation do you have in mind?"),
    "phase": _l("How far have you come?"),
    "timeframe": _l("When would you like to start?"),
    "funding": _l("Is there funding for the work?"),
    "message": _l("Anything else you would like to tell us?"),
    "contact_preference": _l("How would you like us to contact you?"),
    "accessibility_needs": _l("Do you have any needs for a meeting with us?"),
    "keep_in_touch": _l(KEEP_IN_TOUCH_TEXT),
    "website": _l("Website"),
}

HINTS = {
    "name": _l("A first name or a pseudonym is enough."),
    "email": _l("We send a receipt and our answer to this address."),
    "phone": _l("Needed only if you would like us to call you back."),
    "organisation": _l(
        "The municipality, organisation or business you write for. "
        "Not needed if you write as a private person or a student."
    ),
    "org_number": _l("9 digits. You find it in the Brønnøysund Register Centre."),
    "region": _l("The county where the problem is, or where you are based."),
    "problem": _l(
        "Describe the problem in your own words: what happens, who notices it, and why it "
        "matters. At least 20 characters."
    ),
    "affected": _l("For example residents, users of a service, or a group in your community."),
    "message": _l("For example what you have tried already, or who else is involved."),
    "accessibility_needs": _l(
        "For example an interpreter, a step-free venue or easy-read material."
    ),
    "keep_in_touch": _l(
        "Optional. You can withdraw this at any time from the link in your receipt."
    ),
}

CHOICES = {
    "organisation_type": {
        "municipality": _l("Municipality"),
        "county": _l("County authority"),
        "state_agency": _l("State agency"),
        "ngo": _l("Voluntary organisation"),
        "social_enterprise": _l("Social enterprise"),
        "business": _l("Business"),
        "research": _l("Research or education institution"),
        "user_organisation": _l("User organisation"),
        "student": _l("Student"),
        "private": _l("Private person, for example with lived experience"),
        "other": _l("Other"),
    },
    "enquiry_type": {
        "research_partnership": _l("A research partnership"),
        "co_creation_support": _l("Support with co-creation in our work"),
        "course_workshop": _l("A course or workshop"),
        "talk": _l("A talk or lecture"),
        "student_collaboration": _l("Collaboration with students"),
        "handbook_tools": _l("The handbook and tools"),
        "media": _l("A media enquiry"),
        "other": _l("Something else"),
    },
    # County names are proper names, the same in every language.
    "region": {
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
        "national": _l("All of Norway"),
        "outside_norway": _l("Outside Norway"),
    },
    "involvement": {
        "yes": _l("Yes"),
        "planned": _l("Not yet, but it is planned"),
        "no": _l("No"),
        "unsure": _l("Not sure"),
    },
    "co_creation": {
        "thin": _l("Thin co-creation"),
        "thick": _l("Thick co-creation"),
        "unsure": _l("Not sure yet"),
    },
    "phase": {
        "understanding": _l("Understanding the problem"),
        "designing": _l("Designing solutions"),
        "implementing": _l("Putting a solution into use"),
        "evaluating": _l("Evaluating what has been done"),
        "unsure": _l("Not sure"),
    },
    "timeframe": {
        "within_3_months": _l("Within 3 months"),
        "3_to_12_months": _l("In 3 to 12 months"),
        "later": _l("Later"),
        "unsure": _l("Not sure"),
    },
    "funding": {
        "funded": _l("Yes, the work is funded"),
        "applying": _l("We are applying for funding"),
        "none": _l("No funding"),
        "unsure": _l("Not sure"),
    },
    "contact_preference": {
        "email": _l("By email"),
        "phone": _l("By phone: we call you back"),
    },
}

# Plain words beside a choice (SPEC.md: explain thin and thick co-creation beside the choice).
CHOICE_HINTS = {
    "co_creation": {
        "thin": _l(
            "People who live with the problem and professionals plan and design the "
            "solution together."
        ),
        "thick": _l(
            "The collaboration goes on into producing and delivering the service itself "
            "(co-production)."
        ),
        "unsure": _l("That is fine: we can work it out together."),
    },
}

# What the enquirer sees on the status page (GLOSSARY.md); spam reads as new.
STATUS_WORDS = {
    "new": _l("Received"),
    "triaged": _l("Being reviewed"),
    "in_dialogue": _l("In dialogue"),
    "agreed": _l("Collaboration agreed"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
}

# Every code list in the field contract has a label for every code.
CODE_LISTS = {
    "organisation_type": codes.ORGANISATION_TYPES,
    "enquiry_type": codes.ENQUIRY_TYPES,
    "region": codes.REGIONS,
    "involvement": codes.INVOLVEMENT,
    "co_creation": codes.CO_CREATION,
    "phase": codes.PHASES,
    "timeframe": codes.TIMEFRAMES,
    "funding": codes.FUNDING,
    "contact_preference": codes.CONTACT_PREFERENCES,
}


def choices(name: str) -> list[tuple[str, object]]:
    """``(code, label)`` pairs for a code field, in the contract's order."""
    return [(code, CHOICES[name][code]) for code in CODE_LISTS[name]]


def status_word(status: str):
    """The status in plain words for the enquirer; a spam-marked enquiry reads as received."""
    return STATUS_WORDS.get(status, STATUS_WORDS["new"])
