"""No function of the product packages is longer than 80 lines (the ``def`` line through the
last line of its body; decorators not counted), so that each can be read at once."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("indicators", "dashboards", "orchestration", "observatory")
MAX_LINES = 80


def long_functions(tree: ast.AST, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """``(name, lines)`` of every function or method in ``tree`` longer than ``limit``."""
    return [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > limit]


def test_no_product_function_exceeds_80_lines():
    too_long = [f"{path.relative_to(ROOT)}::{name} ({lines} lines)"
                for package in PRODUCT for path in sorted((ROOT / package).rglob("*.py"))
                for name, lines in long_functions(ast.parse(path.read_text(encoding="utf-8")))]
    assert too_long == []


def test_the_count_sees_nested_functions_and_methods():
    body = "\n".join(["    x = 1"] * 79)
    deeper = "\n".join(["        x = 1"] * 79)
    source = (f"def short():\n{body}\n"  # 80 lines: allowed
              f"class C:\n    def method(self):\n{deeper}\n        return x\n"  # 81 lines
              f"async def outer():\n    def inner():\n{deeper}\n        return x\n")
    found = dict(long_functions(ast.parse(source)))
    assert found == {"method": 81, "inner": 81, "outer": 82}
