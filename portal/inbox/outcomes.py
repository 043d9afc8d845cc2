"""What came of an enquiry that ended: the outcome codes and the rules for recording them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The statuses an enquiry ends in; each asks what came of it.
FINAL_STATUSES = ("agreed", "declined", "closed")
OUTCOMES = {
    "collaboration_started": _l("Collaboration started"),
    "referred": _l("Referred elsewhere"),
    "course_held": _l("Course or workshop held"),
    "no_capacity": _l("No capacity"),
    "out_of_scope": _l("Outside SESAM's field"),
    "no_reply": _l("No reply from the enquirer"),
}
# What "agreed" means unless staff say otherwise.
DEFAULT_OUTCOME = {"agreed": "collaboration_started"}
REFERRED_TO_MAX_LENGTH = 200
OUTCOME_TEXT_MAX_LENGTH = 2000


class OutcomeMissing(ValueError):
    """An enquiry that ends needs an outcome (and "referred" needs to whom)."""


def settled_outcome(
    status: str, outcome: str | None, referred_to: str | None, text: str | None
) -> tuple[str | None, str | None, str | None]:
    """The outcome to store for an enquiry moving to ``status``: the code (or the status's
    default), to whom it was referred (only for "referred") and the text; all None for a
    status that has not ended. Raises OutcomeMissing or ValueError for an unknown code."""
    if status not in FINAL_STATUSES:
        return None, None, None
    code = outcome or DEFAULT_OUTCOME.get(status)
    if code is None:
        raise OutcomeMissing("an ended enquiry needs an outcome")
    if code not in OUTCOMES:
        raise ValueError(f"unknown outcome {code!r}")
    referred = (referred_to or "").strip() or None
    if code == "referred" and referred is None:
        raise OutcomeMissing("say to whom the enquiry was referred")
    if referred and len(referred) > REFERRED_TO_MAX_LENGTH:
        raise ValueError("referred_to is too long")
    note = (text or "").strip() or None
    if note and len(note) > OUTCOME_TEXT_MAX_LENGTH:
        raise ValueError("the outcome text is too long")
    return code, referred if code == "referred" else None, note
