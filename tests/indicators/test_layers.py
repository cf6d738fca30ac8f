"""The package graph has no cycles: every import of every module (``TYPE_CHECKING`` blocks
excepted) follows the layers of the README.

    observatory (CLI) -> orchestration -> indicators
    observatory (CLI) -> dashboards    -> indicators
    bench -> any product package (never tests)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("indicators", "orchestration", "dashboards", "observatory", "bench", "tests")
ALLOWED: dict[str, set[str]] = {
    "indicators": {"indicators"},
    "orchestration": {"orchestration", "indicators"},
    "dashboards": {"dashboards", "indicators"},
    "observatory": {"observatory", "orchestration", "dashboards", "indicators"},
    "bench": {"bench", "observatory", "orchestration", "dashboards", "indicators"},
}
# Imports that still break the layers, each with the work that removes it. The test fails
# when one is added AND when one disappears (then delete its line here). None left.
KNOWN: set[tuple[str, str]] = set()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_modules(tree: ast.AST) -> list[str]:
    """Absolute module names imported anywhere in ``tree`` except under
    ``if TYPE_CHECKING:``."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations() -> set[tuple[str, str]]:
    bad: set[tuple[str, str]] = set()
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for module in imported_modules(tree):
                target = module.split(".")[0]
                if target in PACKAGES and target not in allowed:
                    bad.add((str(path.relative_to(ROOT)), module))
    return bad


def test_imports_follow_the_layers():
    assert violations() == KNOWN


def test_the_walk_sees_nested_imports_and_skips_type_checking():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from indicators.release_reader import Release\n"
        "else:\n    import orchestration.alerts\n"
        "def f():\n    from observatory.cli import main\n")
    assert imported_modules(tree) == ["typing", "orchestration.alerts", "observatory.cli"]
