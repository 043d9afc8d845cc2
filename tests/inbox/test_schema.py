"""The inbox schema: full-text search objects per dialect; migrations that match the models."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from portal.extensions import db


def dialect() -> str:
    return db.engine.dialect.name


def test_the_migrations_match_the_models(app):
    """Autogenerate finds nothing to do (the search objects are listed as unmanaged)."""
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_the_list_indexes_exist(app):
    names = {index["name"] for index in inspect(db.engine).get_indexes("enquiry")}
    for name in (
        "ix_enquiry_status_id",
        "ix_enquiry_assignee_id_id",
        "ix_enquiry_type_id",
        "ix_enquiry_orgtype_id",
        "ix_enquiry_region_id",
        "ix_enquiry_priority_id",
        "ix_enquiry_created_id",
        "ix_enquiry_updated_id",
        "ix_enquiry_due_id",
    ):
        assert name in names


def test_sqlite_keeps_its_full_text_table_in_step_with_triggers(app):
    if dialect() != "sqlite":
        pytest.skip("SQLite's search objects")
    with db.engine.connect() as connection:
        objects = dict(
            connection.execute(
                text("SELECT name, type FROM sqlite_master WHERE name LIKE 'enquiry_fts%'")
            ).all()
        )
    assert objects["enquiry_fts"] == "table"
    for trigger in ("enquiry_fts_insert", "enquiry_fts_update", "enquiry_fts_delete"):
        assert objects[trigger] == "trigger", trigger


@pytest.mark.postgres
def test_postgresql_searches_a_generated_column_with_a_gin_index(app):
    with db.engine.connect() as connection:
        generated = connection.execute(
            text(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = 'enquiry' AND column_name = 'search_vector'"
            )
        ).scalar_one()
        method = connection.execute(
            text(
                "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
                "WHERE c.relname = 'ix_enquiry_search'"
            )
        ).scalar_one()
    assert (generated, method) == ("ALWAYS", "gin")
