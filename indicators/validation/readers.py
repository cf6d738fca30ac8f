"""Read a partner file into raw string cells, keeping the row numbers a spreadsheet shows.

Nothing here judges the content beyond "can it be read at all": the rules module does the
rest. CSV: UTF-8 (with or without BOM), else Windows-1252; comma, semicolon or tab
delimited (sniffed from the header line); quoted fields. XLSX: checked as a real,
reasonably sized zip workbook before it is opened, then read with fastexcel (calamine).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl

from indicators.contract import normalise_header
from indicators.i18n import t
from indicators.validation.problems import Problem, make_problem

ROW = "__row"  # name of the row-number column in RawSheet.cells
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx",)
# Sheets that hold instructions or drop-down lists, never data (compared normalised).
IGNORED_SHEETS = frozenset({
    "instrucoes", "instructions", "instrucoes_instructions", "leia_me", "readme", "notas",
    "notes", "listas", "lists", "codigos", "codes",
})


@dataclass
class RawSheet:
    """One table as read: headers as written, and cells as stripped strings ('' = empty).

    ``cells`` has columns ``c0 … c{n-1}`` (n ≥ number of headers; extra columns hold values
    beyond the header) and ``__row``, the spreadsheet row number. Blank rows are dropped.
    """

    name: str | None
    headers: list[str]
    header_row: int
    cells: pl.DataFrame


@dataclass
class ReadResult:
    sheets: list[RawSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (sheet, cell reference)


def is_ignored_sheet(name: str) -> bool:
    norm = normalise_header(name)
    return norm.startswith("_") or norm in IGNORED_SHEETS


def cell_columns(frame: pl.DataFrame) -> list[str]:
    """The cell columns ``c0 … c{n-1}`` of a sheet's frame (not ``__row`` nor other
    bookkeeping columns, whose names start with two underscores)."""
    return [c for c in frame.columns if not c.startswith("__")]


@dataclass
class RawRecords:
    """A table as parsed, before it becomes a frame: the header line and the non-blank
    records after it, each with the row number a spreadsheet shows."""

    headers: list[str]
    header_row: int
    body: list[tuple[int, list[str]]]


def table_records(records: list[list[str]], row_numbers: list[int]) -> RawRecords | None:
    """Header = first record with any value; later blank records dropped."""
    start = next((i for i, rec in enumerate(records) if "".join(rec).strip()), None)
    if start is None:
        return None
    headers = [h.strip().lstrip("\ufeff").strip() for h in records[start]]
    body = [(n, rec) for n, rec in zip(row_numbers[start + 1:], records[start + 1:], strict=True)
            if "".join(rec).strip()]  # a record with any value (whitespace-only is blank)
    return RawRecords(headers=headers, header_row=row_numbers[start], body=body)


def cells_frame(body: list[list[str]], row_numbers: list[int], width: int) -> pl.DataFrame:
    """Records as the string columns ``c0 … c{width-1}`` (short records padded with ''),
    stripped, plus ``__row``."""
    padded = [rec if len(rec) == width else [*rec, *[""] * (width - len(rec))] for rec in body]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    frame = pl.DataFrame({f"c{i}": list(values) for i, values in enumerate(columns)},
                         schema={f"c{i}": pl.String for i in range(width)})
    return frame.with_columns(pl.all().str.strip_chars(),
                              pl.Series(ROW, row_numbers, dtype=pl.Int64))


def _rows_to_sheet(name: str | None, records: list[list[str]], row_numbers: list[int],
                   ) -> RawSheet | None:
    parts = table_records(records, row_numbers)
    if parts is None:
        return None
    width = max([len(parts.headers), *(len(rec) for _, rec in parts.body)])
    frame = cells_frame([rec for _, rec in parts.body], [n for n, _ in parts.body], width)
    return RawSheet(name=name, headers=parts.headers, header_row=parts.header_row,
                    cells=frame)


# --------------------------------------------------------------------------- CSV

# The first bytes of files that are not text, by what they most likely are (the words for
# each are ``val.binary.<kind>`` in the translation table). A zip is told apart further
# by its members' names (:func:`binary_kind`).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),  # OLE2: Excel 97-2003, old Word
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"),
    (b"\x1f\x8b", "archive"), (b"Rar!", "archive"), (b"7z\xbc\xaf\x27\x1c", "archive"),
)
_ZIP_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"xl/workbook", "xlsx"),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "ods"),
    (b"word/document", "docx"),
)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or a NUL in every other byte of the first ones."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:256]
    half = len(sample) // 2
    nuls = sorted((sample[0::2].count(0), sample[1::2].count(0)))
    return half > 0 and nuls[1] >= 0.8 * half and nuls[0] <= 0.1 * half


def binary_kind(data: bytes) -> str | None:
    """What a file that is not CSV text most likely is (``pdf``, ``xlsx``, ``ods``, ``docx``,
    ``zip``, ``xls``, ``rtf``, ``image``, ``archive``, or ``binary`` for NUL bytes in what
    is not UTF-16 text); None for text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            if kind == "zip":
                return next((k for member, k in _ZIP_KINDS if member in data), "zip")
            return kind
    return "binary" if b"\x00" in data and not _looks_utf16(data) else None


