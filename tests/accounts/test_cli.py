"""`flask --app wsgi users ...`: create, list, deactivate, set-password."""

from __future__ import annotations

from portal.accounts import queries
from portal.extensions import db
from tests.accounts.support import try_login
from tests.factories import make_staff


def _run(app, *args, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=["users", *args], input=stdin)


def test_create_the_first_admin_with_a_password_from_stdin(app):
    result = _run(
        app,
        "create",
        "--email",
        "Admin@Example.org",
        "--name",
        "Ada Admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    assert "created admin admin@example.org" in result.output
    user = queries.user_by_email("admin@example.org")
    assert (user.role, user.lang, user.name) == ("admin", "nb", "Ada Admin")
    assert "correct horse battery" not in user.password_hash
    assert (
        try_login(app.test_client(), "admin@example.org", "correct horse battery").status_code
        == 303
    )


def test_create_enforces_the_policy_and_refuses_duplicates(app):
    short = _run(
        app,
        "create",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.exit_code == 1 and "Use at least 8 characters." in short.output
    assert queries.user_by_email("a@example.org") is None
    make_staff(email="b@example.org")
    duplicate = _run(app, "create", "--email", "b@example.org", "--name", "B")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    bad_role = _run(app, "create", "--email", "c@example.org", "--name", "C", "--role", "root")
    assert bad_role.exit_code == 2


def test_create_without_password_leaves_the_account_waiting_for_a_link(app):
    result = _run(app, "create", "--email", "s@example.org", "--name", "S", "--lang", "en")
    assert result.exit_code == 0 and "no password yet" in result.output
    assert queries.user_by_email("s@example.org").password_hash is None


def test_create_with_password_stdin_but_empty_input_fails(app):
    result = _run(
        app, "create", "--email", "e@example.org", "--name", "E", "--password-stdin", stdin=""
    )
    assert result.exit_code == 1 and "no password on standard input" in result.output


def test_list_shows_every_account(app):
    make_staff(email="kari@example.org", name="Kari", role="admin")
    make_staff(email="ola@example.org", name="Ola", active=False, lang="nn")
    result = _run(app, "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert "kari@example.org\tadmin\tnb\tactive\tnever\tKari" in lines[0]
    assert "ola@example.org\tstaff\tnn\tdeactivated\tnever\tOla" in lines[1]


def test_deactivate(app):
    make_staff(email="admin@example.org", role="admin")
    user = make_staff(email="kari@example.org")
    result = _run(app, "deactivate", "--email", "kari@example.org")
    assert result.exit_code == 0 and "deactivated kari@example.org" in result.output
    db.session.refresh(user)
    assert not user.active and user.session_version == 2
    unknown = _run(app, "deactivate", "--email", "nobody@example.org")
    assert unknown.exit_code == 1 and "no account" in unknown.output
    last_admin = _run(app, "deactivate", "--email", "admin@example.org")
    assert last_admin.exit_code == 1 and "at least one active administrator" in last_admin.output


def test_set_password(app):
    user = make_staff(email="kari@example.org")
    result = _run(
        app,
        "set-password",
        "--email",
        "kari@example.org",
        "--password-stdin",
        stdin="brand new passphrase\n",
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.session_version == 2
    assert (
        try_login(app.test_client(), "kari@example.org", "brand new passphrase").status_code == 303
    )
    short = _run(
        app, "set-password", "--email", "kari@example.org", "--password-stdin", stdin="tiny\n"
    )
    assert short.exit_code == 1 and "Use at least 8 characters." in short.output
    missing_flag = _run(app, "set-password", "--email", "kari@example.org")
    assert missing_flag.exit_code == 2
