"""The donor report's narrative gives % of target with the decimal every other output uses
(it said "96 %" beside "95.8 %" in the results table of the same PDF)."""

from __future__ import annotations

import pytest

from indicators.i18n import t
from indicators.reports.content import narrative
from indicators.reports.exports import Table

COLUMNS = ("col.indicator", "res.col.period_total", "res.col.to_date_total", "col.target",
           "col.pct_target", "col.status", "res.col.period_women", "res.col.period_men")


@pytest.mark.parametrize(("lang", "shown"), [("en", "95.8\u00a0%"), ("pt", "95,8\u00a0%")])
def test_the_narrative_gives_percent_of_target_with_one_decimal(lang, shown):
    row = ("Migrants assisted", 12, 115, 120, 115 / 120 * 100,
           t("res.status.on_track", lang), None, None)
    table = Table(name="r", title="r", columns=tuple(t(c, lang) for c in COLUMNS),
                  rows=(row,))
    line = narrative(table, "2025", lang)[1]
    assert f"({shown} " in line


@pytest.mark.parametrize(("lang", "said"), [("en", "— not achieved."),
                                            ("pt", "— não alcançado.")])
def test_the_status_mid_sentence_is_lower_case_in_both_languages(lang, said):
    """A user review: the PDF's summary wrote "— Alcançado" in Portuguese and "— achieved"
    in English; after the dash the status is part of the sentence in both."""
    row = ("Migrants assisted", 12, 100, 120, 100 / 120 * 100,
           t("res.status.not_achieved", lang), None, None)
    table = Table(name="r", title="r", columns=tuple(t(c, lang) for c in COLUMNS),
                  rows=(row,))
    assert narrative(table, "2025", lang)[1].endswith(said)
