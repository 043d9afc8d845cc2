"""The enquiry list's rows as HTML, each made once per version of the row and kept.

A row's markup is a function of the row as read (``queries.ROW_COLUMNS`` and the assignee's
name, ``updated_at`` included, so every change makes a new version), its tags, the reader's
language, the due badge (which depends on today) and the age shown ("3 d"). All of these form
the key, so a kept row is always exactly what rendering it again would give; the list of a busy
inbox is read over and over between changes, and a row then costs a lookup instead of a
rendering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from flask import current_app, url_for
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import Row

from portal.inbox import labels
from portal.inbox.due import due_badge
from portal.inbox.formatting import age
from portal.timestamps import utcnow
from portal.web.fragments import remembered
from portal.web.i18n import gettext as _

ROWS_KEPT = 4096  # about 4 MB of markup: a few hundred pages of the working set


def rows_html(rows: Sequence[Row], tags: Mapping[int, Sequence[str]], today: date) -> Markup:
    """``inbox/_row.html`` for each list row (``queries.enquiry_page``'s rows and their tags)."""
    lang = str(get_locale())
    now = utcnow()
    return Markup("\n").join(  # each part is an autoescaped template's output
        _row_html(row, tuple(tags.get(row.id, ())), today, lang, now) for row in rows
    )


def _row_html(row: Row, tags: tuple[str, ...], today: date, lang: str, now: datetime) -> Markup:
    badge = due_badge(row, today)
    shown_age = age(row.created_at, now, lang)
    key = (lang, row, tags, badge, shown_age)
    return remembered(
        "inbox_rows", key, lambda: _render(row, tags, badge, shown_age), limit=ROWS_KEPT
    )


def _render(row: Row, tags, badge, shown_age: str) -> Markup:
    template = current_app.jinja_env.get_template("inbox/_row.html")
    return Markup(  # noqa: S704 (an autoescaped template)
        template.render(
            enquiry=row,
            tags=tags,
            badge=badge,
            age=shown_age,
            detail_url=url_for("inbox.detail", enquiry_id=0)[:-1],
            org_labels=labels.translated(labels.ORGANISATION_TYPE),
            type_labels=labels.translated(labels.ENQUIRY_TYPE),
            status_labels=labels.translated(labels.STATUS),
            words={"overdue": _("Overdue"), "today": _("Due today"), "answered": _("Answered")},
        )
    )
