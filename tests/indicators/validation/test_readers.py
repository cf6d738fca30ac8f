"""A file named .csv that is not CSV text (indicators/validation/readers.py): one file-level
problem, ``not_a_csv``, saying what it looks like and what to do, in Portuguese and English;
never its bytes read as a header ('column "%PDF-1.4" … Remove it')."""

from __future__ import annotations

import io
import zipfile

import pytest

from indicators.validation import validate_file, validate_files
from indicators.validation.readers import binary_kind
from tests.indicators.validation.helpers import (
    TODAY,
    VICTIMS,
    csv_bytes,
    fixture_rows,
    write,
    xlsx_bytes,
)

PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (partner,period) Tj ET\n"
       b"endstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def zip_with(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def only_problem(tmp_path, data: bytes, name: str = "return.csv"):
    found = validate_file(write(tmp_path, name, data), today=TODAY).problems
    assert [(p.rule, p.row, p.column) for p in found] == [("not_a_csv", None, None)], \
        [p.message_en for p in found]
    problem = found[0]
    assert problem.message_pt.startswith(f"{name}: este ficheiro não é um ficheiro CSV de "
                                         "texto (")
    assert problem.message_en.startswith(f"{name}: this is not a CSV text file (")
    for message in (problem.message_pt, problem.message_en):
        assert "%PDF" not in message and "PK" not in message
    return problem


def test_a_pdf_renamed_csv_is_not_a_csv_text_file(tmp_path):
    problem = only_problem(tmp_path, PDF)
    assert problem.value == "pdf"
    assert "não é um ficheiro CSV de texto (parece um PDF)" in problem.message_pt
    assert "this is not a CSV text file (it looks like a PDF)" in problem.message_en
    assert "CSV UTF-8" in problem.message_pt and "CSV UTF-8" in problem.message_en


def test_a_workbook_renamed_csv_says_to_rename_it_xlsx(tmp_path):
    problem = only_problem(tmp_path, xlsx_bytes(tmp_path, {"victims": fixture_rows(VICTIMS)}))
    assert problem.value == "xlsx"
    assert "parece um livro Excel (.xlsx) com o nome mudado para .csv" in problem.message_pt
    assert "Mude o nome do ficheiro para terminar em .xlsx" in problem.message_pt
    assert "it looks like an Excel workbook (.xlsx) renamed to .csv" in problem.message_en
    assert "Rename the file to end in .xlsx" in problem.message_en


@pytest.mark.parametrize(("data", "kind", "words_pt", "words_en"), [
    (zip_with(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")), "ods",
     "LibreOffice (.ods)", "LibreOffice spreadsheet (.ods)"),
    (zip_with(("notes.txt", b"hello")), "zip", "é um arquivo zip", "it is a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "xls", "Excel antigo (.xls)",
     "old Excel file (.xls)"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image", "parece uma imagem", "looks like an image"),
    (b"partner,period\nAPF,2024-03\x00\x00\x01\x02", "binary", "byte NUL na posição 26",
     "NUL byte at position 26"),
])
def test_other_binary_files_say_what_they_look_like(tmp_path, data, kind, words_pt, words_en):
    problem = only_problem(tmp_path, data)
    assert problem.value == kind
    assert words_pt in problem.message_pt and words_en in problem.message_en


def test_the_stacked_pass_leaves_a_binary_file_to_the_same_message(tmp_path):
    good = write(tmp_path, VICTIMS, csv_bytes(fixture_rows(VICTIMS)))
    pdf = write(tmp_path, "scan.csv", PDF)
    valid, rejected = validate_files([good, pdf], today=TODAY)
    assert valid.ok
    assert [p.rule for p in rejected.problems] == ["not_a_csv"]


@pytest.mark.parametrize("data", [
    "partner,period\r\nAPF,2024-03\r\n".encode("utf-16"),
    "partner,period\r\nAPF,2024-03\r\n".encode("utf-16-be"),
    "partner;período\r\nAPF;2024-03\r\n".encode("cp1252"),
    b"partner,period\nAPF,%PDF\n",
])
def test_text_is_not_taken_for_binary(data):
    assert binary_kind(data) is None
