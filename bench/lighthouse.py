"""``python -m bench.lighthouse``: Lighthouse (mobile, default throttling) on the public pages.

Issue 18's bar: accessibility, best practices and SEO 1.0, and performance at least 0.95 as the
median of three runs, on ``/``, ``/nn/``, ``/en/`` and ``/kontakt``. The portal runs as in the
other benchmarks (gunicorn, production settings, a fresh SQLite database); Lighthouse 12.2.3 is
not a dependency of the project (it is large): install it where you like, e.g.
``npm i -E --prefix /tmp/lh lighthouse@12.2.3``, and pass ``--lighthouse
/tmp/lh/node_modules/.bin/lighthouse``. Chromium is Debian's (``--chrome``).
Exit status: 0 when every page meets the bar, 1 when one does not, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.databases import migrate, new_secret_key, portal_env
from bench.servers import Gunicorn, ServerError

PATHS = ("/", "/nn/", "/en/", "/kontakt")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BAR = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def run_lighthouse(lighthouse: str, chrome: str, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run of ``url``: each category's score, 0 to 1."""
    subprocess.run(
        [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
        capture_output=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    failing = [
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    if failing:
        print(f"    below 1: {', '.join(sorted(failing))}")
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def measure(lighthouse: str, chrome: str, runs: int, out_dir: Path) -> dict[str, dict]:
    """Median scores per path, over ``runs`` runs, with the portal served by gunicorn."""
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = portal_env(f"sqlite:///{tmp}/lighthouse.db", new_secret_key(), REDIS_URL)
        migrate(env)
        server = Gunicorn("portal-lighthouse", "wsgi:app", env, out_dir / "logs")
        env["PUBLIC_BASE_URL"] = server.base_url  # canonical and hreflang on the same origin
        with server.start():
            for path in PATHS:
                scores = []
                for run in range(runs):
                    print(f"{path} run {run + 1}/{runs}", flush=True)
                    name = f"lighthouse{path.replace('/', '_')}{run + 1}.json"
                    scores.append(
                        run_lighthouse(lighthouse, chrome, server.url(path), out_dir / name)
                    )
                results[path] = {
                    name: statistics.median(s[name] for s in scores) for name in CATEGORIES
                }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--chrome", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/lighthouse"))
    args = parser.parse_args(argv)
    if not shutil.which(args.lighthouse) and not Path(args.lighthouse).exists():
        print(f"no Lighthouse at {args.lighthouse}: see python -m bench.lighthouse --help")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        results = measure(args.lighthouse, args.chrome, args.runs, args.out)
    except (ServerError, subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"could not run: {exc}")
        return 2
    ok = True
    print(f"\nmedian of {args.runs} runs (mobile, default throttling)")
    print(f"{'path':10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for path, scores in results.items():
        row = ""
        for name in CATEGORIES:
            passed = scores[name] >= BAR[name]
            ok &= passed
            row += f"{scores[name]:>12.2f} {'ok' if passed else 'LOW':>3}"
        print(f"{path:10}{row}")
    (args.out / "latest.json").write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
