"""``python -m bench``: options, the run, the table, the JSON file and the exit status."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bench import appcache, databases, report, wrk
from bench.budgets import failed
from bench.runner import Runner
from bench.scenarios import GROUPS, parse_db, parse_only
from bench.servers import ROOT

FULL_SECONDS = 10
QUICK_SECONDS = 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the portal against a bare Flask hello world (see bench/README.md).",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_SECONDS} s per scenario instead of {FULL_SECONDS} s",
    )
    p.add_argument("--only", metavar="GROUPS", help="comma-separated: " + ",".join(GROUPS))
    p.add_argument("--db", default="both", help="sqlite, postgres or both (default: both)")
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results",
        help="folder for the JSON results, logs and SQLite files",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        groups = parse_only(args.only)
        dbs = parse_db(args.db)
        wrk.wrk_path()
    except (ValueError, wrk.WrkError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    cache = appcache.AppCache(appcache.redis_url())
    if not cache.available():
        print(f"bench: Redis is not reachable at {cache.url} (BENCH_REDIS_URL)", file=sys.stderr)
        return 2
    notes = []
    if "postgres" in dbs and not databases.postgres_available():
        where = databases.postgres_server_url()
        if dbs == ("postgres",):
            print(f"bench: PostgreSQL is not reachable at {where}", file=sys.stderr)
            return 2
        dbs = tuple(db for db in dbs if db != "postgres")
        notes.append(f"PostgreSQL not reachable at {where}: measured SQLite only")
    seconds = QUICK_SECONDS if args.quick else FULL_SECONDS
    runner = Runner(seconds=seconds, out_dir=args.out, dbs=dbs, groups=groups, cache=cache)
    result = runner.run()
    result.notes[:0] = notes
    checks = result.checks()
    print(report.table(result, checks))
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    path = report.write_json(report.to_json(result, checks, command.strip()), args.out)
    print(f"\nJSON: {path}")
    return 1 if failed(checks) else 0
