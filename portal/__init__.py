"""The SESAM portal: ``create_app`` wires config, extensions, blueprints, CLI and error handlers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as settings
from portal.extensions import babel, cache, compress, csrf, db, htmx, limiter, mail, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: Mapping | None = None) -> Flask:
    """Build the portal. ``overrides`` (tests) win over the environment."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=False,
    )
    app.config.update(settings.from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from portal import (
        database,
        models,  # noqa: F401 - every table registered before migrate sees them
    )
    from portal.web import assets, errors, health, http_caching, i18n, security, urls

    urls.init_app(app)
    database.configure(app)
    db.init_app(app)
    database.init_app(app)  # after db: its teardown must run before Flask-SQLAlchemy's
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.current_lang,
        default_translation_directories=";".join(i18n.translation_directories()),
    )
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    http_caching.init_app(app)
    errors.init_app(app)

    from portal import (
        accounts,
        audit,
        background,
        conversation,
        demo,
        digest,
        embed,
        inbox,
        intake,
        outbox,
        privacy,
        public,
    )

    app.register_blueprint(health.bp)
    features = (
        background,
        public,
        intake,
        embed,
        outbox,
        accounts,
        inbox,
        conversation,
        audit,
        privacy,
        digest,
        demo,
    )
    for feature in features:
        feature.init_app(app)
    return app
