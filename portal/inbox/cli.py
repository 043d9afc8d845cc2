"""The inbox's command: ``flask --app wsgi seed-demo --count N``."""

from __future__ import annotations

import time
from datetime import date, timedelta

import click
import holidays
from flask import Flask, current_app

from portal.inbox.demo import seed


def _due_function(working_days: int):
    """Due date = ``working_days`` Norwegian working days after arrival, memoised per day."""
    norway = holidays.Norway()
    memo: dict[date, date] = {}

    def due_for(day: date) -> date:
        if day not in memo:
            current, left = day, working_days
            while left:
                current += timedelta(days=1)
                if current.weekday() < 5 and current not in norway:
                    left -= 1
            memo[day] = current
        return memo[day]

    return due_for


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
    due_for = _due_function(current_app.config["FIRST_RESPONSE_WORKING_DAYS"])
    added = seed(count, due_for, rng_seed)
    click.echo(f"Added {added} demo enquiries in {time.monotonic() - started:.1f} s.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
