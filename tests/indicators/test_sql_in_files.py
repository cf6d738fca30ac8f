"""SQL lives in sql/ files (CONTRIBUTING.md): no product module writes a SQL statement in a
Python string, except where DuckDB cannot take the varying part as a parameter (a table or
catalogue name), each listed here with its reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("indicators", "dashboards", "orchestration", "observatory")
STATEMENT = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|ATTACH|DETACH|COPY|WITH|BEGIN|COMMIT"
    r"|ROLLBACK)\s")  # upper case, as every statement here is written (prose is not)
# module -> why it may build a statement in Python (identifiers only, never values)
ALLOWED = {
    "indicators/warehouse.py": "replace_table/drop_table: a checked schema.table name",
    "indicators/publish.py": "_insert: a published table name from PUBLISHED_TABLES",
    "indicators/open_data/tables.py": "the attached release's catalogue name (prefix)",
    "indicators/release_digests.py": "scans every column of every table of a release by name",
}


def _statements(path: Path) -> list[tuple[int, str]]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in ast.walk(tree):
        if id(node) in parts:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if STATEMENT.match(text) and re.search(r"\b(FROM|INTO|TABLE|SCHEMA|SET)\b", text):
            found.append((node.lineno, text.strip().splitlines()[0][:60]))
    return found


def test_no_product_module_writes_sql_in_python_strings():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in ALLOWED:
                continue
            offenders += [f"{relative}:{line}: {text}" for line, text in _statements(path)]
    assert offenders == [], "SQL belongs in sql/ files:\n" + "\n".join(offenders)


def test_the_check_finds_a_statement_written_in_python(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('con.execute(f"SELECT * FROM {t} WHERE x = 1")\nq = "SELECT 1"\n'
                      'doc = "Select the rows from the file"\n', encoding="utf-8")
    assert [line for line, _ in _statements(sample)] == [1]


def test_every_allowed_module_still_needs_its_exception():
    unused = [m for m in ALLOWED if not _statements(ROOT / m)]
    assert unused == [], f"no longer builds SQL, remove from ALLOWED: {unused}"
