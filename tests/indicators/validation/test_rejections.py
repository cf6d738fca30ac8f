"""Every rejection rule: feed a file, check the message names file, row, column and value in
both languages, that nothing reached the core tables, and that the original is kept
byte-identical in quarantine beside its JSON and text reports."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from indicators import reference
from indicators.ingest import ingest_file
from indicators.reference import Partner
from tests.indicators.validation.helpers import (
    TODAY,
    VICTIMS,
    core_counts,
    csv_bytes,
    fixture_rows,
    query,
    write,
    xlsx_bytes,
)

EMPTY = {"core.submissions": 0, "core.victims_cells": 0, "core.support_cells": 0,
         "core.activities_cells": 0}


def reject(settings, name: str, data: bytes):
    """Ingest a file expected to be rejected; check everything rejection promises."""
    path = write(settings.inbox_dir, name, data)
    outcome = ingest_file(path, settings, today=TODAY)
    assert outcome.status == "rejected"
    assert not path.exists()  # moved out of the inbox ...
    assert outcome.stored_path.parent == settings.quarantine_dir
    assert outcome.stored_path.read_bytes() == data  # ... byte-identical
    report_json = outcome.stored_path.with_name(outcome.stored_path.name + ".report.json")
    report_txt = outcome.stored_path.with_name(outcome.stored_path.name + ".report.txt")
    report = json.loads(report_json.read_text(encoding="utf-8"))
    assert report["status"] == "rejected" and report["file"] == name
    assert [p["rule"] for p in report["problems"]] == [p.rule for p in outcome.problems]
    text = report_txt.read_text(encoding="utf-8")
    for problem in outcome.problems:
        assert problem.message_pt in text and problem.message_en in text
    assert core_counts(settings.warehouse_path) == EMPTY
    assert query(settings.warehouse_path, "SELECT status, file_name FROM core.ingest_log") \
        == [("rejected", name)]
    return outcome


def find(outcome, rule: str, **where):
    matches = [p for p in outcome.problems if p.rule == rule
               and all(getattr(p, k) == v for k, v in where.items())]
    assert matches, f"no {rule} {where} in {[(p.rule, p.row, p.column) for p in outcome.problems]}"
    problem = matches[0]
    assert problem.message_en.startswith(problem.file)
    assert problem.message_pt.startswith(problem.file)
    if problem.row is not None:
        assert f"row {problem.row}" in problem.message_en
        assert f"linha {problem.row}" in problem.message_pt
    if problem.column is not None:
        assert f'column "{problem.column}"' in problem.message_en
        assert f'coluna "{problem.column}"' in problem.message_pt
    if problem.value:
        assert problem.value in problem.message_en and problem.value in problem.message_pt
    return problem


def victims(change=None) -> list[list[str]]:
    rows = fixture_rows(VICTIMS)
    if change:
        change(rows)
    return rows


def set_cell(row: int, column: str, value: str):
    """Change one cell, addressed as a spreadsheet shows it (header = row 1)."""
    def change(rows):
        rows[row - 1][rows[0].index(column)] = value
    return change


def test_unknown_column_is_rejected_and_says_it_could_carry_personal_data(settings):
    rows = victims()
    for row, name in zip(rows, ["nome", "Ana", "Rui", "Eva"], strict=True):
        row.append(name)
    outcome = reject(settings, "extra.csv", csv_bytes(rows))
    problem = find(outcome, "unknown_column", row=1, column="nome", value="nome")
    assert "personal data" in problem.message_en
    assert "dados pessoais" in problem.message_pt


def test_missing_column(settings):
    rows = [r[:5] + r[6:] for r in victims()]  # citizenship removed
    outcome = reject(settings, "missing.csv", csv_bytes(rows))
    problem = find(outcome, "missing_column", row=1, value="citizenship")
    assert "Nacionalidade" in problem.message_pt


def test_same_column_twice(settings):
    rows = victims()
    for row in rows:
        row.append(row[3])
    rows[0][-1] = "Sexo"
    outcome = reject(settings, "twice.csv", csv_bytes(rows))
    find(outcome, "duplicate_column", row=1, column="Sexo", value="sex")


def test_values_beyond_the_header(settings):
    rows = victims()
    rows[2].append("x")
    outcome = reject(settings, "ragged.csv", csv_bytes(rows))
    find(outcome, "extra_cells", row=3, value="x")


def test_empty_cell(settings):
    outcome = reject(settings, "blank.csv", csv_bytes(victims(set_cell(2, "district", ""))))
    find(outcome, "empty_cell", row=2, column="district")


def test_unknown_code_lists_the_allowed_codes(settings):
    outcome = reject(settings, "code.csv", csv_bytes(victims(set_cell(3, "sex", "Q"))))
    problem = find(outcome, "unknown_code", row=3, column="sex", value="Q")
    assert "F, M, X, U" in problem.message_en


def test_code_of_another_return_type_is_unknown(settings):
    # NA is a sex code only in activities returns
    outcome = reject(settings, "na.csv", csv_bytes(victims(set_cell(4, "sex", "NA"))))
    find(outcome, "unknown_code", row=4, column="sex", value="NA")


@pytest.mark.parametrize(("value", "reason_en", "reason_pt"), [
    ("3.0", "decimals", "casas decimais"),
    ("3,5", "decimals", "casas decimais"),
    ("-1", "negative", "negativa"),
    ("1e3", "scientific notation", "notação científica"),
    ("100001", "larger than 100000", "maior do que 100000"),
    ("três", "not a whole number", "não é um número inteiro"),
])
def test_counts_must_be_whole_numbers_from_0_to_100000(settings, value, reason_en, reason_pt):
    outcome = reject(settings, "count.csv", csv_bytes(victims(set_cell(4, "count", value))))
    problem = find(outcome, "bad_count", row=4, column="count", value=value)
    assert reason_en in problem.message_en
    assert reason_pt in problem.message_pt


@pytest.mark.parametrize("value", ["2024-3", "2024-13", "março 2024", "202403"])
def test_malformed_period(settings, value):
    outcome = reject(settings, "period.csv", csv_bytes(victims(set_cell(2, "period", value))))
    problem = find(outcome, "bad_period", row=2, column="period", value=value)
    assert "YYYY-MM" in problem.message_en and "AAAA-MM" in problem.message_pt


def test_period_before_2021_01(settings):
    rows = victims(set_cell(3, "period", "2020-12"))
    outcome = reject(settings, "early.csv", csv_bytes(rows))
    problem = find(outcome, "period_before_start", row=3, column="period", value="2020-12")
    assert "2021-01" in problem.message_en


def test_period_in_the_future(settings):
    # TODAY is 2024-06-15: June is the current month and July is the future
    rows = victims(set_cell(3, "period", "2024-07"))
    outcome = reject(settings, "future.csv", csv_bytes(rows))
    problem = find(outcome, "period_in_future", row=3, column="period", value="2024-07")
    assert "2024-06" in problem.message_en


@pytest.mark.parametrize("period", ["2024-06", "06/2024"])
def test_the_current_month_is_handed_in_once_it_has_ended(settings, period):
    """A user review: a partner's November return was accepted on 30 November, so one sent
    on the 2nd would also count two days as the month. TODAY is 2024-06-15."""
    rows = victims(set_cell(3, "period", period))
    outcome = reject(settings, "june.csv", csv_bytes(rows))
    if period != "2024-06":  # another form of the month: told how to write it first
        assert find(outcome, "bad_period", row=3, column="period", value=period)
        return
    problem = find(outcome, "period_not_ended", row=3, column="period", value="2024-06")
    assert "01/07/2024" in problem.message_pt and "1 Jul 2024" in problem.message_en
    assert "ainda não terminou" in problem.message_pt and "not ended" in problem.message_en


def test_partner_not_registered(settings):
    rows = victims(set_cell(2, "partner", "ACME"))
    outcome = reject(settings, "acme.csv", csv_bytes(rows))
    problem = find(outcome, "partner_not_registered", row=2, column="partner", value="ACME")
    assert "APF" in problem.message_en  # lists the registered partners


def test_partner_not_allowed_this_return_type(settings, monkeypatch):
    restricted = tuple(
        Partner(p.code, p.name, frozenset({"support"})) if p.code == "APF" else p
        for p in reference.partners())
    monkeypatch.setattr(reference, "partners", lambda: restricted)
    outcome = reject(settings, "notallowed.csv", csv_bytes(victims()))
    problem = find(outcome, "return_type_not_allowed", column="partner", value="APF")
    assert "victims" in problem.message_en and "support" in problem.message_en


def test_file_mixing_partners(settings):
    rows = victims(set_cell(4, "partner", "DGS"))
    outcome = reject(settings, "mixed.csv", csv_bytes(rows))
    find(outcome, "mixed_partners", row=None, value="APF, DGS")


def test_duplicate_cell_keys_name_both_rows(settings):
    rows = victims()
    rows.append(list(rows[1]))
    rows[-1][-1] = "5"  # same cell as row 2, different count: now row 5
    outcome = reject(settings, "dupkey.csv", csv_bytes(rows))
    problem = find(outcome, "duplicate_key", row=5)
    assert "row 2" in problem.message_en and "linha 2" in problem.message_pt
    assert "district=PT-11" in problem.value


@pytest.mark.parametrize("data", [b"", b"\r\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_file_explains_zero_counts(settings, data):
    outcome = reject(settings, "empty.csv", data)
    problem = find(outcome, "empty_file")
    assert "count 0" in problem.message_en and "contagem 0" in problem.message_pt


def test_header_without_rows(settings):
    outcome = reject(settings, "header.csv", csv_bytes(victims()[:1]))
    problem = find(outcome, "no_rows")
    assert "count 0" in problem.message_en and "contagem 0" in problem.message_pt


def test_undecodable_bytes_name_the_offset_and_row(settings):
    data = csv_bytes(victims(set_cell(3, "district", "PT-1#")))
    data = data.replace(b"PT-1#", b"PT-1\x81")  # 0x81: neither UTF-8 nor Windows-1252
    outcome = reject(settings, "bytes.csv", data)
    problem = find(outcome, "undecodable", row=3)
    offset = data.index(b"\x81")
    assert f"byte {offset}" in problem.message_en
    assert "0x81" in problem.message_en


def test_utf16_text_is_undecodable(settings):
    data = "partner,period\r\nAPF,2024-03\r\n".encode("utf-16")
    find(reject(settings, "utf16.csv", data), "undecodable")


def test_file_over_20_mb_is_rejected_without_reading(settings):
    data = b"partner,period\n" + b"x" * 20_000_000
    outcome = reject(settings, "huge.csv", data)
    problem = find(outcome, "file_too_large")
    assert str(len(data)) in problem.message_en
    assert len(outcome.problems) == 1


@pytest.mark.parametrize("data", [
    b"partner,period,count\nAPF,2024-03,1\n",  # a CSV renamed .xlsx
    b"PK\x03\x04 truncated",  # zip signature, not a zip
])
def test_xlsx_that_is_not_a_workbook(settings, data):
    find(reject(settings, "fake.xlsx", data), "not_a_workbook")


def test_zip_without_workbook_parts_is_not_a_workbook(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    problem = find(reject(settings, "zip.xlsx", buffer.getvalue()), "not_a_workbook")
    assert "xl/workbook.xml" in problem.message_en


def test_workbook_expanding_over_200_mb_is_rejected(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(191):  # 191 MiB > 200 MB
                member.write(block)
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    problem = find(reject(settings, "bomb.xlsx", data), "workbook_too_large")
    assert "200000000" in problem.message_en


def test_formula_in_csv(settings):
    outcome = reject(settings, "formula.csv", csv_bytes(victims(set_cell(2, "count", "=1+1"))))
    find(outcome, "formula", row=2, column="count", value="=1+1")


def test_formula_in_xlsx(settings, tmp_path):
    rows: list[list] = victims()
    rows[1][-1] = "=1+1"
    outcome = reject(settings, "formula.xlsx", xlsx_bytes(tmp_path, {"victims": rows}))
    find(outcome, "formula", sheet="victims", row=2, value="cell J2")


PERSONAL = [
    ("maria.silva@example.pt", "e-mail"),
    ("912 345 678", "phone"),
    ("+351 213 456 789", "phone"),
    ("+44 20 7946 0958", "phone"),
    ("123456789", "NIF"),  # valid check digit
    ("12345678901", "NISS"),
    ("12345678 9 ZZ1", "Citizen Card"),
    ("12/03/1985", "date"),
    ("1985-03-12", "date"),
]


@pytest.mark.parametrize(("value", "kind"), PERSONAL)
def test_personal_data_in_an_extra_column_is_reported_masked(settings, value, kind):
    rows = victims()
    for row, extra in zip(rows, ["notas", "", value, ""], strict=True):
        row.append(extra)
    outcome = reject(settings, "pd.csv", csv_bytes(rows))
    problem = find(outcome, "personal_data", row=3, column="notas")
    assert kind in problem.message_en
    assert problem.value != value and problem.value[0] == value[0]
    stored = outcome.stored_path
    for text in (json.dumps([p.to_dict() for p in outcome.problems]), outcome.message,
                 stored.with_name(stored.name + ".report.txt").read_text(encoding="utf-8"),
                 stored.with_name(stored.name + ".report.json").read_text(encoding="utf-8")):
        assert value not in text


def test_personal_data_in_a_coded_column_is_not_echoed(settings):
    outcome = reject(settings, "pd2.csv",
                     csv_bytes(victims(set_cell(2, "citizenship", "ana@example.org"))))
    problem = find(outcome, "personal_data", row=2, column="citizenship")
    assert "ana@example.org" not in json.dumps([p.to_dict() for p in outcome.problems])
    assert problem.value == "a**@*******.***"
    assert not [p for p in outcome.problems if p.rule == "unknown_code"]


def test_personal_data_in_a_header_is_masked(settings):
    rows = victims()
    for row in rows:
        row.append("")
    rows[0][-1] = "joao@example.pt"
    rows[1][-1] = "x"
    outcome = reject(settings, "pdh.csv", csv_bytes(rows))
    find(outcome, "unknown_column", row=1)
    assert "joao@example.pt" not in json.dumps([p.to_dict() for p in outcome.problems])


def test_header_of_no_return_type(settings):
    data = csv_bytes([["nome", "morada"], ["Ana", "Rua A"]])
    outcome = reject(settings, "people.csv", data)
    find(outcome, "unknown_return_type", row=1)
    find(outcome, "unknown_column", column="nome", value="nome")
    find(outcome, "unknown_column", column="morada", value="morada")


def test_unsupported_file_type(settings):
    find(reject(settings, "return.pdf", b"%PDF-1.4"), "unsupported_file_type", value=".pdf")


def test_workbook_with_an_unknown_sheet(settings, tmp_path):
    sheets = {"victims": victims(), "Pessoas": [["nome"], ["Ana"]]}
    outcome = reject(settings, "sheets.xlsx", xlsx_bytes(tmp_path, sheets))
    find(outcome, "unknown_sheet", sheet="Pessoas", value="Pessoas")


def test_workbook_with_the_same_return_twice(settings, tmp_path):
    other = victims(set_cell(2, "period", "2024-02"))
    sheets = {"victims": victims(), "Vítimas": other}
    outcome = reject(settings, "twice.xlsx", xlsx_bytes(tmp_path, sheets))
    find(outcome, "duplicate_return_type", value="victims")


def test_many_bad_rows_give_a_capped_report_with_a_count_of_the_rest(settings):
    header, first = victims()[:2]
    rows = [header]
    for n in range(60):
        row = list(first)
        row[header.index("sex")] = "Q"
        row[header.index("count")] = str(n)
        rows.append(row)
    outcome = reject(settings, "many.csv", csv_bytes(rows))
    codes = [p for p in outcome.problems if p.rule == "unknown_code"]
    assert [p.row for p in codes] == list(range(2, 27))  # the first 25 listed
    more = [p for p in outcome.problems if p.rule == "more_problems"]
    assert [(m.value, "35 more" in m.message_en) for m in more if m.value == "unknown_code"] \
        == [("unknown_code", True)]


def test_every_problem_at_once(settings):
    rows = victims(set_cell(2, "sex", "Q"))
    set_cell(3, "count", "-1")(rows)
    set_cell(4, "period", "2030-01")(rows)
    outcome = reject(settings, "several.csv", csv_bytes(rows))
    assert [(p.rule, p.row) for p in outcome.problems] == [
        ("unknown_code", 2), ("bad_count", 3), ("period_in_future", 4)]


def test_partner_file_name_cannot_escape_the_quarantine(settings):
    name = "..\u0007evil\u202e name.csv"
    outcome = reject(settings, name, b"")
    assert outcome.stored_path.parent == settings.quarantine_dir
    assert outcome.stored_path.name.endswith("_evil_name.csv")
    assert Path(settings.quarantine_dir).resolve() in outcome.stored_path.resolve().parents


def test_workbook_lying_about_its_expanded_size_is_rejected_before_opening(settings,
                                                                            monkeypatch):
    import struct

    import fastexcel

    monkeypatch.setattr(fastexcel, "read_excel", lambda *a, **k: pytest.fail("opened"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 1_000_000)
    data = bytearray(buffer.getvalue())
    # Declare 100 bytes instead of 1,000,000 in the local and central headers of the sheet.
    name = b"xl/worksheets/sheet1.xml"
    local = data.index(name) - 30  # local file header: name at offset 30
    central = data.rindex(name) - 46  # central directory entry: name at offset 46
    assert data[local:local + 4] == b"PK\x03\x04" and data[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    outcome = reject(settings, "liar.xlsx", bytes(data))
    # the streaming read notices the size/CRC mismatch: a damaged archive, never opened
    assert [(p.rule, "BadZipFile" in p.message_en) for p in outcome.problems] \
        == [("not_a_workbook", True)]
