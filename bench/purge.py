"""``python -m bench.purge``: the retention purge's dry run and real run at 100,000 enquiries.

Seeds a database once (``seed-demo``: arrivals over two years, kept under bench/results/data/
for later runs), then times ``privacy purge --dry-run`` (the goal: under a minute) and the real
purge with ``RETENTION_MONTHS=12`` (about half the demo's enquiries are finished and due) on a
copy, so the seeded database stays as it was. SQLite by default; ``--db postgres`` uses a
``bench_purge`` database on ``BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.databases import database_url, exists, recreate
from portal import create_app
from portal.demo.enquiries import seed
from portal.extensions import db
from portal.intake.models import Enquiry

DATA = Path(__file__).resolve().parent / "results" / "data"
SECRET = "bench-purge-secret-key-0123456789abcdef"


def _app(url: str, retention_months: int):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "RETENTION_MONTHS": retention_months,
            "SPAM_RETENTION_DAYS": 30,
        }
    )


def _seeded(kind: str, count: int) -> str:
    url = database_url(kind, f"purge_{count}", DATA)
    if exists(url):
        return url
    recreate(url)
    with _app(url, 36).app_context():
        upgrade()
        started = time.perf_counter()
        seed(count, 3, rng_seed=16)
        print(f"seeded {count} enquiries in {time.perf_counter() - started:.1f} s")
    return url


def _working_copy(kind: str, url: str, count: int) -> str:
    if kind != "sqlite":
        return url  # PostgreSQL: the real run changes the seeded database (re-seed to repeat)
    source = DATA / f"purge_{count}.sqlite3"
    target = DATA / f"purge_{count}_run.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args(argv)

    from portal.privacy import retention

    url = _seeded(args.db, args.count)
    with _app(url, 12).app_context():
        started = time.perf_counter()
        result = retention.dry_run()
        dry = time.perf_counter() - started
        print(
            f"{args.db}: dry run {dry:.2f} s (due {result.due}, within 30 days {result.soon}, "
            f"held {len(result.held)}) at {args.count} enquiries; goal under 60 s"
        )
        db.engine.dispose()
    with _app(_working_copy(args.db, url, args.count), 12).app_context():
        started = time.perf_counter()
        report = retention.purge()
        run = time.perf_counter() - started
        left = db.session.scalar(
            select(func.count()).select_from(Enquiry).where(Enquiry.anonymised_at.is_not(None))
        )
        print(f"{args.db}: purge {run:.1f} s ({report}; {left} anonymised in the database)")
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
