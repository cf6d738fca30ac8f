"""Rejection messages of the rules (indicators/validation/rules.py) as a partner reads them:
the real cause and what to do, in Portuguese and English, naming row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.validation import Problem, format_report_text, validate_file
from tests.indicators.validation.helpers import TODAY, VICTIMS, csv_bytes, fixture_rows, write


def problems_of(tmp_path: Path, rows: list[list[str]], name: str = VICTIMS) -> list[Problem]:
    return validate_file(write(tmp_path, name, csv_bytes(rows)), today=TODAY).problems


def victims_with(row: int, column: str, value: str) -> list[list[str]]:
    """The victims fixture with one cell changed (header = row 1)."""
    rows = fixture_rows(VICTIMS)
    rows[row - 1][rows[0].index(column)] = value
    return rows


# --- duplicate_key: the whole key, never cut short -------------------------------------

def test_a_duplicate_key_is_shown_whole_in_both_languages_and_the_report(tmp_path):
    rows = fixture_rows(VICTIMS)
    rows.append(list(rows[1]))  # row 5 repeats row 2
    rows[-1][-1] = "5"
    found = problems_of(tmp_path, rows)
    assert [(p.rule, p.row) for p in found] == [("duplicate_key", 5)]
    problem = found[0]
    key = ("period=2024-03, district=PT-11, sex=F, age_group=25-34, citizenship=BR, "
           "exploitation=sexual_prostitution, status=presumed, signalled_by=ngo")
    assert problem.value == key
    assert problem.to_dict()["value"] == key
    for message in (problem.message_pt, problem.message_en):
        assert key in message and "…" not in message
    assert "linha 5" in problem.message_pt and "linha 2" in problem.message_pt
    assert "row 5" in problem.message_en and "row 2" in problem.message_en
    assert "junte as duas linhas" in problem.message_pt
    assert "merge the two rows" in problem.message_en
    report = format_report_text(VICTIMS, "0" * 64, "rejected", found)
    assert report.count(key) == 2 and "…" not in report


# --- bad_count: a thousands separator is not a decimal ---------------------------------

@pytest.mark.parametrize(("value", "digits"), [
    ("1.000", "1000"), ("12.000", "12000"), ("1.234.567", "1234567"), ("12 000", "12000")])
def test_a_count_with_a_thousands_separator_says_to_write_it_without(tmp_path, value, digits):
    found = problems_of(tmp_path, victims_with(3, "count", value))
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("bad_count", 3, "count", value)]
    assert f"não use separador de milhares: escreva {digits}" in found[0].message_pt
    assert f"do not use a thousands separator: write {digits}" in found[0].message_en
    assert "tem casas decimais" not in found[0].message_pt
    assert "it has decimals" not in found[0].message_en


@pytest.mark.parametrize("value", ["3,5", "3.0", "1,000", "1.00", "12.0000"])
def test_a_count_with_real_decimals_still_says_decimals(tmp_path, value):
    found = problems_of(tmp_path, victims_with(3, "count", value))
    assert [(p.rule, p.row, p.column) for p in found] == [("bad_count", 3, "count")]
    assert "tem casas decimais" in found[0].message_pt
    assert "it has decimals" in found[0].message_en
    assert "milhares" not in found[0].message_pt
