"""The EEA Grants results table of a release (donor layout), shared by the results page
and the donor report: baseline, target, achieved in the period and to date (each with
women and men), % of target, status. A value cell holds a number, or the flag letter in its
place: ``c`` confidential, ``:`` not available, ``z`` not applicable (women and men of an
indicator that does not count people, e.g. sessions or guidelines)."""

from __future__ import annotations

from typing import Any

import polars as pl

from indicators import release_reader as data
from indicators.eea_results import is_year
from indicators.i18n import MONTHS_EN, MONTHS_PT, norm_lang, round_half_up, status_words, t
from indicators.release_reader import Release
from indicators.reports.exports import Table

STATUS_ICON = {"achieved": "✔", "achieved_late": "✔", "on_track": "●", "at_risk": "▲",
               "not_achieved": "✖", None: "○"}
CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE = "c", ":", "z"
FLAG_CELLS = (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE)  # letters standing in for a value


def default_period(periods: list[str]) -> str | None:
    """The latest calendar year (donors report by year); else the latest period."""
    years = [p for p in periods if is_year(p)]
    return years[-1] if years else (periods[-1] if periods else None)


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    """``rperiod``: the asked period when the release has it; otherwise the default period,
    with ``asked`` set so that the page says it shows another period (never silently)."""
    periods = data.reporting_periods(rel)
    asked = params.get("rperiod")
    if asked in periods:
        return {"rperiod": asked, "asked": None}
    return {"rperiod": default_period(periods), "asked": asked or None}


def period_label(code: str | None, lang: str) -> str:
    """``Year 2024`` / ``Interim period 2 of 2024 (May–Aug)``; unknown codes as given."""
    if not code:
        return ""
    if is_year(code):
        return t("res.period.year", lang, year=code)
    year, _, number = code.partition("-P")
    if not (year.isdigit() and number.isdigit()):
        return code
    from indicators.registry import load_registry

    spans = load_registry().interim_periods
    n = int(number)
    if not 1 <= n <= len(spans):
        return code
    months = MONTHS_EN if norm_lang(lang) == "en" else MONTHS_PT
    first, last = spans[n - 1]
    return t("res.period.interim", lang, n=n, year=year, first=months[first - 1],
             last=months[last - 1])


def status_text(status: str | None, lang: str, icon: bool = True) -> str:
    key = f"res.status.{status}" if status else "res.status.none"
    return f"{STATUS_ICON.get(status, '○')} {t(key, lang)}" if icon else t(key, lang)


def columns(lang: str) -> tuple[str, ...]:
    return (t("col.indicator", lang), t("col.level", lang), t("col.baseline", lang),
            t("col.baseline_year", lang), t("col.target", lang), t("col.target_year", lang),
            t("res.col.period_total", lang), t("res.col.period_women", lang),
            t("res.col.period_men", lang), t("res.col.to_date_total", lang),
            t("res.col.to_date_women", lang), t("res.col.to_date_men", lang),
            t("col.pct_target", lang), t("col.status", lang), t("res.col.value_status", lang),
            t("col.code", lang))


def cell(row: dict | None, value_col: str, flag_col: str) -> Any:
    """A published value, or the flag letter that stands in its place."""
    if row is None:
        return NOT_AVAILABLE
    value = row.get(value_col)
    if value is not None:
        return value
    flags = row.get(flag_col) or ""
    return CONFIDENTIAL if CONFIDENTIAL in flags else NOT_AVAILABLE


def _period_frame(rel: Release, rperiod: str | None) -> pl.DataFrame:
    frame = data.eea_results(rel)
    frame = frame.filter(frame["reporting_period"] == rperiod)
    for col, dtype in (("achieved_period", pl.Float64), ("period_flags", pl.String)):
        if col not in frame.columns:  # releases published before the period columns
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col))
    return frame


def eea_indicators(rel: Release) -> list[dict[str, Any]]:
    """The release's EEA Grants indicators (metadata rows) in the one order of the results
    table and the report's annex, the same in every language: the outcome first, then the
    registry's order (``indicators.toml``: the results framework's); an indicator the
    registry no longer has after them, by code."""
    from indicators.registry import load_registry

    registry = load_registry()
    meta = data.indicators(rel)
    return sorted(meta.filter(meta["family"] == "eea_results").iter_rows(named=True),
                  key=lambda m: (m["level"] != "outcome", registry.order_key(m["code"])))


def table_for(rel: Release, rperiod: str | None, lang: str) -> Table:
    """Donor layout: one row per indicator (:func:`eea_indicators`' order), women and men
    beside each total."""
    frame = _period_frame(rel, rperiod)
    name_col = "name_en" if lang == "en" else "name_pt"
    rows = []
    for m in eea_indicators(rel):
        part = frame.filter(frame["indicator"] == m["code"])
        by = {(r["breakdown"], r["breakdown_code"]): r for r in part.iter_rows(named=True)}
        total = by.get(("_T", "_T"))
        if total is None:
            continue
        counts_people = m["unit"] == "persons"
        female, male = by.get(("sex", "F")), by.get(("sex", "M"))

        def sex(row: dict | None, value_col: str, flag_col: str,
                people: bool = counts_people) -> Any:
            return cell(row, value_col, flag_col) if people else NOT_APPLICABLE

        level = t(f"res.level.{m['level']}", lang) if m["level"] in ("outcome", "output") \
            else (m["level"] or "")
        rows.append((
            m[name_col], level,
            total["baseline"] if total["baseline"] is not None else m["baseline_value"],
            m["baseline_year"],
            total["target"] if total["target"] is not None else m["target_value"],
            m["target_year"],
            cell(total, "achieved_period", "period_flags"),
            sex(female, "achieved_period", "period_flags"),
            sex(male, "achieved_period", "period_flags"),
            cell(total, "achieved", "flags"),
            sex(female, "achieved", "flags"), sex(male, "achieved", "flags"),
            None if total["pct_of_target"] is None
            else round_half_up(total["pct_of_target"], 1),
            status_text(total["status"], lang, icon=False),
            status_words(total["flags"], total["achieved"], lang), m["code"]))
    return Table(name="eea_results",
                 title=t("res.title", lang, period=period_label(rperiod, lang)),
                 columns=columns(lang), rows=tuple(rows), period=rperiod or "",
                 # % of target with one decimal in every file, as on screen (290.0)
                 value_column=t("col.pct_target", lang), value_decimals=(1,) * len(rows))
