"""``flask --app wsgi mail fetch | ingest``: the two doors for inbound mail.

``ingest`` reads one message on stdin, as an MTA pipe delivers it, and exits with the status the
MTA understands (sysexits): 0 kept (or already kept), 65 unusable (the MTA bounces it), 75
try again later (the database could not be reached, or the portal failed to keep it: the MTA's
queue holds it until then).
"""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.conversation.fetching import MailboxError, fetch
from portal.conversation.reading import Unusable
from portal.conversation.services import ingest

log = logging.getLogger("portal.conversation")
mail_cli = AppGroup("mail", help="Read enquirers' mail into the inbox.")
EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75


@mail_cli.command("fetch")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
def fetch_command(limit: int | None) -> None:
    """Read the mailbox at IMAP_URL once."""
    url = current_app.config.get("IMAP_URL")
    if not url:
        raise click.ClickException("IMAP_URL is not set")
    try:
        report = fetch(url, limit=limit)
    except MailboxError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"mail fetch: {report}")


@mail_cli.command("ingest")
def ingest_command() -> None:
    """Keep one RFC 5322 message from stdin (for an MTA pipe)."""
    raw = sys.stdin.buffer.read()
    try:
        outcome = ingest(raw)
    except Unusable as error:
        click.echo(f"mail ingest: unusable message: {error}", err=True)
        sys.exit(EX_DATAERR)
    except SQLAlchemyError as error:
        click.echo(f"mail ingest: database unavailable ({type(error).__name__})", err=True)
        sys.exit(EX_TEMPFAIL)
    except Exception as error:  # a fault of ours: the MTA keeps the message and tries again
        log.exception("mail ingest failed")
        click.echo(f"mail ingest: could not keep the message ({type(error).__name__})", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(f"mail ingest: {outcome.state}")
    sys.exit(EX_OK)