def not_csv_text(data: bytes, file: str) -> Problem | None:
    """One file-level problem (rule ``not_a_csv``) for a file named .csv that is not text:
    a PDF, a workbook or other binary file renamed; None for text."""
    kind = binary_kind(data)
    if kind is None:
        return None
    advice = "rename" if kind == "xlsx" else "export"
    offset = data.find(b"\x00")
    return make_problem("not_a_csv", file, value=kind,
                        kind_pt=t(f"val.binary.{kind}", "pt", offset=offset),
                        kind_en=t(f"val.binary.{kind}", "en", offset=offset),
                        advice_pt=t(f"val.binary.advice.{advice}", "pt"),
                        advice_en=t(f"val.binary.advice.{advice}", "en"))


def decode_text(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (BOM stripped), else Windows-1252; a problem naming the byte otherwise."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, make_problem(
            "undecodable", file, row=data.count(b"\n", 0, nul) + 1, value=None, offset=nul,
            detail="NUL byte: UTF-16 text or a binary file / byte NUL: texto UTF-16 ou "
                   "ficheiro binário")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as error:
        offset = error.start
        return None, make_problem(
            "undecodable", file, row=data.count(b"\n", 0, offset) + 1,
            value=f"0x{data[offset]:02X}", offset=offset,
            detail=f"byte 0x{data[offset]:02X}")


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of , ; TAB outside quotes in the header line (default comma)."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(data: bytes, file: str) -> tuple[RawRecords | None, list[Problem]]:
    """Decode, sniff the delimiter and split a CSV file into records (no frame yet); a file
    that is not text (a PDF or workbook renamed .csv) is one ``not_a_csv`` problem."""
    binary = not_csv_text(data, file)
    if binary:
        return None, [binary]
    text, problem = decode_text(data, file)
    if problem:
        return None, [problem]
    assert text is not None
    lines = text.splitlines()
    first_line = next((ln for ln in lines if ln.strip()), "")
    skip = 0
    hint = _SEP_HINT.match(first_line)
    if hint:  # Excel's "sep=;" first line: it names the delimiter and is not the header
        delimiter, skip = hint.group(1), lines.index(first_line) + 1
    else:
        delimiter = sniff_delimiter(first_line)
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        return None, [make_problem("bad_csv", file, detail=str(error))]
    if skip:
        # blank leading lines and the hint line itself keep their row numbers
        numbers = list(range(skip + 1, skip + 1 + len(records) - skip))
        records = records[skip:]
    else:
        numbers = list(range(1, len(records) + 1))
    return table_records(records, numbers), []


