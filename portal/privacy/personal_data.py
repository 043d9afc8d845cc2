"""Which columns hold personal data, declared once: the purge clears them, the export reads them.

``PERSONAL`` maps a table to its columns that hold an enquirer's personal data, each with what
anonymising leaves in it (None, an empty text, or ``NEW_TOKEN`` for a unique column that must
stay unique). ``NOT_PERSONAL`` lists the rest: codes, dates and counts that stay as statistics,
keys, and the staff's own data (accounts, templates, views; kept while the account is).
``tests/privacy/test_personal_data.py`` walks every column of every model and fails when one
is in neither list, so a new column is a decision, not an accident.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.intake.labels import CODE_LISTS

NEW_TOKEN = object()  # a fresh meaningless value per row (the old status link stops working)

PERSONAL: dict[str, dict[str, object]] = {
    "enquiry": {
        "public_id": NEW_TOKEN,
        "name": "",
        "email": "",
        "phone": None,
        "organisation": None,
        "org_number": None,
        "problem": "",
        "affected": None,
        "message": None,
        "accessibility_needs": None,
        "source_page": None,
        "body_hash": None,
        "hold_reference": None,
        "outcome_referred_to": None,
        "outcome_text": None,
    },
    "enquiry_event": {"body": None},
    "outbox_message": {
        "recipient": "",
        "reply_to": None,
        "subject": None,
        "body_text": None,
        "body_html": None,
    },
    # The enquirer's mail (portal/conversation): who wrote, what, the message as it came.
    "inbound_message": {
        "sender": "",
        "sender_name": None,
        "subject": None,
        "body_text": None,
        "raw": None,
    },
    "inbound_attachment": {"filename": "", "data": None},
}

NOT_PERSONAL: dict[str, set[str]] = {
    "enquiry": {
        "id",
        "reference",
        "ref_year",
        "ref_seq",
        "form_nonce",
        *CODE_LISTS,  # the coded answers (organisation type, region, ...) stay as statistics
        "keep_in_touch",
        "keep_in_touch_text_version",
        "keep_in_touch_at",
        "keep_in_touch_withdrawn_at",
        "lang",
        "privacy_version",
        "source",
        "source_host",
        "spam_reasons",
        "created_at",
        "updated_at",
        "status",
        "priority",
        "assignee_id",
        "follow_up_on",
        "first_response_due",
        "first_responded_at",
        "waiting_since",
        "anonymised_at",
        "hold_kind",
        "outcome",
    },
    # before/after hold codes (status, priority) and staff names (assignee), never the
    # enquirer's words, which only ever go in ``body``.
    "enquiry_event": {
        "id",
        "enquiry_id",
        "kind",
        "actor_id",
        "before",
        "after",
        "created_at",
        "form_nonce",
    },
    "enquiry_tag": {"enquiry_id", "tag"},
    "outbox_message": {
        "id",
        "message_id",
        "kind",
        "enquiry_id",
        "template",
        "lang",
        "status",
        "attempts",
        "next_attempt_at",
        "locked_until",
        "locked_by",
        "last_error",
        "created_at",
        "sent_at",
        "in_reply_to",
        "thread_references",
    },
    # Message-IDs, states, codes and sizes; the staff member who decided (kept as audit).
    "inbound_message": {
        "id",
        "message_id",
        "state",
        "kind",
        "reason",
        "enquiry_id",
        "suggested_enquiry_id",
        "outbox_message_id",
        "attachments_dropped",
        "notified",
        "received_at",
        "decided_by_id",
        "decided_at",
    },
    "inbound_attachment": {"id", "inbound_id", "content_type", "size"},
    "audit_entry": {"id", "created_at", "actor_id", "kind", "target", "detail"},
    "reference_counter": {"year", "last"},
    "job_run": {"job", "period_start", "worker_id", "started_at", "finished_at", "error"},
    "routing_rule": {"id", "enquiry_type", "assignee_id", "updated_at"},
    "reply_template": {"id", "name", "lang", "body", "created_at", "updated_at"},
    "saved_view": {"id", "staff_user_id", "name", "query", "created_at"},
    # Staff accounts are the staff's data, kept while the account exists (not an enquirer's).
    "staff_user": {
        "id",
        "email",
        "name",
        "role",
        "active",
        "lang",
        "password_hash",
        "session_version",
        "failed_logins",
        "locked_until",
        "last_login_at",
        "created_at",
        "shortcuts",
        "digest",
        "digest_hour",
    },
    "digest_sent": {"id", "staff_id", "day", "sent_at"},
}


def personal_columns(table: str) -> dict[str, object]:
    """The personal columns of ``table`` with what anonymising leaves in each."""
    return PERSONAL.get(table, {})


def _by_id(table, ids):
    return table.c.id.in_(ids)


def _by_enquiry(table, ids):
    return table.c.enquiry_id.in_(ids)


def _by_inbound_enquiry(table, ids):
    inbound = table.metadata.tables["inbound_message"]
    return table.c.inbound_id.in_(select(inbound.c.id).where(inbound.c.enquiry_id.in_(ids)))


# How a table's rows belong to a set of enquiry ids (the purge, the erasure and the export
# select with it).
BELONGS_TO = {
    "enquiry": _by_id,
    "enquiry_event": _by_enquiry,
    "outbox_message": _by_enquiry,
    "inbound_message": _by_enquiry,
    "inbound_attachment": _by_inbound_enquiry,
}
