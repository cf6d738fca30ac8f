"""Counted words in operator messages (publication gate, audits, CLI, Dagster logs) come from
the translation table's singular/plural pairs (``i18n.tn``): "1 célula" / "2 células", never
"célula(s)". A scan of the product's string literals guards every message at once; the gate
and audit reports are checked for one and for several."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polars as pl

from indicators.disclosure.audit import AuditReport, CellCheck
from indicators.i18n import tn_both
from indicators.publish import ProtectedRelease, check_publishable
from indicators.release_audit import CellInterval, ReleaseAudit
from tests.indicators.test_release_audit_earlier import REGISTRY, frame, row

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("indicators", "observatory", "orchestration", "dashboards")
BRACKETED_PLURAL = re.compile(r"\w\((s|ns|es)\)")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (they explain code, users do not read them)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def bracketed_plurals() -> list[str]:
    hits: list[str] = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and id(node) not in skip and BRACKETED_PLURAL.search(node.value)):
                    hits.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return hits


def test_no_product_string_pluralises_with_brackets():
    assert bracketed_plurals() == []


def test_the_scan_sees_f_string_parts_and_skips_docstrings(tmp_path):
    tree = ast.parse('"""Count(s) in a docstring."""\nx = f"{n} célula(s) divulgada(s)"\n')
    skip = _docstrings(tree)
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
             and id(n) not in skip and BRACKETED_PLURAL.search(n.value)]
    assert found == [" célula(s) divulgada(s)"]


def _small(values: list[float]) -> ProtectedRelease:
    quarters = ("2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4")
    return ProtectedRelease(indicator_values=frame([row(q, v) for q, v in zip(
        quarters, values, strict=False)]), audit_ok=True, threshold=3)


def test_the_gate_counts_one_small_count_in_the_singular_and_two_in_the_plural():
    [one] = check_publishable(_small([1.0, 10.0]), REGISTRY)
    assert one.startswith("1 contagem pequena não protegida / 1 unprotected small count:")
    [two] = check_publishable(_small([1.0, 2.0]), REGISTRY)
    assert two.startswith("2 contagens pequenas não protegidas / 2 unprotected small counts:")


def test_audit_reports_count_their_cells():
    check = CellCheck({"sex": "F"}, 2, "primary", 2, 2, 2, 2, False, "pinned")
    failed = AuditReport(ok=False, failures=[check], tables={}, intervals=pl.DataFrame(),
                         seconds=0.0, threshold=3)
    assert failed.to_text().splitlines()[0] == (
        "AUDITORIA FALHOU: 1 célula desprotegida / AUDIT FAILED: 1 unprotected cell")
    key = ("THB_SIGNALLED", "2022", "2022-Q4", "PT", "_T", "_T")
    bad = [CellInterval(key, 2, 2, "x", true=2, primary=True),
           CellInterval(key[:2] + ("2022-Q3",) + key[3:], 1, 1, "x", true=1, primary=True)]
    head = ReleaseAudit(4, 2, bad, 0.0, {"THB_SIGNALLED": 3}).to_text().splitlines()[0]
    assert head == ("AUDITORIA DA PUBLICAÇÃO FALHOU: 2 células divulgadas / "
                    "RELEASE AUDIT FAILED: 2 disclosed cells")


def test_tn_both_gives_portuguese_then_english():
    assert tn_both("n.problems", 1) == "1 problema / 1 problem"
    assert tn_both("n.problems", 3) == "3 problemas / 3 problems"
