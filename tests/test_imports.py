"""How the portal's modules depend on each other: no import circles, the shared base above none.

Read from the source (module-level imports: what runs when a module is imported), so a circle
shows up here even where Python's import order happens to hide it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portal"
SHARED_BASE = "web"
FEATURES = sorted(
    path.parent.name for path in PACKAGE.glob("*/__init__.py") if path.parent.name != SHARED_BASE
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_at_import_time(name: str) -> set[str]:
    """The portal modules importing ``name`` runs: its module-level imports, ``if`` and ``try``
    blocks included, ``TYPE_CHECKING`` left out. (Its parent packages run first too, but a package
    that imports its own module is no circle unless that module takes a name from the package:
    ``from portal import create_app`` is an import of ``portal`` and counted.)"""
    found = set()
    pending = list(ast.parse(MODULES[name].read_text(encoding="utf-8")).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If | ast.Try) and not _is_type_checking(node):
            pending.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {module for module in found if module in MODULES and module != name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import path that comes back to where it started (one per circle found)."""
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in path:
                found.append([*path[path.index(target) :], target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return found


def test_no_portal_module_imports_itself_back_through_others():
    graph = {name: imported_at_import_time(name) for name in MODULES}
    assert circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c", "a"]]


@pytest.mark.parametrize(
    "name", sorted(name for name in MODULES if name.startswith(f"portal.{SHARED_BASE}"))
)
def test_the_shared_base_imports_no_feature(name):
    reached = {".".join(module.split(".")[:2]) for module in imported_at_import_time(name)}
    assert reached & {f"portal.{feature}" for feature in FEATURES} == set()


def test_each_blueprint_is_defined_once_in_its_features_views_module():
    defined = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint":
                blueprint = ast.literal_eval(node.args[0])
                defined.setdefault(blueprint, []).append(name)
    features = {blueprint: names for blueprint, names in defined.items() if blueprint in FEATURES}
    assert features == {blueprint: [f"portal.{blueprint}.views"] for blueprint in features}
