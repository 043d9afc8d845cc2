"""inbox: tags, reply templates, saved views, routing rules, list indexes, full-text search

Revision ID: 0005_inbox
Revises: 0003_intake
Create Date: 2026-11-29 00:00:00

Full-text search is per dialect and written out here (not derived from models):
- PostgreSQL: a stored generated tsvector column ``search_vector`` ('simple' configuration, over
  name, email split at @ and dots, organisation, problem and message) with a GIN index.
- SQLite: an FTS5 external-content table over the same columns (with prefix indexes), kept in
  sync by triggers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_inbox"
down_revision = "0003_intake"
branch_labels = None
depends_on = None

PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || "
    "translate(coalesce(email, ''), '@.', '  ') || ' ' || coalesce(organisation, '') || ' ' || "
    "coalesce(problem, '') || ' ' || coalesce(message, ''))"
)
SQLITE_FTS = [
    # Prefix indexes for 2- to 10-character prefixes: a prefix query reads one stored list in
    # rowid order and stops after a page, instead of merging every matching term's list first
    # (which grows with the table). They make the index about five times larger.
    "CREATE VIRTUAL TABLE enquiry_fts USING fts5(name, email, organisation, problem, message, "
    "content='enquiry', content_rowid='id', tokenize='unicode61 remove_diacritics 0', "
    "prefix='2 3 4 5 6 7 8 9 10')",
    "CREATE TRIGGER enquiry_fts_insert AFTER INSERT ON enquiry BEGIN "
    "INSERT INTO enquiry_fts(rowid, name, email, organisation, problem, message) "
    "VALUES (new.id, new.name, new.email, new.organisation, new.problem, new.message); END",
    "CREATE TRIGGER enquiry_fts_delete AFTER DELETE ON enquiry BEGIN "
    "INSERT INTO enquiry_fts(enquiry_fts, rowid, name, email, organisation, problem, message) "
    "VALUES ('delete', old.id, old.name, old.email, old.organisation, old.problem, old.message);"
    " END",
    "CREATE TRIGGER enquiry_fts_update AFTER UPDATE OF name, email, organisation, problem, "
    "message ON enquiry BEGIN "
    "INSERT INTO enquiry_fts(enquiry_fts, rowid, name, email, organisation, problem, message) "
    "VALUES ('delete', old.id, old.name, old.email, old.organisation, old.problem, old.message);"
    " INSERT INTO enquiry_fts(rowid, name, email, organisation, problem, message) "
    "VALUES (new.id, new.name, new.email, new.organisation, new.problem, new.message); END",
    # Index whatever the table already holds.
    "INSERT INTO enquiry_fts(enquiry_fts) VALUES ('rebuild')",
]
LIST_INDEXES = [
    ("ix_enquiry_status_id", ["status", "id"]),
    ("ix_enquiry_assignee_id_id", ["assignee_id", "id"]),
    ("ix_enquiry_type_id", ["enquiry_type", "id"]),
    ("ix_enquiry_orgtype_id", ["organisation_type", "id"]),
    ("ix_enquiry_region_id", ["region", "id"]),
    ("ix_enquiry_priority_id", ["priority", "id"]),
    ("ix_enquiry_created_id", ["created_at", "id"]),
    ("ix_enquiry_updated_id", ["updated_at", "id"]),
    ("ix_enquiry_due_id", ["first_response_due", "id"]),
    ("ix_enquiry_status_due", ["status", "first_response_due"]),
]


def upgrade():
    op.create_table(
        "enquiry_tag",
        sa.Column("enquiry_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["enquiry_id"],
            ["enquiry.id"],
            name=op.f("fk_enquiry_tag_enquiry_id_enquiry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enquiry_id", "tag", name=op.f("pk_enquiry_tag")),
    )
    with op.batch_alter_table("enquiry_tag", schema=None) as batch_op:
        batch_op.create_index("ix_enquiry_tag_tag_enquiry", ["tag", "enquiry_id"], unique=False)

    op.create_table(
        "reply_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_template")),
        sa.UniqueConstraint("name", "lang", name="uq_reply_template_name_lang"),
    )
    op.create_table(
        "saved_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_saved_view_staff_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_view")),
        sa.UniqueConstraint("staff_user_id", "name", name="uq_saved_view_user_name"),
    )
    with op.batch_alter_table("saved_view", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_view_staff_user_id"), ["staff_user_id"], unique=False
        )

    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enquiry_type", sa.String(length=30), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["staff_user.id"],
            name=op.f("fk_routing_rule_assignee_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
        sa.UniqueConstraint("enquiry_type", name=op.f("uq_routing_rule_enquiry_type")),
    )

    with op.batch_alter_table("enquiry", schema=None) as batch_op:
        for name, columns in LIST_INDEXES:
            batch_op.create_index(name, columns, unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE enquiry ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED"
        )
        op.execute("CREATE INDEX ix_enquiry_search ON enquiry USING gin (search_vector)")
    elif op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_enquiry_search")
        op.execute("ALTER TABLE enquiry DROP COLUMN IF EXISTS search_vector")
    elif op.get_bind().dialect.name == "sqlite":
        for trigger in ("enquiry_fts_insert", "enquiry_fts_delete", "enquiry_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS enquiry_fts")

    with op.batch_alter_table("enquiry", schema=None) as batch_op:
        for name, _columns in reversed(LIST_INDEXES):
            batch_op.drop_index(name)

    op.drop_table("routing_rule")
    with op.batch_alter_table("saved_view", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_view_staff_user_id"))
    op.drop_table("saved_view")
    op.drop_table("reply_template")
    with op.batch_alter_table("enquiry_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_enquiry_tag_tag_enquiry")
    op.drop_table("enquiry_tag")
