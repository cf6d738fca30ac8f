"""The analysts' log of uploads through the dashboard can be downloaded as CSV and XLSX like
every other table of the data-quality page (a user request: analysts take it into a
spreadsheet to chase partners): the file holds the rows the page shows, and its notes say
where the log comes from and that it is internal."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from dash import html

from bench.fixtures.callbacks import content_body, download_body, post
from bench.fixtures.users import signed_in_client
from indicators.submissions import AuditTrail, Submission
from tests.dashboards.layout_tree import text, walk

REPORT = "quarantine/20260715T200438_cf6e_223c_APF_victims.csv.report.txt"
PROBLEMS = [{"rule": "unknown_column", "row": 1, "column": "nome"},
            {"rule": "duplicate_row", "row": 3, "column": None}]
RECORDS = (  # oldest first, as the trail is written
    Submission(id="a", received_at="2026-01-10T09:30:00+00:00", user="ana.p", partner="DGS",
               file_name="apoio janeiro.xlsx", result="accepted",
               return_types=("support", "activities"), periods=("2025-11", "2025-12"),
               n_rows=1234, versions={f"{rt}/{p}": 1 for rt in ("support", "activities")
                                      for p in ("2025-11", "2025-12")},
               stored="inbox/a.xlsx"),
    Submission(id="b", received_at="2026-07-15T20:04:38+00:00", user="pia", partner="APF",
               file_name="=vitimas.csv", result="rejected", report=REPORT, problems=2),
    Submission(id="c", received_at="2026-07-15T23:10:00+00:00", user="pia", partner="APF",
               file_name="victims2.csv", result="accepted", return_types=("victims",),
               periods=("2026-06",), n_rows=12, reason="Lisboa corrected",
               versions={"victims/2026-06": 2}, stored="inbox/c.csv"),
)
# Worked out by hand from RECORDS: newest first; Lisbon time (UTC in January, UTC+1 in July:
# 23:10 UTC on 15 July is 00:10 on the 16th); the rejected file's first problem in words;
# the result as the partner's Submit page words it (the version, what it replaces — v1 came
# another way, so without a date — and where it stands).
HEADER = {
    "en": ["Received at (Lisbon time)", "User", "Partner", "File", "Return type", "Period",
           "Result", "Rows", "Reason"],
    "pt": ["Recebido em (hora de Lisboa)", "Utilizador", "Parceiro", "Ficheiro",
           "Tipo de reporte", "Período", "Resultado", "Linhas", "Motivo"],
}
EXPECTED = {
    "en": [["16 Jul 2026 00:10", "pia", "APF", "victims2.csv", "victims", "2026-06",
            "v2; replaces v1; received → waiting to be loaded", "12", "Lisboa corrected"],
           ["15 Jul 2026 21:04", "pia", "APF", "=vitimas.csv", "", "", "rejected", "0",
            "2 problems; first: unknown column, row 1"],
           ["10 Jan 2026 09:30", "ana.p", "DGS", "apoio janeiro.xlsx", "support, activities",
            "2025-11, 2025-12", "v1; received → waiting to be loaded", "1234", ""]],
    "pt": [["16/07/2026 00:10", "pia", "APF", "victims2.csv", "vítimas", "2026-06",
            "v2; substitui a v1; recebido → à espera de carregamento", "12", "Lisboa corrected"],
           ["15/07/2026 21:04", "pia", "APF", "=vitimas.csv", "", "", "rejeitado", "0",
            "2 problemas; primeiro: coluna desconhecida, linha 1"],
           ["10/01/2026 09:30", "ana.p", "DGS", "apoio janeiro.xlsx", "apoio, atividades",
            "2025-11, 2025-12",
            "v1; recebido → à espera de carregamento", "1234", ""]],
}
TITLE = {"en": "Uploads through the dashboard", "pt": "Registo de envios pelo painel"}
NOTES = {"en": ("Title", "Source", "Uploads from", "Language", "Note", "Licence"),
         "pt": ("Título", "Fonte", "Envios de", "Língua", "Nota", "Licença")}
PERIOD = {"en": "10 Jan 2026 – 16 Jul 2026", "pt": "10/01/2026 – 16/07/2026"}
SOURCE = {"en": "OTSH, log of the uploads made through the dashboard (Submit page), read on ",
          "pt": "OTSH, registo dos envios feitos pelo painel (página Enviar), lido em "}


def write_log(data_dir: Path) -> None:
    (data_dir / "quarantine").mkdir(parents=True, exist_ok=True)
    (data_dir / REPORT.replace(".txt", ".json")).write_text(
        json.dumps({"problems": PROBLEMS}), encoding="utf-8")
    trail = AuditTrail(data_dir)
    for record in RECORDS:
        trail.append(record)


@pytest.fixture
def analyst(settings, store):
    from dashboards.app import create_app

    write_log(settings.data_dir)
    return signed_in_client(create_app(settings, store), settings.data_dir, "analyst")


def _find(node: Any, wanted: Any) -> Any:
    """The component of the callback's JSON answer whose id is ``wanted``."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == wanted:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def _walk(node: Any) -> list[dict]:
    """Every component of a callback's JSON answer under ``node`` (itself included)."""
    if isinstance(node, list):
        return [found for child in node for found in _walk(child)]
    if not isinstance(node, dict) or "props" not in node:
        return []
    return [node, *_walk(node["props"].get("children"))]


