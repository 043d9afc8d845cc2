"""The public site: landing page, privacy notice and accessibility statement (nb, nn, en)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask

from portal.web.i18n import LANGS

NOTICES = Path(__file__).resolve().parent.parent.parent / "templates" / "public" / "pages"


def init_app(app: Flask) -> None:
    """The ``public`` blueprint, its ``flask public`` commands (social image, screenshots), and
    the privacy notice's version for this configuration."""
    from portal.public.cli import public_cli
    from portal.public.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(public_cli)
    app.config["PRIVACY_NOTICE_VERSION"] = notice_version(
        app.config["PRIVACY_NOTICE_VERSION"],
        app.config["RETENTION_MONTHS"],
        app.config["SPAM_RETENTION_DAYS"],
    )


def notice_version(base: str, retention_months: int, spam_retention_days: int) -> str:
    """``<base>.<hash>``: the hash of the notice's text in every language and of the periods it
    shows, so any change to what the notice says gives a new version (enquiries record it).

    ``base`` (the date the notice was last reworded) is kept readable in front.
    """
    digest = hashlib.sha256(f"{retention_months}:{spam_retention_days}".encode())
    for lang in LANGS:
        digest.update((NOTICES / lang / "privacy.html").read_bytes())
    return f"{base}.{digest.hexdigest()[:8]}"