def read_csv(data: bytes, file: str) -> ReadResult:
    parts, problems = parse_csv(data, file)
    if problems or parts is None:
        return ReadResult(problems=problems)
    width = max([len(parts.headers), *(len(rec) for _, rec in parts.body)])
    frame = cells_frame([rec for _, rec in parts.body], [n for n, _ in parts.body], width)
    return ReadResult(sheets=[RawSheet(name=None, headers=parts.headers,
                                       header_row=parts.header_row, cells=frame)])


# --------------------------------------------------------------------------- XLSX

_SEP_HINT = re.compile(r"^\s*sep=(.)\s*$")
_FORMULA = re.compile(rb"<f[ >/]")
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"')
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip member name of each worksheet -> sheet name."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel.get("Target", "")
               for rel in ElementTree.fromstring(rels_xml)}
    members: dict[str, str] = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            target = targets.get(sheet.get(_NS_REL), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            members[member] = sheet.get("name", "")
    return members


def inspect_workbook(path: Path, file: str, max_uncompressed: int,
                     ) -> tuple[list[Problem], list[tuple[str, str]]]:
    """Check the zip structure and expanded size; list formula cells (sheet, reference).

    Every member is decompressed in a streaming loop that stops as soon as the running
    total passes ``max_uncompressed``, so a zip bomb with lying headers is caught too.
    """
    def bad(en: str, pt: str) -> list[Problem]:
        return [make_problem("not_a_workbook", file, detail=en, detail_pt=pt)]

    if not zipfile.is_zipfile(path):
        return bad("it is not a zip archive", "não é um arquivo zip"), []
    formulas: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return bad("[Content_Types].xml or xl/workbook.xml is missing",
                           "falta [Content_Types].xml ou xl/workbook.xml"), []
            declared = sum(info.file_size for info in archive.infolist())
            too_large = [make_problem("workbook_too_large", file, limit=max_uncompressed)]
            if declared > max_uncompressed:
                return too_large, []
            sheet_members = _sheet_members(archive)
            total = 0
            for info in archive.infolist():
                keep = info.filename in sheet_members
                chunks: list[bytes] = []
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > max_uncompressed:
                            return too_large, []
                        if keep:
                            chunks.append(chunk)
                if keep:
                    xml = b"".join(chunks)
                    for match in _FORMULA.finditer(xml):
                        start = xml.rfind(b"<c ", 0, match.start())
                        ref = _CELL_REF.match(xml, start) if start >= 0 else None
                        cell = ref.group(1).decode() if ref else "?"
                        formulas.append((sheet_members[info.filename], cell))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError,
            ElementTree.ParseError, EOFError, ValueError) as error:
        return bad(f"the archive is damaged ({type(error).__name__})",
                   f"o arquivo está danificado ({type(error).__name__})"), []
    return [], formulas


def read_xlsx(path: Path, file: str, max_uncompressed: int) -> ReadResult:
    result = ReadResult()
    problems, formulas = inspect_workbook(path, file, max_uncompressed)
    if problems:
        result.problems.extend(problems)
        return result
    result.formulas = formulas
    try:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            if is_ignored_sheet(name):
                result.ignored_sheets.append(name)
                continue
            frame = reader.load_sheet(name, header_row=None, dtypes="string",
                                      skip_rows=0).to_polars()
            records = [["" if v is None else v for v in row] for row in frame.rows()]
            sheet = _rows_to_sheet(name, records, list(range(1, len(records) + 1)))
            if sheet is not None:
                result.sheets.append(sheet)
    except Exception as error:  # calamine errors are varied; any of them means "not readable"
        result.sheets.clear()
        result.problems.append(make_problem(
            "not_a_workbook", file, detail=f"it cannot be read ({type(error).__name__})",
            detail_pt=f"não pode ser lido ({type(error).__name__})"))
    return result