def _text(node: Any) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return "".join(_text(c) for c in node)
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children") or "")
    return ""


def _page_rows(client, lang: str) -> tuple[list[list[str]], Any]:
    answer = post(client, content_body("/quality", f"?lang={lang}"))
    assert answer.status_code == 200
    content = answer.get_json()["response"]["page-content"]["children"]
    table = _find(content, "upload-audit")
    assert table is not None
    body = next(part for part in table["props"]["children"] if part["type"] == "Tbody")
    rows = [[_text(cell) for cell in tr["props"]["children"]]
            for tr in body["props"]["children"]]
    return rows, content


def _download(client, lang: str, fmt: str) -> dict:
    answer = post(client, download_body("/quality", "upload_audit", fmt, f"?lang={lang}"))
    assert answer.status_code == 200, answer.status_code
    return answer.get_json()["response"]["download"]["data"]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_page_offers_the_upload_log_downloads(analyst, lang):
    rows, content = _page_rows(analyst, lang)
    assert rows == EXPECTED[lang]  # the page itself, as worked out from the records
    for fmt in ("csv", "xlsx"):
        assert _find(content, {"fmt": fmt, "table": "upload_audit", "type": "dl"}) is not None
    wrap = next(node for node in _walk(content) if _find(node, "upload-audit") is not None
                and node.get("props", {}).get("className") == "table-wrap")
    (source,) = [_text(node) for node in _walk(wrap)
                 if node.get("props", {}).get("className") == "source-line"]
    assert source.startswith(f"{NOTES[lang][1]}: {SOURCE[lang]}")  # under the log, as under
    #                                                                 every table of the page


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_csv_holds_the_rows_the_page_shows_and_its_notes(analyst, lang):
    data = _download(analyst, lang, "csv")
    assert data["filename"].startswith(f"otsh_upload_audit_{lang}_")
    assert data["filename"].endswith(".csv") and data["type"] == "text/csv"
    lines = list(csv.reader(io.StringIO(data["content"].lstrip("\ufeff"))))
    cut = lines.index([])
    table, notes = lines[:cut], lines[cut + 1:]
    assert table[0] == HEADER[lang]
    # a file name a spreadsheet would run as a formula is written as text (apostrophe)
    expected = [[("'" + c if c.startswith("=") else c) for c in row] for row in EXPECTED[lang]]
    assert table[1:] == expected
    said = {label: text for label, text in notes}
    assert set(NOTES[lang]) <= set(said)
    assert said[NOTES[lang][0]] == TITLE[lang]
    assert said[NOTES[lang][2]] == PERIOD[lang]
    assert said[NOTES[lang][1]].startswith(SOURCE[lang])


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_xlsx_holds_the_rows_the_page_shows_and_its_notes(analyst, lang, tmp_path):
    data = _download(analyst, lang, "xlsx")
    assert data["filename"].startswith(f"otsh_upload_audit_{lang}_")
    assert data["filename"].endswith(".xlsx") and data["base64"]
    path = tmp_path / "log.xlsx"
    path.write_bytes(base64.b64decode(data["content"]))
    book = openpyxl.load_workbook(path)
    sheet, notes = book.worksheets
    values = [["" if v is None else str(v) for v in row]
              for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == TITLE[lang]
    assert values[2] == HEADER[lang]
    assert values[3:] == EXPECTED[lang]
    assert sheet["D5"].data_type == "s"  # "=vitimas.csv" is text, never a formula
    assert sheet["H6"].value == 1234  # rows are a number the spreadsheet can add up
    said = {row[0]: row[1] for row in notes.iter_rows(values_only=True)}
    assert set(NOTES[lang]) <= set(said) and said[NOTES[lang][2]] == PERIOD[lang]


def test_a_long_log_gives_its_newest_lines_as_the_page_does_and_says_so(settings):
    from dashboards import upload_audit

    trail = AuditTrail(settings.data_dir)
    for i in range(upload_audit.LIMIT + 5):  # all at 09:00 on 1 January 2026 (UTC = Lisbon)
        trail.append(Submission(id=str(i), received_at="2026-01-01T09:00:00+00:00",
                                user="pia", partner="APF", file_name=f"f{i:03d}.csv",
                                result="accepted", n_rows=i))
    table, notes, stem = upload_audit.download(settings, "en")
    files = [row[3] for row in table.rows]
    assert files == [f"f{i:03d}.csv" for i in range(upload_audit.LIMIT + 4, 4, -1)]
    assert ("Note", "Only the 200 newest uploads.") in notes
    assert ("Uploads from", "1 Jan 2026") in notes
    shown = html.Div(upload_audit.section(settings, "en"))
    assert [text(td) for td in walk(shown) if isinstance(td, html.Tr)][1].startswith(
        "1 Jan 2026 09:00piaAPFf204.csv")
    assert "Only the 200 newest uploads." in text(shown)
