"""The overview (``/inbox/overview/``) at 100,000 enquiries: p99 at 8 connections, cold and cached.

Cold: every request asks for a one-year period nobody has asked for (``lua/overview.lua``), so
its figures are computed by the database each time. Cached: the same period again and again,
served from the application cache (Redis, as in production). The database is the inbox
benchmark's, seeded by ``seed-demo`` and kept between runs.

    .venv/bin/python -m bench.overview [--db sqlite|postgres] [--size N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from datetime import date, timedelta
from pathlib import Path

from bench import inbox, wrk
from bench.appcache import AppCache
from bench.servers import Gunicorn

OUT = Path(__file__).resolve().parent / "results"
BUDGET_P99_MS = 300
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    env, seeded = inbox.prepare(args.db, args.size, OUT / "data", secrets.token_hex(32), REDIS)
    portal = Gunicorn(f"overview-{args.db}", "wsgi:app", env, OUT / "logs").start("/healthz")
    try:
        headers = {"Cookie": inbox.login(portal.base_url)}
        report_env = {"BENCH_EXPECT": "200", "BENCH_REPORT": str(wrk.REPORT_SCRIPT)}
        year = f"start={date.today() - timedelta(days=364)}&end={date.today()}"
        cache = AppCache(REDIS)
        cache.flush()  # no figures left by an earlier run within the cache's two minutes
        cold = wrk.run(
            portal.url("/inbox/overview/"),
            seconds=args.seconds,
            headers=headers,
            script=wrk.LUA_DIR / "overview.lua",
            env=report_env,
        )
        cache.flush()
        cached = wrk.run(
            portal.url(f"/inbox/overview/?{year}"),
            seconds=args.seconds,
            headers=headers,
            env=report_env,
        )
    finally:
        portal.stop()
    result = {
        "db": args.db,
        "enquiries": args.size,
        "seeded_now": seeded,
        "cold": cold.as_dict(),
        "cached": cached.as_dict(),
        "budget_p99_ms": BUDGET_P99_MS,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"overview-{args.db}.json").write_text(json.dumps(result, indent=2))
    for name, figure in (("cold", cold), ("cached", cached)):
        print(
            f"overview {args.db} {args.size:,} {name}: {figure.rps} req/s, p50 {figure.p50_ms} ms,"
            f" p99 {figure.p99_ms} ms, errors {figure.errors}"
        )
    ok = cold.p99_ms < BUDGET_P99_MS and not cold.errors and not cached.errors
    print("PASS" if ok else "FAIL", f"cold p99 < {BUDGET_P99_MS} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
