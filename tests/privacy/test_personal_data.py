"""The personal-data declaration covers every column of every model, each exactly once."""

from __future__ import annotations

from portal.extensions import db
from portal.privacy.personal_data import BELONGS_TO, NOT_PERSONAL, PERSONAL


def test_every_column_is_declared_personal_or_not_personal(app):
    undeclared, twice = [], []
    for table in db.metadata.sorted_tables:
        personal = set(PERSONAL.get(table.name, {}))
        not_personal = NOT_PERSONAL.get(table.name, set())
        for column in table.columns:
            if column.name in personal and column.name in not_personal:
                twice.append(f"{table.name}.{column.name}")
            elif column.name not in personal | not_personal:
                undeclared.append(f"{table.name}.{column.name}")
    assert undeclared == [], "declare these in portal/privacy/personal_data.py"
    assert twice == []


def test_the_declaration_names_only_columns_that_exist(app):
    tables = db.metadata.tables
    for declared in (PERSONAL, NOT_PERSONAL):
        for name, columns in declared.items():
            assert name in tables, name
            assert set(columns) <= set(tables[name].columns.keys()), name


def test_every_table_with_personal_data_says_how_it_belongs_to_an_enquiry():
    assert set(PERSONAL) <= set(BELONGS_TO)


def test_a_non_nullable_personal_column_is_never_cleared_to_null(app):
    for name, columns in PERSONAL.items():
        table = db.metadata.tables[name]
        for column, value in columns.items():
            if not table.c[column].nullable:
                assert value is not None, f"{name}.{column}"
