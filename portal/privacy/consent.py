"""The keep-in-touch consent as it stands, for the list's filter: given, withdrawn, never given.

A withdrawn consent is withdrawn everywhere: the list filters it apart from a standing one, the
detail page and the CSV say "withdrawn" with the date (inbox), and no mailing export counts it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false

from portal.intake.models import Enquiry

LABEL = _l("May be contacted later")
CHOICES = {
    "given": _l("Yes, consent stands"),
    "withdrawn": _l("Consent withdrawn"),
    "never": _l("Never asked to be"),
}


def condition(value: str, viewer_id: int | None) -> ColumnElement[bool]:
    """The list's WHERE clause for ``?consent=<value>``."""
    if value == "given":
        return and_(Enquiry.keep_in_touch.is_(True), Enquiry.keep_in_touch_withdrawn_at.is_(None))
    if value == "withdrawn":
        return Enquiry.keep_in_touch_withdrawn_at.is_not(None)
    if value == "never":
        return Enquiry.keep_in_touch.is_(False)
    return false()
