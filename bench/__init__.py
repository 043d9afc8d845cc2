"""On-demand benchmarks of the portal against a bare Flask baseline (see bench/README.md)."""
