"""CSV export of the filtered list: UTF-8 with BOM, ';'-separated, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit import trail
from portal.extensions import db
from portal.inbox import labels
from portal.inbox.due import today
from portal.inbox.models import EnquiryTag
from portal.inbox.queries import Filters, matching
from portal.intake.models import Enquiry
from portal.timestamps import NORWAY

BOM = "\ufeff"
DELIMITER = ";"
BATCH = 500
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(moment: datetime | None) -> str:
    return moment.astimezone(NORWAY).strftime("%Y-%m-%d %H:%M") if moment else ""


def consent(enquiry: Enquiry) -> str:
    """The keep-in-touch consent as it stands: withdrawn shows as withdrawn, with the date."""
    if not enquiry.keep_in_touch:
        return str(_l("No"))
    if enquiry.keep_in_touch_withdrawn_at is not None:
        day = enquiry.keep_in_touch_withdrawn_at.astimezone(NORWAY).date().isoformat()
        return str(_l("Withdrawn %(date)s", date=day))
    given = enquiry.keep_in_touch_at
    return str(_l("Yes, since %(date)s", date=given.astimezone(NORWAY).date().isoformat()))


def _columns() -> list[tuple[object, Callable[[Enquiry], object]]]:
    head = [
        (_l("Reference"), lambda e: e.reference),
        (_l("Received"), lambda e: _local(e.created_at)),
        (_l("Status"), lambda e: labels.label(labels.STATUS, e.status)),
        (_l("Priority"), lambda e: labels.label(labels.PRIORITY, e.priority)),
        (_l("Assignee"), lambda e: e.assignee.name if e.assignee else ""),
        (_l("First response due"), lambda e: e.first_response_due or ""),
        (_l("First response"), lambda e: _local(e.first_responded_at)),
        (_l("Follow-up date"), lambda e: e.follow_up_on or ""),
        (_l("Outcome"), lambda e: labels.label(labels.OUTCOME, e.outcome)),
        (_l("Referred to"), lambda e: e.outcome_referred_to or ""),
        (_l("About the outcome"), lambda e: e.outcome_text or ""),
        (_l("May be contacted later"), consent),
    ]
    fields = [
        (
            text,
            lambda e, name=name, codes=codes: (
                labels.label(codes, getattr(e, name)) if codes else getattr(e, name)
            ),
        )
        for name, text, codes in labels.FIELDS
    ]
    return head + fields


def rows(filters: Filters, viewer_id: int | None) -> Iterator[str]:
    """The CSV, chunk by chunk: the BOM and header, then the matching enquiries in batches."""
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(text) for text, _ in columns] + [safe_cell(_l("Tags"))])
    yield BOM + _drain(buffer)
    stmt = matching(filters, viewer_id).execution_options(yield_per=BATCH)
    for batch in db.session.scalars(stmt).partitions():
        tags = _tags([enquiry.id for enquiry in batch])
        for enquiry in batch:
            cells = [value(enquiry) for _, value in columns] + [", ".join(tags.get(enquiry.id, []))]
            writer.writerow([safe_cell(cell) for cell in cells])
        yield _drain(buffer)


def _tags(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    stmt = select(EnquiryTag).where(EnquiryTag.enquiry_id.in_(ids)).order_by(EnquiryTag.tag)
    for tag in db.session.scalars(stmt):
        found.setdefault(tag.enquiry_id, []).append(tag.tag)
    return found


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def audit_export(actor_id: int) -> None:
    """Record the export in the audit trail (it holds personal data) and commit."""
    trail.record("export.csv", actor_id=actor_id)
    db.session.commit()


def filename() -> str:
    return f"sesam-enquiries-{today().isoformat()}.csv"
