"""``/healthz``: the app answers, whether the database does, and what the features report.

Features add their own lines (``register_check``, from their ``init_app``), so this shared base
knows none of them: the outbox adds the age of the oldest undelivered email, say.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

bp = Blueprint("health", __name__)
CHECKS = "portal.health_checks"  # app.extensions key: name -> check


def register_check(app: Flask, name: str, check: Callable[[], object]) -> None:
    """Answer ``name`` in ``/healthz`` with ``check()`` (JSON-able) while the database answers;
    None when it does not, or when the check itself cannot read the database."""
    app.extensions.setdefault(CHECKS, {})[name] = check


def database_ok() -> bool:
    """True if the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _checked(check: Callable[[], object]) -> object:
    try:
        return check()
    except SQLAlchemyError:
        db.session.rollback()
        return None


@bp.get("/healthz")
def healthz():
    """JSON health for load balancers: 200 when the database answers, 503 when not."""
    ok = database_ok()
    body = {"status": "ok" if ok else "degraded", "app": "up", "database": ok}
    for name, check in current_app.extensions.get(CHECKS, {}).items():
        body[name] = _checked(check) if ok else None
    return jsonify(body), 200 if ok else 503
