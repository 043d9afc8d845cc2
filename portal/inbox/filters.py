"""Filters that features add to the enquiry list, and the chips that show the active ones.

A feature (the conversation's "waiting for us", privacy's consent, the desk's follow-ups) calls
``register_list_filter`` in its ``init_app``: the filter then appears in the list's folded
"Filter" panel as one more select, lives in the URL as ``?name=value``, narrows the list, its
counts and the CSV export, and shows as a removable chip while it is on. The list itself knows
nothing of the feature: it only asks ``condition(value, viewer_id)`` for a WHERE clause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel.speaklater import LazyString
from sqlalchemy import ColumnElement

# Query-string arguments that are not filters, and the built-in ones the form shows itself.
NOT_FILTERS = frozenset({"sort", "order", "after", "before"})


@dataclass(frozen=True)
class ListFilter:
    """A choice filter: ``?name=value`` (one of ``choices``) adds ``condition(value, viewer_id)``
    to the list's WHERE clause. ``choices`` maps each value to its label; ``order`` places it
    among the other added filters in the panel."""

    name: str
    label: LazyString | str
    choices: Mapping[str, LazyString | str]
    condition: Callable[[str, int | None], ColumnElement[bool]]
    order: int = 100


LIST_FILTERS: dict[str, ListFilter] = {}


def register_list_filter(
    name: str,
    label: LazyString | str,
    choices: Mapping[str, LazyString | str],
    condition: Callable[[str, int | None], ColumnElement[bool]],
    order: int = 100,
) -> ListFilter:
    """Add a filter to the enquiry list (call it from a feature's ``init_app``; calling it again
    with the same name replaces the filter, so building the app twice is harmless)."""
    if not name.isidentifier():
        raise ValueError(f"a list filter's name is a query-string word, not {name!r}")
    LIST_FILTERS[name] = ListFilter(name, label, dict(choices), condition, order)
    return LIST_FILTERS[name]


def added_filters() -> list[ListFilter]:
    """The filters features added, in their order."""
    return sorted(LIST_FILTERS.values(), key=lambda item: (item.order, item.name))


def chosen(args: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The added filters ``args`` turns on: a value that is not one of the choices is ignored
    (never an error page), like the built-in filters."""
    return tuple(
        (item.name, args[item.name])
        for item in added_filters()
        if args.get(item.name) in item.choices
    )


def extra_conditions(
    extra: tuple[tuple[str, str], ...], viewer_id: int | None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the added filters that are on."""
    return [
        LIST_FILTERS[name].condition(value, viewer_id)
        for name, value in extra
        if name in LIST_FILTERS
    ]


@dataclass(frozen=True)
class Chip:
    """One active filter as the list shows it: what it says, and the arguments without it."""

    name: str
    text: str
    without: dict[str, str]


Words = Mapping[str, tuple[str, Mapping[str, str] | None]]


def chips(args: dict[str, str], words: Words) -> list[Chip]:
    """A chip per active filter in ``args`` (the list's query string without paging).

    ``words`` gives each built-in filter's label and, for a choice, its values' labels (an
    empty label: the value's label says it all, as for "Overdue"); the added filters bring
    their own. A chip's ``without`` is ``args`` minus that filter.
    """
    found: list[Chip] = []
    for name, value in args.items():
        if name in NOT_FILTERS:
            continue
        if name in LIST_FILTERS:
            label, values = LIST_FILTERS[name].label, LIST_FILTERS[name].choices
        elif name in words:
            label, values = words[name]
        else:
            continue
        shown = str(values.get(value, value)) if values else value
        without = {key: val for key, val in args.items() if key != name}
        found.append(Chip(name, f"{label}: {shown}" if str(label) else shown, without))
    return found
