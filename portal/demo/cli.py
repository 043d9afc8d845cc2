"""The demo's command: ``flask --app wsgi seed-demo --count N``."""

from __future__ import annotations

import time

import click
from flask import current_app

from portal.demo.enquiries import seed


@click.command("seed-demo")
@click.option(
    "--count",
    default=200,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="How many demo enquiries to add.",
)
@click.option("--seed", "rng_seed", type=int, default=None, help="Random seed (repeatable data).")
def seed_demo(count: int, rng_seed: int | None) -> None:
    """Add COUNT realistic demo enquiries (nb, nn, en; every type; two years back)."""
    started = time.monotonic()
    added, colleagues = seed(count, current_app.config["FIRST_RESPONSE_WORKING_DAYS"], rng_seed)
    click.echo(f"Added {added} demo enquiries in {time.monotonic() - started:.1f} s.")
    for name, email, role in colleagues:
        click.echo(f"Added demo colleague {name} <{email}> ({role}, no password).")
    if colleagues:
        click.echo("To sign in as one: flask --app wsgi users set-password EMAIL")
