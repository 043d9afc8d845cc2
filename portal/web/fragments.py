"""Pieces of staff pages that are the same for everyone who shares their inputs, made once.

A list page carries a filter form, bulk-action controls and the like: a hundred translated
options and labels whose markup depends only on the reader's language and a few inputs (the
query, the staff who can be chosen), never on the person or the request. ``remembered`` keeps
such values per process in a bounded table (emptied when full), keyed by everything they depend on.
Nothing personal and no token ever goes in: those are written into the page around them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

MAX_ENTRIES = 256  # per table: distinct queries x languages in the working set, with room
T = TypeVar("T")


def remembered(table: str, key: Hashable, make: Callable[[], T], limit: int = MAX_ENTRIES) -> T:
    """``make()``, or what it gave before for the same ``key`` in table ``table`` (which holds at
    most ``limit`` entries)."""
    entries: dict = current_app.extensions.setdefault(f"fragments.{table}", {})
    try:
        return entries[key]
    except KeyError:
        pass
    value = make()
    if len(entries) >= limit:
        entries.clear()
    entries[key] = value
    return value


def kept_for(table: str, seconds: float, make: Callable[[], T]) -> T:
    """``make()``, or what it gave less than ``seconds`` ago (``forget(table)`` drops it sooner).

    For values that are the same for everyone and may lag a little: counts, the staff list.
    """
    entries: dict = current_app.extensions.setdefault(f"fragments.{table}", {})
    kept = entries.get("value")
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    value = make()
    entries["value"] = (time.monotonic() + seconds, value)
    return value


def forget(table: str) -> None:
    """Empty table ``table``: after a change to what it keeps, or for a test from cold."""
    current_app.extensions.get(f"fragments.{table}", {}).clear()


def rendered(template: str, key: Hashable, context: Callable[[], dict]) -> Markup:
    """``template`` rendered with ``context()``, once per language and ``key``.

    ``key`` must capture everything in the context that changes the markup; ``context`` is
    called only when the fragment is made.
    """
    return remembered(
        "rendered",
        (template, str(get_locale()), key),
        lambda: Markup(render_template(template, **context())),  # noqa: S704 (autoescaped)
    )
