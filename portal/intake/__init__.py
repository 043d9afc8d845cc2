"""The enquiry form, its receipt and status pages, and the mail a new enquiry sends."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """``outbox render-pending``: the arrival mail an older version queued unwritten."""
    from portal.intake.pending_mail import render_pending_command
    from portal.outbox.cli import outbox_cli

    outbox_cli.add_command(render_pending_command)
