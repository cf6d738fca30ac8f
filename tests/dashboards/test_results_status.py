"""The results page says what its status words and "% of target" mean, beside the table (a
user review: the page defined neither, and "Achieved" next to a provisional value read as
final), and a target reached only after its year says so in every format."""

from __future__ import annotations

import pytest
from dash import html

from dashboards.pages import results
from indicators.i18n import t
from indicators.release_reader import ReleaseStore
from indicators.reports.content import narrative
from indicators.reports.exports import Table
from tests.dashboards.layout_tree import text, walk


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_page_defines_the_status_and_the_percentage(store: ReleaseStore, lang):
    rel = store.current()
    shown = results.view(rel, results.normalise(rel, {}), lang)
    (note,) = [n for n in walk(html.Div(shown.children)) if getattr(n, "id", None)
               == "status-note"]
    said = text(note)
    for status in ("achieved", "achieved_late", "not_achieved", "on_track", "at_risk"):
        assert t(f"res.status.{status}", lang).lower() in said.lower(), status
    assert "100 ×" in said and t("res.col.value_status", lang) in said  # where "provisional"
    assert t("res.status.none", lang).lower() in said.lower()              # is said


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_summary_counts_targets_reached_after_their_year_apart(lang):
    cols = (t("col.indicator", lang), t("col.status", lang), t("col.pct_target", lang),
            t("res.col.period_total", lang), t("res.col.to_date_total", lang),
            t("col.target", lang), t("res.col.period_women", lang),
            t("res.col.period_men", lang))
    rows = tuple((name, t(f"res.status.{status}", lang), 100.0, 5.0, 90.0, 80.0, None, None)
                 for name, status in (("a", "achieved"), ("b", "achieved_late"),
                                      ("c", "achieved_late"), ("d", "not_achieved")))
    first, *lines = narrative(Table(name="t", title="t", columns=cols, rows=rows), "2025",
                              lang)
    assert t("rep.n.counts", lang, period="2025", total=4, achieved=1, achieved_late=2,
             on_track=0, at_risk=0, not_achieved=1, unassessed=0) == first
    assert t("res.status.achieved_late", lang).lower() in lines[1]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_every_donor_format_carries_the_definitions(store: ReleaseStore, lang):
    """A user review: the donor CSV and XLSX left out the note the page shows."""
    from indicators.reports import donor
    from indicators.reports.content import build

    content = build(store.current(), None, lang)
    csv_text = donor.report_csv(content)
    said = " ".join(t("res.status_note", lang).split())
    assert said in csv_text
    assert said in [" ".join(v.split()) for _label, v in donor.metadata_rows(content)]  # XLSX
