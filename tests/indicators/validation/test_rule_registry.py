"""Validation rules are named units: every rule has its message, in Portuguese and English,
in the one translation table (``val.<rule>`` in indicators/i18n.py), and adding a rule is one
decorated function plus its message there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from indicators import i18n
from indicators.inbox_names import HIDDEN_RULE
from indicators.validation import problems, rules, validate_file
from tests.indicators.validation.helpers import TODAY, VICTIMS, csv_bytes, fixture_rows, write

ROOT = Path(__file__).resolve().parents[3]
# rule codes the product passes through a variable (the scan below cannot see them)
THROUGH_A_VARIABLE = {HIDDEN_RULE, "more_problems", "unknown_sheet", "unknown_return_type"}


def registered_rules() -> list[str]:
    return ([name for name, _, _ in rules.SHEET_RULES] + [r.name for r in rules.CELL_RULES]
            + [name for name, _ in rules.TABLE_RULES])


def rules_named_in_code() -> set[str]:
    """Rule codes written as the first argument of ``make_problem(...)`` or ``.report(...)``
    anywhere in the product's ``indicators`` package."""
    found: set[str] = set()
    for path in (ROOT / "indicators").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in ("make_problem", "report") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_every_registered_rule_is_registered_once():
    names = registered_rules()
    assert len(names) == len(set(names))
    assert {"unknown_column", "empty_cell", "bad_count", "unknown_code",
            "duplicate_key"} <= set(names)


def test_every_validation_rule_has_its_message_in_both_languages():
    named = rules_named_in_code()
    assert {"file_too_large", "unsupported_file_type", "personal_data", "formula",
            "partner_mismatch"} <= named  # the scan sees the file-level rules
    for name in set(registered_rules()) | named | THROUGH_A_VARIABLE:
        portuguese, english = i18n.TEXT[problems.message_key(name)]
        assert portuguese and english and portuguese != english, name
    stale = {key.removeprefix("val.") for key in i18n.TEXT if key.startswith("val.")
             and not key.startswith(("val.where.", "val.count.", "val.period.", "val.code.",
                                             "val.binary."))}
    assert stale - set(registered_rules()) - named - THROUGH_A_VARIABLE == set()


def test_a_rule_without_a_message_cannot_be_registered():
    with pytest.raises(ValueError, match="val.sex_not_stated"):
        rules.cell_rule("sex_not_stated")(lambda cell: cell.live)


def test_a_new_cell_rule_is_one_function(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "CELL_RULES", list(rules.CELL_RULES))
    monkeypatch.setitem(i18n.TEXT, "val.sex_not_stated",
                        ("sexo {value} não indicado", "sex {value} is not stated"))

    @rules.cell_rule("sex_not_stated", applies=lambda canon: canon == "sex")
    def sex_not_stated(cell: rules.Cell):
        return cell.live & (cell.norm == "U")

    rows = fixture_rows(VICTIMS)
    sex = rows[0].index("sex")
    rows[2][sex] = "U"
    found = validate_file(write(tmp_path, VICTIMS, csv_bytes(rows)), today=TODAY).problems
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("sex_not_stated", 3, "sex", "U")]
    assert "sexo U não indicado" in found[0].message_pt
