"""The list's filter form, read, checked and rendered once per distinct query.

Building the form (a dozen fields, a hundred translated options), validating it and rendering it
cost more than the page's own queries. All three depend only on the reader's language, the
filter arguments in the query string and the staff who can be chosen, so each combination is
worked out once per process (``portal.web.fragments.remembered``). Paging
cursors and other arguments are not part of the key: they do not change the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from portal.accounts.queries import Colleague
from portal.inbox.forms import FilterForm
from portal.inbox.queries import Filters
from portal.web.fragments import remembered

FIELDS = frozenset(item.name for item in fields(Filters))  # the form has one field for each


@dataclass
class FilterPanel:
    """The filters a query string asks for, and its form (rendered on first use)."""

    filters: Filters
    form: FilterForm
    _html: Markup | None = field(default=None, repr=False)

    def html(self) -> Markup:
        """The form's fields as ``inbox/_filters.html`` renders them."""
        if self._html is None:
            self._html = Markup(render_template("inbox/_filters.html", form=self.form))  # noqa: S704
        return self._html


def filter_panel(args: MultiDict, staff: list[Colleague]) -> FilterPanel:
    """The panel for ``args`` (a request's query arguments) with ``staff`` to choose from."""
    key = (
        str(get_locale()),
        tuple((name, value) for name, value in args.items(multi=True) if name in FIELDS),
        tuple((person.id, person.name) for person in staff),
    )
    return remembered("inbox_filter_panels", key, lambda: _panel(MultiDict(key[1]), staff))


def _panel(args: MultiDict, staff: list[Colleague]) -> FilterPanel:
    form = FilterForm(args, staff=staff)
    return FilterPanel(filters=form.filters(), form=form)
