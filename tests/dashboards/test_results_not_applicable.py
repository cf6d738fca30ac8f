"""Women and men of an EEA indicator that does not count people (sessions, guidelines) are
'not applicable' (z) in the results page and in every report format — never a blank cell,
which a donor cannot tell from a missing or a suppressed value."""

from __future__ import annotations

import csv
import io

import openpyxl
from dash import html

from dashboards.components import table_of
from dashboards.pages import results
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.reports import donor as report
from indicators.reports.results_table import table_for

SEX_COLUMNS = ("res.col.period_women", "res.col.period_men", "res.col.to_date_women",
               "res.col.to_date_men")


def _row(tbl, code: str) -> dict:
    [row] = [r for r in tbl.rows if r[-1] == code]
    return dict(zip(tbl.columns, row, strict=True))


def test_sessions_have_z_for_women_and_men_while_people_keep_numbers(store: ReleaseStore):
    tbl = table_for(store.current(), "2023", "en")
    sessions = _row(tbl, "EEA_TRAINING_SESSIONS")
    assert [sessions[t(k, "en")] for k in SEX_COLUMNS] == ["z"] * 4
    assert isinstance(sessions[t("res.col.period_total", "en")], int | float)
    trained = _row(tbl, "EEA_PROFESSIONALS_TRAINED")  # fixture: 130 women, 80 men in 2023
    assert (trained["Period: women"], trained["Period: men"]) == (130, 80)


def test_results_page_explains_z(store: ReleaseStore):
    rel = store.current()
    for lang, word in (("pt", "não aplicável"), ("en", "not applicable")):
        out = results.display_table(table_for(rel, "2023", lang), lang)
        abbrs = [cell.children for row in table_of(out).children[2].children
                 for cell in row.children if isinstance(cell.children, html.Abbr)]
        zs = [a for a in abbrs if a.children == "z"]
        assert len(zs) == 4 * 2 and all(a.title == word for a in zs)  # sessions, guidelines
        note = " ".join(str(p) for p in results.view(rel, {"rperiod": "2023", "asked": None},
                                                     lang).children if p is not None)
        assert word in note


def test_csv_and_xlsx_downloads_carry_z(store: ReleaseStore):
    rel = store.current()
    _, body, _ = report.report_table_file(rel, "2023", "en", "csv")
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text.partition("\r\n\r\n")[2])))
    sessions = dict(zip(rows[0], next(r for r in rows if r[-1] == "EEA_TRAINING_SESSIONS"),
                        strict=True))
    assert [sessions[t(k, "en")] for k in SEX_COLUMNS] == ["z"] * 4
    assert "z = not applicable" in text
    _, book, _ = report.report_table_file(rel, "2023", "pt", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(book)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r and r[0] == t("col.indicator", "pt"))
    row = next(r for r in values if r and r[-1] == "EEA_TRAINING_SESSIONS")
    got = dict(zip(header, row, strict=True))
    assert [got[t(k, "pt")] for k in SEX_COLUMNS] == ["z"] * 4
