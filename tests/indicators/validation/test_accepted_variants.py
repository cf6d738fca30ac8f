"""Files as partners really produce them are accepted and read to the same canonical table."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from indicators.validation import validate_file
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

PT_HEADER = ["Parceiro", "Período", "Distrito", "Sexo", "Grupo Etário", "Nacionalidade",
             "Exploração", "Estado", "Sinalizado por", "Contagem"]

# The victims fixture, typed by hand.
EXPECTED_VICTIMS = pl.DataFrame({
    "partner": ["APF", "APF", "APF"],
    "period": [dt.date(2024, 3, 1)] * 3,
    "district": ["PT-11", "PT-13", "PT-08"],
    "sex": ["F", "M", "F"],
    "age_group": ["25-34", "18-24", "18-24"],
    "citizenship": ["BR", "RO", "PT"],
    "exploitation": ["sexual_prostitution", "labour", "sexual_online"],
    "status": ["presumed", "confirmed", "presumed"],
    "signalled_by": ["ngo", "police", "hotline"],
    "count": pl.Series([2, 1, 0], dtype=pl.Int64),
})


def accepted(path):
    result = validate_file(path, today=TODAY)
    assert result.problems == []
    assert result.ok
    return result


def test_plain_utf8_comma_file(tmp_path):
    result = accepted(FIXTURES / VICTIMS)
    assert result.partner == "APF"
    assert result.periods == [dt.date(2024, 3, 1)]
    assert list(result.tables) == ["victims"]
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)


def test_utf8_bom_semicolon_portuguese_headers(tmp_path):
    rows = [PT_HEADER, *fixture_rows(VICTIMS)[1:]]
    data = b"\xef\xbb\xbf" + csv_bytes(rows, delimiter=";")
    result = accepted(write(tmp_path, "vitimas.csv", data))
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)


def test_windows_1252_semicolon_upper_case_headers(tmp_path):
    rows = [[h.upper() for h in PT_HEADER], *fixture_rows(VICTIMS)[1:]]
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")
    assert "PERÍODO".encode("cp1252") in data  # really not UTF-8
    result = accepted(write(tmp_path, "vitimas.csv", data))
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)


def test_tab_delimited_quoted_spaced_lower_case_codes(tmp_path):
    rows = fixture_rows(VICTIMS)
    rows[1] = [f" {v.lower()} " for v in rows[1]]  # " apf ", " pt-11 ", " f " ...
    text = "\n".join("\t".join(f'"{v}"' for v in row) for row in rows) + "\n"
    result = accepted(write(tmp_path, "v.csv", text.encode()))
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)


def test_columns_in_another_order_come_out_in_contract_order(tmp_path):
    rows = [list(reversed(r)) for r in fixture_rows(VICTIMS)]
    result = accepted(write(tmp_path, "rev.csv", csv_bytes(rows)))
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)


def test_xlsx_template_with_three_returns_and_an_instructions_sheet(tmp_path):
    def numeric(rows):  # counts as numeric cells, as Excel stores them
        return [rows[0], *([*r[:-1], int(r[-1])] for r in rows[1:])]

    sheets = {
        "Instruções": [["Dúvidas: otsh@example.pt"]],  # ignored, never scanned as data
        "victims": numeric(fixture_rows(VICTIMS)),
        "support": numeric(fixture_rows(SUPPORT)),
        "activities": numeric(fixture_rows(ACTIVITIES)),
        "_lists": [["F"], ["M"]],
    }
    result = accepted(write(tmp_path, "APF_2024-03.xlsx", xlsx_bytes(tmp_path, sheets)))
    assert result.return_types == ["activities", "support", "victims"]
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)
    assert result.tables["support"].get_column("count").to_list() == [2, 4]
    assert result.tables["activities"].get_column("sex").to_list() == ["NA", "F", "M"]
    assert result.tables["activities"].get_column("count").to_list() == [3, 41, 12]
    assert any('"Instruções"' in n and '"_lists"' in n for n in result.notes)


def test_xlsx_period_typed_as_a_date_and_an_empty_template_sheet(tmp_path):
    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    month = workbook.add_format({"num_format": "yyyy-mm"})
    sheet = workbook.add_worksheet("victims")
    for r, row in enumerate(fixture_rows(VICTIMS)):
        for c, value in enumerate(row):
            if r and c == 1:
                sheet.write_datetime(r, c, dt.datetime(2024, 3, 1), month)
            elif r and c == 9:
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, value)
    empty = workbook.add_worksheet("support")
    empty.write_row(0, 0, fixture_rows(SUPPORT)[0])
    workbook.close()
    result = accepted(path)
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)
    assert any('"support"' in n for n in result.notes)


def test_several_periods_in_one_file(tmp_path):
    rows = fixture_rows(VICTIMS)
    rows[2][1] = "2024-04"
    result = accepted(write(tmp_path, "two.csv", csv_bytes(rows)))
    assert result.periods == [dt.date(2024, 3, 1), dt.date(2024, 4, 1)]


def test_blank_lines_are_ignored_and_row_numbers_still_match_the_file(tmp_path):
    rows = fixture_rows(VICTIMS)
    rows.insert(2, ["", "", ""])  # a blank line as row 3
    rows[3][3] = "Q"  # row 4 as the file shows it
    result = validate_file(write(tmp_path, "gap.csv", csv_bytes(rows)), today=TODAY)
    assert [(p.rule, p.row) for p in result.problems] == [("unknown_code", 4)]


def test_excel_sep_hint_line_names_the_delimiter_and_keeps_row_numbers(tmp_path):
    rows = fixture_rows(VICTIMS)
    data = b"sep=;\r\n" + csv_bytes(rows, delimiter=";")
    assert_frame_equal(accepted(write(tmp_path, "sep.csv", data)).tables["victims"],
                       EXPECTED_VICTIMS)
    rows[2][3] = "Q"  # third record: line 4 of the file, after the hint line
    data = b"sep=;\r\n" + csv_bytes(rows, delimiter=";")
    result = validate_file(write(tmp_path, "sep_bad.csv", data), today=TODAY)
    assert [(p.rule, p.row) for p in result.problems] == [("unknown_code", 4)]


def test_the_partner_template_filled_in_is_accepted_and_reads_back_the_same(tmp_path):
    from indicators.template import build_template

    victims = accepted(FIXTURES / VICTIMS).tables["victims"]
    data = build_template("APF", "2024-03", rows={"victims": victims})
    result = accepted(write(tmp_path, "APF_2024-03.xlsx", data))
    assert_frame_equal(result.tables["victims"], EXPECTED_VICTIMS)
    assert any("Instruções" in note for note in result.notes)


def test_the_empty_template_is_a_return_without_rows(tmp_path):
    from indicators.template import build_template

    path = write(tmp_path, "empty.xlsx", build_template("APF", "2024-03"))
    result = validate_file(path, today=TODAY)
    assert [(p.rule, p.sheet, p.row) for p in result.problems] == [("no_rows", None, None)]
