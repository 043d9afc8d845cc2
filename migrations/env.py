"""Alembic environment: the portal's metadata, online and offline, batch mode for SQLite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from portal.timestamps import UTCDateTime

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    return target_db.engine


def render_item(type_, obj, autogen_context):
    """Render the portal's UTC column as a plain timezone-aware DateTime in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names):
    """Leave hand-written, per-dialect objects alone (e.g. the inbox's full-text search tables
    and indexes): features list them in ``metadata.info["unmanaged"]``."""
    return name not in target_db.metadata.info.get("unmanaged", ())


def _options() -> dict:
    return {
        "target_metadata": target_db.metadata,
        "render_as_batch": True,
        "compare_type": True,
        "render_item": render_item,
        "include_name": include_name,
        **current_app.extensions["migrate"].configure_args,
    }


def run_migrations_offline():
    """Emit SQL without a connection."""
    url = get_engine().url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run against the configured database."""

    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    options = _options()
    options.setdefault("process_revision_directives", process_revision_directives)
    with get_engine().connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # A migration may rebuild a large table or index: longer than a request's
                # statement may run (DATABASE_TIMEOUT_SECONDS). Waiting for locks stays bounded.
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
