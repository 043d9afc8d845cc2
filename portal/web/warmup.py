"""Work each server process would otherwise do on its first requests, done while it starts.

A fresh worker's first requests would pay for one-time work: configuring SQLAlchemy's mappers,
compiling templates, reading the catalogues, and whatever a feature loads on first use (each
registers that with ``register_warm_up`` in its ``init_app``). The visitor would wait for it, and
so would every request queued behind them. ``wsgi.py`` calls ``warm_up`` before the process takes
requests and before freezing what start-up made (gc). No step may read the database or send
anything: a server starts even while the database is down.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from portal.web.i18n import LANGS

STEPS = "warm_up"  # app.extensions key: the features' steps, in registration order


def register_warm_up(app: Flask, step: Callable[[], object]) -> None:
    """Have ``warm_up`` call ``step()`` (inside an app context)."""
    app.extensions.setdefault(STEPS, []).append(step)


def warm_up(app: Flask) -> None:
    """Mappers, every feature's steps, every template and each language's catalogue, loaded now."""
    configure_mappers()
    with app.app_context():
        for step in app.extensions.get(STEPS, []):
            step()
    for name in app.jinja_env.list_templates(filter_func=_is_template):
        app.jinja_env.get_template(name)
    with app.test_request_context("/"):
        for lang in LANGS:
            with force_locale(lang):
                get_translations()


def _is_template(name: str) -> bool:
    return name.endswith((".html", ".txt"))
