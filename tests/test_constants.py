"""Each constant is written once: Norway's time zone and the staff area's prefix have one home."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def strings_in(path: Path) -> list[str]:
    """The string literals of a module, f-string parts included, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    ("literal", "home"),
    [("Europe/Oslo", "portal/timestamps.py"), ("/inbox", "portal/web/areas.py")],
)
def test_the_constant_is_written_in_its_home_module_only(literal, home):
    written = {
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "portal").rglob("*.py"))
        if any(text == literal or text.startswith(literal + "/") for text in strings_in(path))
    }
    assert written == {home}
