"""axe-core (npm, ``node_modules/axe-core``) in a Playwright page: every browser test's audit."""

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
    """WCAG 2.2 A/AA and best-practice violations on the page as it is now, reduced to what a
    failure shows (rule, impact, help, the first five elements). ``options`` go to ``axe.run``
    (``iframes=False``: the top document only). Injected with ``evaluate``, not a script tag:
    the portal's CSP forbids inline scripts."""
    page.evaluate(_axe_source())
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"], **options},
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def assert_accessible(page) -> None:
    """Fail with the violations axe finds on the current page, if any."""
    assert axe_violations(page) == [], f"axe on {page.url}"
