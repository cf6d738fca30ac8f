"""XLSX return templates: sheets, headers, drop-downs, instructions; a filled one validates."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from indicators.template import build_template
from indicators.validation import validate_file
from observatory.cli import main

VICTIMS = ["partner", "period", "district", "sex", "age_group", "citizenship", "exploitation",
           "status", "signalled_by", "count"]
SUPPORT = ["partner", "period", "district", "sex", "age_group", "support", "case", "count"]
ACTIVITIES = ["partner", "period", "district", "activity", "audience", "sex", "count"]


@pytest.fixture(scope="module")
def workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template("APF", "2024-03")))


def _validations(sheet) -> dict[str, object]:
    """Column letter -> data validation covering rows 2 onwards of that column."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        ref = str(dv.sqref)
        assert ref.split(":")[0][1:] == "2", ref
        out[ref.split(":")[0][0]] = dv
    return out


def _list_values(workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    sheet = workbook[sheet_name.strip("'")]
    first, last = cells.replace("$", "").split(":")
    return [row[0].value for row in sheet[f"{first}:{last}"]]


def test_one_sheet_per_return_type_plus_instructions_and_hidden_lists(workbook) -> None:
    assert workbook.sheetnames == ["Instruções", "victims", "support", "activities", "_lists"]
    assert workbook["_lists"].sheet_state == "hidden"
    assert [c.value for c in workbook["victims"][1]] == VICTIMS
    assert [c.value for c in workbook["support"][1]] == SUPPORT
    assert [c.value for c in workbook["activities"][1]] == ACTIVITIES
    for name in ("victims", "support", "activities"):
        assert workbook[name].freeze_panes == "A2"
        assert workbook[name].max_row == 1  # no data rows in an empty template
        assert workbook[name].column_dimensions["A"].width > 5


def test_every_coded_column_has_a_drop_down_and_count_is_a_whole_number(workbook) -> None:
    victims = _validations(workbook["victims"])
    assert set(victims) == set("ABCDEFGHIJ")
    assert victims["A"].type == "list" and victims["A"].formula1 == '"APF"'
    assert victims["B"].formula1 == '"2024-03"'
    count = victims["J"]
    assert (count.type, count.formula1, count.formula2) == ("whole", "0", "100000")
    assert count.operator in (None, "between")  # "between" is the default, often omitted
    sexes = _list_values(workbook, victims["D"].formula1)
    assert sexes == ["F", "M", "X", "U"]
    districts = _list_values(workbook, victims["C"].formula1)
    assert len(districts) == 22 and districts[0] == "PT-01" and "ABROAD" in districts
    countries = _list_values(workbook, victims["F"].formula1)
    assert {"BR", "PT", "NG", "STATELESS", "UNKNOWN"} <= set(countries)
    assert len(countries) > 240
    activities = _validations(workbook["activities"])
    assert set(activities) == set("ABCDEFG")
    assert _list_values(workbook, activities["F"].formula1) == ["F", "M", "X", "U", "NA"]
    support = _validations(workbook["support"])
    assert _list_values(workbook, support["G"].formula1) == ["new", "ongoing"]


def test_instructions_in_portuguese_with_code_labels(workbook) -> None:
    text = "\n".join(str(c.value) for row in workbook["Instruções"].iter_rows() for c in row
                     if c.value is not None)
    assert "APF" in text and "2024-03" in text
    assert "contagem 0" in text
    assert "Nunca registe dados sobre uma pessoa identificável" in text
    assert "NIF" in text and "e-mails" in text
    assert "never data about a single identifiable person" in text
    assert "Exploração laboral" in text and "Retorno voluntário" in text


def test_template_is_deterministic_and_limited_to_asked_return_types() -> None:
    assert build_template("OTSH", "2023-01") == build_template("OTSH", "2023-01")
    only = openpyxl.load_workbook(io.BytesIO(
        build_template("OTSH", "2023-01", return_types=("victims",))))
    assert only.sheetnames == ["Instruções", "victims", "_lists"]
    with pytest.raises(KeyError):
        build_template("XPTO", "2023-01")


def test_filled_template_validates(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_template("ONINHO", "2024-03")))
    book["victims"].append(["ONINHO", "2024-03", "PT-11", "F", "25-34", "BR",
                            "sexual_prostitution", "presumed", "ngo", 3])
    book["victims"].append(["ONINHO", "2024-03", "PT-13", "F", "18-24", "NG", "sexual_online",
                            "presumed", "ngo", 1])
    book["support"].append(["ONINHO", "2024-03", "PT-11", "F", "25-34", "shelter", "new", 2])
    path = tmp_path / "ONINHO_2024-03.xlsx"
    book.save(path)
    result = validate_file(path, today=date(2026, 11, 28))
    assert result.ok, [p.message_en for p in result.problems]
    assert result.tables["victims"]["count"].sum() == 4
    assert result.tables["support"]["count"].sum() == 2


def test_filled_template_with_a_bad_code_is_rejected(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_template("ONINHO", "2024-03")))
    book["support"].append(["ONINHO", "2024-03", "PT-11", "F", "25-34", "massage", "new", 2])
    path = tmp_path / "ONINHO_2024-03.xlsx"
    book.save(path)
    assert not validate_file(path, today=date(2026, 11, 28)).ok


def test_cli_writes_a_template(tmp_path: Path, capsys) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "--partner", "dgs", "--period", "2025-07", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Instruções", "victims"]
    assert "template written" in capsys.readouterr().out
    assert main(["template", "--partner", "XPTO", "--period", "2025-07"]) == 2
    assert main(["template", "--partner", "DGS", "--period", "2025-13"]) == 2
