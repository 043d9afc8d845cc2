"""``/healthz``: the app answers, and whether the database does."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

bp = Blueprint("health", __name__)


def database_ok() -> bool:
    """True if the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def outbox_lag() -> float | None:
    """Age in seconds of the oldest undelivered email, None if none waits (or no database)."""
    from portal.outbox.queries import pending_lag_seconds

    try:
        lag = pending_lag_seconds()
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return None if lag is None else round(lag, 1)


@bp.get("/healthz")
def healthz():
    """JSON health for load balancers: 200 when the database answers, 503 when not."""
    ok = database_ok()
    body = {
        "status": "ok" if ok else "degraded",
        "app": "up",
        "database": ok,
        "outbox_lag_seconds": outbox_lag() if ok else None,
    }
    return jsonify(body), 200 if ok else 503
