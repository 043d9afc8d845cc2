"""The audit trail: one row per audited act (logins, account changes, exports, anonymised
enquiries, holds, data-subject requests), written in the same transaction as the act
(``trail.record``), and the admins' viewer of it (``/inbox/admin/audit``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """The viewer's blueprint and its link in the staff nav (admins only)."""
    from portal.accounts.access import register_staff_nav
    from portal.audit.views import bp

    app.register_blueprint(bp)
    register_staff_nav(app, "audit.index", _l("Audit trail"), admin_only=True, order=85)
