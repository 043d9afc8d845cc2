"""``python -m bench``: run the benchmark suite (see bench/README.md)."""

from bench.cli import main

raise SystemExit(main())
