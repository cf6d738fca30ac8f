"""Methodology pieces without layout, shared by the methodology page and the donor
report's annex: the flag letters, the indicator table and the disclosure rule in words."""

from __future__ import annotations

from indicators import release_reader as data
from indicators.flags import LETTERS
from indicators.i18n import breakdown_label, t
from indicators.release_reader import Release
from indicators.reports.exports import Table

FLAG_LETTERS = LETTERS  # one order for every legend (indicators.flags)


def indicators_table(rel: Release, lang: str) -> Table:
    frame = data.indicators(rel)
    suffix = "en" if lang == "en" else "pt"
    cols = (t("col.code", lang), t("col.indicator", lang), t("col.definition", lang),
            t("col.unit", lang), t("col.breakdowns", lang), t("col.grains", lang),
            t("col.audience", lang))
    rows = []
    for r in frame.iter_rows(named=True):
        unit_key = f"unit.{r['unit']}"
        try:
            unit = t(unit_key, lang)
        except KeyError:
            unit = r["unit"]
        rows.append((r["code"], r[f"name_{suffix}"], r[f"definition_{suffix}"], unit,
                     ", ".join(breakdown_label(b, lang) for b in (r["breakdowns"] or [])),
                     ", ".join(t(f"grain.{g}", lang) for g in (r["grains"] or [])),
                     t(f"audience.{r['audience']}", lang)))
    return Table(name="indicators", title=t("me.indicators", lang), columns=cols,
                 rows=tuple(rows))


def disclosure_text(rel: Release, lang: str) -> str:
    k = rel.info.disclosure_threshold
    zeros = t("me.zeros_yes" if rel.info.zeros_publishable else "me.zeros_no", lang)
    return t("me.disclosure_rule", lang, k=k, k_minus=k - 1, zeros=zeros)
