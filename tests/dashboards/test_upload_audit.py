"""The analysts' log of uploads through the dashboard says why a file was rejected (a user
review: the reason column was empty for rejected uploads, so the analyst could not explain
the refusal to the partner without opening the quarantine) and gives times in Lisbon time,
dated as the rest of the page dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dash import html

from dashboards import upload_audit
from indicators.i18n import rule_label, t
from indicators.submissions import AuditTrail, Submission
from tests.dashboards.layout_tree import text, walk

REPORT = "quarantine/20260715T200438_cf6e_223c_APF_victims.csv.report.txt"


def _rows(data_dir: Path, lang: str) -> list[list[str]]:
    shown = html.Div(upload_audit.section(data_dir, lang))
    return [[text(td) for td in tr.children] for tr in walk(shown)
            if isinstance(tr, html.Tr) and all(isinstance(c, html.Td) for c in tr.children)]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_rejected_upload_says_its_first_problem_and_the_time_is_lisbons(tmp_path, lang):
    (tmp_path / "quarantine").mkdir()
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
    accepted, rejected = _rows(tmp_path, lang)
    assert accepted[-1] == "Lisboa corrected"
    said = rejected[-1]
    assert said.startswith("2 ")  # two problems
    assert rule_label("unknown_column", lang) in said  # the first one, in words
    assert t("rej.row", lang, row=1) in said  # and where it is
    # 20:04 UTC in July is 21:04 in Lisbon (summer time), dated as the page dates
    assert rejected[0] == ("15/07/2026 21:04" if lang == "pt" else "15 Jul 2026 21:04")
    header = text(html.Div(upload_audit.section(tmp_path, lang)))
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
