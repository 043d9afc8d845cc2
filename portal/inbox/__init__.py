"""The staff inbox: list, detail, triage, replies, routing rules, reply templates, CSV, demo data."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``inbox`` CLI command (the views come with the blueprint)."""
    from portal.inbox import cli

    cli.init_app(app)
