"""The analysts' log of uploads through the dashboard says why a file was rejected (a user
review: the reason column was empty for rejected uploads, so the analyst could not explain
the refusal to the partner without opening the quarantine) and gives times in Lisbon time,
dated as the rest of the page dates."""

from __future__ import annotations

import json

import pytest
from dash import html

from dashboards import upload_audit
from indicators.i18n import rule_label, t
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from indicators.submissions import AuditTrail, Submission
from tests.dashboards.layout_tree import text, walk

REPORT = "quarantine/20260715T200438_cf6e_223c_APF_victims.csv.report.txt"


def _rows(settings: Settings, lang: str, store: ReleaseStore | None = None
          ) -> list[list[str]]:
    shown = html.Div(upload_audit.section(settings, lang, store))
    return [[text(td) for td in tr.children] for tr in walk(shown)
            if isinstance(tr, html.Tr) and all(isinstance(c, html.Td) for c in tr.children)]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_rejected_upload_says_its_first_problem_and_the_time_is_lisbons(settings, lang):
    tmp_path = settings.data_dir
    (tmp_path / "quarantine").mkdir(exist_ok=True)
    problems = [{"rule": "unknown_column", "row": 1, "column": "nome"},
                {"rule": "duplicate_row", "row": 3, "column": None}]
    (tmp_path / REPORT.replace(".txt", ".json")).write_text(
        json.dumps({"problems": problems}), encoding="utf-8")
    trail = AuditTrail(tmp_path)
    trail.append(Submission(id="a", received_at="2026-07-15T20:04:38+00:00", user="pia",
                            partner="APF", file_name="victims.csv", result="rejected",
                            report=REPORT, problems=2))
    trail.append(Submission(id="b", received_at="2026-07-15T21:10:00+00:00", user="pia",
                            partner="APF", file_name="victims2.csv", result="accepted",
                            reason="Lisboa corrected"))
    accepted, rejected = _rows(settings, lang)
    assert accepted[-1] == "Lisboa corrected"
    said = rejected[-1]
    assert said.startswith("2 ")  # two problems
    assert rule_label("unknown_column", lang) in said  # the first one, in words
    assert t("rej.row", lang, row=1) in said  # and where it is
    # 20:04 UTC in July is 21:04 in Lisbon (summer time), dated as the page dates
    assert rejected[0] == ("15/07/2026 21:04" if lang == "pt" else "15 Jul 2026 21:04")
    header = text(html.Div(upload_audit.section(settings, lang)))
    assert t("submit.col.received_local", lang) in header


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_partner_history_says_why_too(settings, store, lang):
    """A user review: the partner's own history left the reason empty for rejected rows while
    the analysts' log said it."""
    from dashboards.pages import submit

    data_dir = settings.data_dir
    (data_dir / "quarantine").mkdir(exist_ok=True)
    (data_dir / REPORT.replace(".txt", ".json")).write_text(
        json.dumps({"problems": [{"rule": "unknown_column", "row": 1}]}), encoding="utf-8")
    AuditTrail(data_dir).append(Submission(
        id="a", received_at="2026-07-15T20:04:38+00:00", user="pia", partner="APF",
        file_name="victims.csv", result="rejected", report=REPORT, problems=1))
    shown = text(html.Div(submit.history_view(settings, store, "APF", lang)))
    assert rule_label("unknown_column", lang) in shown


KEY = "victims/2024-03"
V1 = Submission(id="v1", received_at="2026-07-15T09:00:00+00:00", user="pia", partner="APF",
                file_name="victims.csv", result="accepted", return_types=("victims",),
                periods=("2024-03",), n_rows=3, versions={KEY: 1}, sha256="a" * 64,
                stored="inbox/first.csv")
V2 = Submission(id="v2", received_at="2026-07-16T09:00:00+00:00", user="pia", partner="APF",
                file_name="victims_fixed.csv", result="accepted", return_types=("victims",),
                periods=("2024-03",), n_rows=3, versions={KEY: 2}, sha256="b" * 64,
                stored="inbox/second.csv", reason="Lisboa corrected")
RESULTS = {  # worked out by hand: (v2, v1) before the refresh, then after it
    "pt": (("v2; substitui a v1 de 15/07/2026; recebido → à espera de carregamento",
            "v1; substituída pela v2"),
           ("v2; substitui a v1 de 15/07/2026; recebido → carregado → na publicação "
            "20240710T060000000000Z-abc123", "v1; substituída pela v2")),
    "en": (("v2; replaces v1 of 15 Jul 2026; received → waiting to be loaded",
            "v1; replaced by v2"),
           ("v2; replaces v1 of 15 Jul 2026; received → loaded → in release "
            "20240710T060000000000Z-abc123", "v1; replaced by v2")),
}


def _partner_words(settings: Settings, store: ReleaseStore, lang: str) -> list[str]:
    """The partner's history (Submit page): its version and status cells, one line each."""
    from dashboards.pages import submit

    shown = html.Div(submit.history_view(settings, store, "APF", lang))
    rows = [[text(td) for td in tr.children] for tr in walk(shown)
            if isinstance(tr, html.Tr) and all(isinstance(c, html.Td) for c in tr.children)]
    return [f"{row[4]}; {row[5]}" for row in rows]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_log_says_what_replaced_what_and_where_it_stands_as_the_partner_sees_it(
        settings, release, lang):
    """A user review: the analysts' log said only "aceite" for a superseded v1 and the live
    v2, before and after the refresh, where the partner's Submit page said the chain. The
    page and its CSV / XLSX (one table) say the partner's words."""
    import duckdb

    trail = AuditTrail(settings.data_dir)
    (settings.data_dir / "inbox").mkdir(exist_ok=True)
    for sub in (V1, V2):
        trail.append(sub)
    (settings.data_dir / V2.stored).write_bytes(b"waiting")  # v1 went in an earlier refresh
    (settings.archive_dir / "aa").mkdir(parents=True)
    (settings.archive_dir / "aa" / f"{V1.sha256}_victims.csv").write_bytes(b"v1")
    for stage in (0, 1):
        if stage:  # the refresh: v2 leaves the inbox for the archive and is published
            (settings.data_dir / V2.stored).unlink()
            (settings.archive_dir / "bb").mkdir()
            (settings.archive_dir / "bb" / f"{V2.sha256}_victims.csv").write_bytes(b"v2")
            con = duckdb.connect(str(release))
            con.execute("UPDATE published.release_info SET source_returns = ?", [json.dumps(
                [{"partner": "APF", "return_type": "victims", "period": "2024-03",
                  "version": 2}])])
            con.close()
        store = ReleaseStore(settings.serving_dir)
        try:
            shown = [row[6] for row in _rows(settings, lang, store)]
            table = upload_audit.download(settings, lang, store)[0]
            assert tuple(shown) == RESULTS[lang][stage]
            assert tuple(row[6] for row in table.rows) == RESULTS[lang][stage]  # CSV, XLSX
            assert shown == _partner_words(settings, store, lang)  # the partner's words
        finally:
            store.close()
