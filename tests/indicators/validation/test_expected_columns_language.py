"""A rejection lists the expected columns by the contract's column names, as the template
has them, whatever language the file's headers are written in (a user review: one workbook's
report listed Portuguese names for one sheet and English names for another). A sheet that is
no return type gets the unknown-sheet problem only (its cells are no columns: "total | 3" is
not a column named "3")."""

from __future__ import annotations

from pathlib import Path

from indicators.template import build_template
from indicators.validation import validate_file
from tests.indicators.validation.helpers import (
    SUPPORT,
    TODAY,
    VICTIMS,
    csv_bytes,
    fixture_rows,
    write,
    xlsx_bytes,
)

PT_HEADERS = {"partner": "parceiro", "period": "periodo", "district": "distrito",
              "sex": "sexo", "age_group": "grupo_etario", "citizenship": "nacionalidade",
              "exploitation": "exploracao", "status": "estado",
              "signalled_by": "sinalizado_por", "count": "contagem"}


def _problem(tmp_path: Path, header: list[str], rows: list[list[str]], rule: str):
    path = write(tmp_path, "victims.csv", csv_bytes([header, *rows]))
    return next(p for p in validate_file(path, today=TODAY).problems if p.rule == rule)


def test_portuguese_file_is_told_the_contract_column_names(tmp_path):
    header, *rows = fixture_rows(VICTIMS)
    pt = [PT_HEADERS[h] for h in header]
    problem = _problem(tmp_path, [*pt, "nome"], [[*r, "x"] for r in rows], "unknown_column")
    expected = ", ".join(header)
    assert f"Colunas esperadas: {expected}." in problem.message_pt
    assert f"Expected columns: {expected}." in problem.message_en
    missing = _problem(tmp_path, [h for h in pt if h != "nacionalidade"],
                       [[v for h, v in zip(pt, r, strict=True) if h != "nacionalidade"]
                        for r in rows], "missing_column")
    assert 'falta a coluna "citizenship"' in missing.message_pt
    assert f"colunas {expected}." in missing.message_pt


def test_english_file_is_told_the_contract_column_names(tmp_path):
    header, *rows = fixture_rows(VICTIMS)
    problem = _problem(tmp_path, [*header, "nome"], [[*r, "x"] for r in rows],
                       "unknown_column")
    assert f"Colunas esperadas: {', '.join(header)}." in problem.message_pt


def test_a_workbook_lists_every_sheets_columns_in_one_style_and_an_extra_sheet_once(
        tmp_path):
    victims_header, *victims_rows = fixture_rows(VICTIMS)
    support_header, *support_rows = fixture_rows(SUPPORT)
    portuguese = [[PT_HEADERS[h] for h in victims_header] + ["nome"],
                  *[[*r, "x"] for r in victims_rows]]
    english = [[*support_header, "notes"], *[[*r, "y"] for r in support_rows]]
    data = xlsx_bytes(tmp_path, {"victims": portuguese, "support": english,
                                 "Resumo": [["total", 3]]})
    path = write(tmp_path / "in", "returns_APF_2024-03.xlsx", data)
    found = validate_file(path, today=TODAY).problems
    assert sorted((p.rule, p.sheet) for p in found) == [
        ("unknown_column", "support"), ("unknown_column", "victims"),
        ("unknown_sheet", "Resumo")]
    said = {p.sheet: p for p in found}
    assert "3" not in (said["Resumo"].value or "")
    for sheet, header in (("victims", victims_header), ("support", support_header)):
        assert f"Colunas esperadas: {', '.join(header)}." in said[sheet].message_pt
        assert f"Expected columns: {', '.join(header)}." in said[sheet].message_en
    template = tmp_path / "template.xlsx"  # the names the template gives the partner
    template.write_bytes(build_template("APF", "2024-03"))
    import openpyxl

    book = openpyxl.load_workbook(template, read_only=True)
    for sheet, header in (("victims", victims_header), ("support", support_header)):
        assert [c for c in next(book[sheet].iter_rows(values_only=True)) if c] == header
