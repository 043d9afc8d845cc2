"""Demo data: realistic enquiries and staff for demonstrations and benchmarks (``seed-demo``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``seed-demo`` command."""
    from portal.demo.cli import seed_demo

    app.cli.add_command(seed_demo)
