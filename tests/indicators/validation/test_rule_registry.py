"""Validation rules are named units: every registered rule has its two message templates,
and adding a rule is one decorated function."""

from __future__ import annotations

from indicators.validation import problems, rules, validate_file
from tests.indicators.validation.helpers import TODAY, VICTIMS, csv_bytes, fixture_rows, write


def test_every_registered_rule_has_english_and_portuguese_templates():
    names = ([name for name, _, _ in rules.SHEET_RULES] + [r.name for r in rules.CELL_RULES]
             + [name for name, _ in rules.TABLE_RULES])
    assert len(names) == len(set(names))
    assert {"unknown_column", "empty_cell", "bad_count", "unknown_code",
            "duplicate_key"} <= set(names)
    for name in names:
        english, portuguese = problems.MESSAGES[name]
        assert english and portuguese and english != portuguese


def test_a_new_cell_rule_is_one_function(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "CELL_RULES", list(rules.CELL_RULES))
    monkeypatch.setitem(problems.MESSAGES, "sex_not_stated",
                        ("sex {value} is not stated", "sexo {value} não indicado"))

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
