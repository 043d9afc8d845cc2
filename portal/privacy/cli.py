"""``flask --app wsgi privacy purge [--dry-run]``: the retention purge, for cron or by hand.

The worker runs the same purge daily; this command is for those who prefer cron and for a
look at what is due (``--dry-run`` changes nothing).
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.privacy import retention

privacy_cli = AppGroup("privacy", help="Retention and data protection.")


@privacy_cli.command("purge")
@click.option(
    "--dry-run", is_flag=True, help="Show what is due, held and due soon; change nothing."
)
@click.option(
    "--batch", default=retention.BATCH, show_default=True, help="Enquiries per transaction."
)
def purge_command(dry_run: bool, batch: int) -> None:
    """Anonymise the enquiries whose retention period has run out (holds are skipped)."""
    if batch < 1:
        raise click.BadParameter("must be at least 1", param_hint="--batch")
    if dry_run:
        _print_dry_run(retention.dry_run())
        return
    report = retention.purge(batch=batch)
    click.echo(f"Anonymised {report.anonymised} enquiries in {report.batches} batches.")


def _print_dry_run(result: retention.DryRun) -> None:
    click.echo(f"Due now: {result.due} enquiries")
    _list(result.due_references, result.due)
    click.echo(f"Held (skipped), due now or within 30 days: {len(result.held)}")
    for reference, kind, archive_reference in result.held:
        click.echo(
            f"  {reference}  {kind}" + (f"  {archive_reference}" if archive_reference else "")
        )
    click.echo(f"Falling due within 30 days: {result.soon} enquiries")
    _list(result.soon_references, result.soon)


def _list(references: list[str], total: int) -> None:
    for reference in references:
        click.echo(f"  {reference}")
    if total > len(references):
        click.echo(f"  ... and {total - len(references)} more")
