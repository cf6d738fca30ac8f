"""Many files validated together (every rule once per header layout) give, file by file,
exactly what validating each file alone gives: same verdict, same problems and messages,
same canonical tables; a bad file never drags its valid neighbours down."""

from __future__ import annotations

import pytest

from indicators import reference
from indicators.reference import Partner
from indicators.validation import stacked, validate_file, validate_files
from indicators.validation.stacked import accepted_in_stacks
from tests.indicators.validation.helpers import (
    ACTIVITIES,
    FIXTURES,
    SUPPORT,
    TODAY,
    VICTIMS,
    csv_bytes,
    fixture_rows,
    write,
    xlsx_bytes,
)


def victims(month: str = "2024-03", **cells: tuple[int, str]) -> list[list[str]]:
    """The victims fixture for ``month``; ``cells``: column -> (row as a spreadsheet shows
    it, new value)."""
    rows = fixture_rows(VICTIMS)
    for row in rows[1:]:
        row[1] = month
    for column, (row, value) in cells.items():
        rows[row - 1][rows[0].index(column)] = value
    return rows


def mixed_folder(folder):
    """Valid files in several layouts, interleaved with files breaking each kind of rule;
    returns {file name: the rules its problems must name (empty: valid)}."""
    expected: dict[str, set[str]] = {}

    def add(name: str, data: bytes, rules: set[str]) -> None:
        write(folder, name, data)
        expected[name] = rules

    for month in ("2024-01", "2024-02", "2024-03"):
        add(f"v_{month}.csv", csv_bytes(victims(month)), set())
    add("v_revised_2024-03.csv", csv_bytes(victims(district=(2, "PT-01"))), set())
    add("s.csv", (FIXTURES / SUPPORT).read_bytes(), set())
    add("a.csv", (FIXTURES / ACTIVITIES).read_bytes(), set())
    add("v_semicolon.csv", b"\xef\xbb\xbf" + csv_bytes(victims("2024-04"), delimiter=";"), set())
    add("v_code.csv", csv_bytes(victims(sex=(3, "Q"))), {"unknown_code"})
    add("v_empty_cell.csv", csv_bytes(victims(district=(2, ""))), {"empty_cell"})
    add("v_count.csv", csv_bytes(victims(count=(4, "3.0"))), {"bad_count"})
    add("v_period.csv", csv_bytes(victims(period=(2, "2024-13"))), {"bad_period"})
    add("v_future.csv", csv_bytes(victims(period=(3, "2024-07"))), {"period_in_future"})
    add("v_acme.csv", csv_bytes(victims(partner=(2, "ACME"))), {"partner_not_registered"})
    add("v_mixed.csv", csv_bytes(victims(partner=(4, "DGS"))), {"mixed_partners"})
    add("v_email.csv", csv_bytes(victims(sex=(2, "ana@example.pt"))), {"personal_data"})
    add("v_formula.csv", csv_bytes(victims(count=(2, "=1+1"))), {"formula"})
    rows = victims("2024-05")
    rows.append(list(rows[1]))
    add("v_duplicate_key.csv", csv_bytes(rows), {"duplicate_key"})
    rows = victims("2024-05")
    rows[2].append("x")
    add("v_ragged.csv", csv_bytes(rows), {"extra_cells"})
    add("v_missing.csv", csv_bytes([r[:5] + r[6:] for r in victims()]), {"missing_column"})
    add("v_header_only.csv", csv_bytes(victims()[:1]), {"no_rows"})
    add("empty.csv", b"", {"empty_file"})
    add("v_cp.csv", "nome;Período\nAna;2024-03\n".encode("utf-16"), {"undecodable"})
    add("v.xlsx", xlsx_bytes(folder, {"victims": victims("2024-02")}), set())
    return expected


@pytest.mark.parametrize("stack_rows", [stacked.STACK_ROWS, 5])
def test_validating_together_gives_what_validating_alone_gives(tmp_path, monkeypatch,
                                                               stack_rows):
    monkeypatch.setattr(stacked, "STACK_ROWS", stack_rows)  # 5: stacks of one or two files
    expected = mixed_folder(tmp_path)
    paths = sorted(tmp_path.iterdir())

    together = validate_files(paths, today=TODAY, workers=1)
    alone = [validate_file(path, today=TODAY) for path in paths]

    assert {v.name: {p.rule for p in v.problems} for v in together} == expected
    assert [v.to_dict() for v in together] == [v.to_dict() for v in alone]
    for one, other in zip(together, alone, strict=True):
        assert one.tables.keys() == other.tables.keys()
        for return_type, table in one.tables.items():
            assert table.equals(other.tables[return_type])


def test_only_files_breaking_no_rule_are_accepted_in_the_stacked_pass(tmp_path):
    expected = mixed_folder(tmp_path)
    paths = sorted(tmp_path.iterdir())
    accepted = {paths[i].name for i in accepted_in_stacks(paths, TODAY)}
    # every valid CSV is accepted together; the workbook and every bad file are left to
    # the file-by-file validation
    assert accepted == {name for name, rules in expected.items()
                        if not rules and name.endswith(".csv")}


def test_a_table_rule_firing_in_a_stack_leaves_its_files_to_be_checked_alone(
        tmp_path, monkeypatch):
    restricted = tuple(
        Partner(p.code, p.name, frozenset({"support"})) if p.code == "APF" else p
        for p in reference.partners())
    monkeypatch.setattr(reference, "partners", lambda: restricted)
    paths = [write(tmp_path, f"v_{m}.csv", csv_bytes(victims(m))) for m in ("2024-01", "2024-02")]

    together = validate_files(paths, today=TODAY, workers=1)

    assert [{p.rule for p in v.problems} for v in together] == [{"return_type_not_allowed"}] * 2
    assert [v.to_dict() for v in together] == [validate_file(p, today=TODAY).to_dict()
                                               for p in paths]
