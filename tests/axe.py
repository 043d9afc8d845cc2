"""axe-core (from npm, node_modules/axe-core) run inside a Playwright page."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, **options) -> list[dict]:
    """Inject axe with ``evaluate`` (not a script tag: our CSP forbids inline scripts)."""
    page.evaluate(_axe_source())
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"], **options},
    )
    return result["violations"]


def assert_accessible(page) -> None:
    """Fail with a readable list if axe finds any violation on the current page."""
    violations = axe_violations(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(report)
