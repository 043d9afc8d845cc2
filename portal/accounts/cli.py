"""``flask --app wsgi users ...``: create the first admin, list, deactivate, set a password."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from portal.accounts import queries, services
from portal.accounts.models import ROLES
from portal.accounts.passwords import PasswordPolicyError
from portal.web.i18n import LANGS

users = AppGroup("users", help="Manage staff accounts of the inbox.")


def _read_password() -> str:
    """One line from standard input (never an argument: it would show in `ps` and history)."""
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


def _account(email: str):
    user = queries.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the email address {email}")
    return user


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--lang", type=click.Choice(LANGS), default="nb", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(email: str, name: str, role: str, lang: str, password_stdin: bool) -> None:
    """Create an account (the first admin comes from here)."""
    password = _read_password() if password_stdin else None
    with force_locale("en"):
        try:
            user = services.create_user(
                email=email, name=name, role=role, lang=lang, password=password
            )
        except (services.AccountError, PasswordPolicyError) as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"created {user.role} {user.email} (id {user.id})")
    if password is None:
        click.echo("no password yet: use `users set-password` or the reset link")


@users.command("list")
def list_users() -> None:
    """Every account: id, email, role, language, state, last login."""
    for user in queries.staff_list():
        state = "active" if user.active else "deactivated"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "never"
        click.echo(
            f"{user.id}\t{user.email}\t{user.role}\t{user.lang}\t{state}\t{last}\t{user.name}"
        )


@users.command("deactivate")
@click.option("--email", required=True)
def deactivate(email: str) -> None:
    """Switch an account off and end its sessions."""
    with force_locale("en"):
        try:
            user = services.deactivate(_account(email).id)
        except services.AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"deactivated {user.email}")


@users.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read it from standard input.")
def set_password(email: str, password_stdin: bool) -> None:
    """Give an account a new password (ends its sessions, lifts a lock)."""
    user = _account(email)
    password = _read_password()
    with force_locale("en"):
        try:
            services.set_password(user.id, password)
        except PasswordPolicyError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"password set for {user.email}")
