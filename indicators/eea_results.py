"""EEA Grants results: achieved to date, % of target and status against a linear path.

Rule (also in ``registry/targets.toml`` and the methodology):

* achieved to date ``A`` = the indicator summed from the results start month (``start`` in
  targets.toml) to the end of the reporting month, nationally; whole calendar years inside
  the range are taken from the yearly value, the partial last year from its year-to-date
  value (or, where that is not published, from the monthly values); if any of those values
  is suppressed or not available, ``A`` is too (flag ``c`` / ``:``);
* % of target = 100 x A / target;
* expected to date ``E = baseline + (target - baseline) x f``, where ``f`` = months from the
  start month to the reporting month (both included) / months from the start month to
  December of the target year (both included), capped at 1;
* status = ``achieved`` if A >= target (``achieved_late`` when the period ends after the
  target year and the published value to date at its December was below the target);
  otherwise ``not_achieved`` once the reporting
  period ends in or after December of the target year; otherwise ``on_track`` if
  A >= E x (1 - tolerance); otherwise ``at_risk``. Targets are totals: percentage and status
  are given for the total only; breakdowns (by sex, ...) show the achieved value.

Donors report by calendar year and by interim-report period (``interim_periods`` in
targets.toml). :func:`period_results` gives, for one such :class:`ReportingPeriod`, the value
achieved *in the period* (its own months) beside the value achieved *to date* (from the start
month to the end of the period), each summed from published values only; where a part of the
period is hidden, its value is the difference of the two published values to date around it
(which any reader of the report can compute, so "c" there would hide nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from indicators.flags import combine_flags
from indicators.registry import Registry, Target

ACHIEVED, ON_TRACK, AT_RISK = "achieved", "on_track", "at_risk"
NOT_ACHIEVED = "not_achieved"
ACHIEVED_LATE = "achieved_late"  # reached, but after December of the target year
YEAR, INTERIM = "year", "interim"
EPSILON = 1e-9   # floating-point slack at the tolerance edge
STATUS_LABELS = {
    ACHIEVED: {"pt": "Alcançado", "en": "Achieved"},
    ON_TRACK: {"pt": "Em linha com a meta", "en": "On track"},
    AT_RISK: {"pt": "Em risco", "en": "At risk"},
    NOT_ACHIEVED: {"pt": "Não alcançado", "en": "Not achieved"},
    ACHIEVED_LATE: {"pt": "Alcançado depois do ano da meta",
                    "en": "Achieved after the target year"},
}


def is_year(code: str | None) -> bool:
    """True for a reporting period that is a calendar year (``2024``, not ``2024-P1``)."""
    return bool(code) and "-P" not in code and code.isdigit()


def months_between(first: date, last: date) -> int:
    """Months from ``first`` to ``last``, both included (0 when last < first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def path_fraction(start: date, as_of: date, target_year: int) -> float:
    total = months_between(start, date(target_year, 12, 1))
    if total == 0:
        return 1.0
    return min(1.0, months_between(start, as_of) / total)


def expected_to_date(target: Target, start: date, as_of: date) -> float:
    f = path_fraction(start, as_of, target.target_year)
    return target.baseline_value + (target.target_value - target.baseline_value) * f


def status(achieved: float | None, expected: float, target_value: float,
           tolerance: float, deadline_passed: bool = False,
           at_deadline: float | None = None) -> str | None:
    """Status of the value achieved to date; ``deadline_passed``: the reporting period ends
    in or after December of the target year (no time left to reach the target);
    ``at_deadline``: the published value to date at that December, for a period that ends
    after it (a target reached only later is "achieved after the target year"; ``None``
    when not known, e.g. confidential: then "achieved")."""
    if achieved is None:
        return None
    if achieved >= target_value:
        if at_deadline is not None and at_deadline < target_value:
            return ACHIEVED_LATE
        return ACHIEVED
    if deadline_passed:
        return NOT_ACHIEVED
    if achieved >= expected * (1.0 - tolerance) - EPSILON:
        return ON_TRACK
    return AT_RISK


def _components(start: date, as_of: date, year_to_date: bool = False
                ) -> list[tuple[str, str]]:
    """(grain, period_label) of the values that add up to the range start..as_of: whole
    years, then the months of a partial year — or, with ``year_to_date``, the year-to-date
    value of a partial year that starts in January (one published value instead of several
    monthly ones, any of which may be suppressed)."""
    return list(_component_keys(start, as_of, year_to_date))


@lru_cache(maxsize=4096)
def _component_keys(start: date, as_of: date, year_to_date: bool) -> tuple[tuple[str, str], ...]:
    """:func:`_components`, made once per range (~7,000 asks per refresh, ~60 ranges)."""
    out: list[tuple[str, str]] = []
    for year in range(start.year, as_of.year + 1):
        first = max(start, date(year, 1, 1))
        last = min(as_of, date(year, 12, 1))
        if first == date(year, 1, 1) and last == date(year, 12, 1):
            out.append(("year", str(year)))
        elif year_to_date and first.month == 1:
            out.append(("ytd", f"{year}-01..{year}-{last.month:02d}"))
        else:
            out += [("month", f"{year}-{m:02d}") for m in range(first.month, last.month + 1)]
    return tuple(out)


def results_table(values: pl.DataFrame, registry: Registry, as_of: date) -> pl.DataFrame:
    """One row per EEA Grants indicator and breakdown code at the reporting month ``as_of``.

    ``values``: indicator values (internal or published) with the value columns.
    """
    start = registry.results_start
    as_of = date(as_of.year, as_of.month, 1)
    # Each value of the sum is tried with the year-to-date value first, then month by month.
    ways = [pl.DataFrame(_components(start, as_of, ytd), schema=["grain", "period_label"],
                         orient="row") for ytd in (True, False)]
    rows = []
    for ind in registry.indicators:
        if not ind.is_eea or ind.target is None:
            continue
        ind_values = values.filter((pl.col("indicator") == ind.code) & (pl.col("geo") == "PT"))
        keys = ind_values.select("breakdown", "breakdown_code").unique(maintain_order=True)
        exp = expected_to_date(ind.target, start, as_of)
        for breakdown, code in keys.iter_rows():
            same = ind_values.filter((pl.col("breakdown") == breakdown)
                                     & (pl.col("breakdown_code") == code))
            for comps in ways:
                grp = same.join(comps, on=["grain", "period_label"], how="inner")
                complete = grp.height == comps.height
                if complete and not grp["value"].null_count():
                    break
            if grp.is_empty():
                continue  # a breakdown published for none of these periods
            flags = combine_flags(*grp["flags"].to_list()).replace("r", "")
            if not complete:
                flags = combine_flags(flags, ":")
            achieved = None if (grp["value"].null_count() or not complete) \
                else float(grp["value"].sum())
            is_total = breakdown == "_T"
            t = ind.target
            rows.append({
                "indicator": ind.code, "level": ind.level, "name_pt": ind.name_pt,
                "name_en": ind.name_en, "unit": ind.unit, "breakdown": breakdown,
                "breakdown_code": code, "as_of": as_of.strftime("%Y-%m"),
                "baseline_value": t.baseline_value, "baseline_year": t.baseline_year,
                "target_value": t.target_value if is_total else None,
                "target_year": t.target_year,
                "achieved": achieved,
                "pct_of_target": (100.0 * achieved / t.target_value
                                  if is_total and achieved is not None and t.target_value
                                  else None),
                "expected_to_date": exp if is_total else None,
                "status": status(achieved, exp, t.target_value, registry.tolerance)
                if is_total else None,
                "flags": flags if achieved is None else flags.replace("c", ""),
                "illustrative_target": registry.targets_illustrative,
            })
    schema = {"indicator": pl.String, "level": pl.String, "name_pt": pl.String,
              "name_en": pl.String, "unit": pl.String, "breakdown": pl.String,
              "breakdown_code": pl.String, "as_of": pl.String, "baseline_value": pl.Float64,
              "baseline_year": pl.Int64, "target_value": pl.Float64, "target_year": pl.Int64,
              "achieved": pl.Float64, "pct_of_target": pl.Float64,
              "expected_to_date": pl.Float64, "status": pl.String, "flags": pl.String,
              "illustrative_target": pl.Boolean}
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema).sort("indicator", "breakdown", "breakdown_code")


@dataclass(frozen=True)
class ReportingPeriod:
    """A donor reporting period: a calendar year (``2024``) or an interim-report period
    (``2024-P2`` = the second interim period of 2024). ``start``/``end``: first and last
    month (first day of each)."""

    code: str
    kind: str          # YEAR or INTERIM
    start: date
    end: date
    number: int | None = None

    @property
    def year(self) -> int:
        return self.start.year


def reporting_periods(registry: Registry, last_month: date) -> list[ReportingPeriod]:
    """Every calendar year and interim-report period that lies between the results start
    month and ``last_month`` (the latest complete month), ordered by end then kind."""
    start = registry.results_start
    last = date(last_month.year, last_month.month, 1)
    out: list[ReportingPeriod] = []
    for year in range(start.year, last.year + 1):
        if date(year, 1, 1) >= start and date(year, 12, 1) <= last:
            out.append(ReportingPeriod(str(year), YEAR, date(year, 1, 1), date(year, 12, 1)))
        for n, (first, final) in enumerate(registry.interim_periods, start=1):
            p_start, p_end = date(year, first, 1), date(year, final, 1)
            if p_start >= start and p_end <= last:
                out.append(ReportingPeriod(f"{year}-P{n}", INTERIM, p_start, p_end, n))
    return sorted(out, key=lambda p: (p.end, p.kind != INTERIM, p.start))


def parse_period(code: str, registry: Registry) -> ReportingPeriod | None:
    """The :class:`ReportingPeriod` of a code (``2024`` or ``2024-P2``); None if malformed."""
    year_text, _, part = code.partition("-P")
    if not (year_text.isdigit() and len(year_text) == 4):
        return None
    year = int(year_text)
    if not part:
        return ReportingPeriod(code, YEAR, date(year, 1, 1), date(year, 12, 1))
    if not part.isdigit() or not 1 <= int(part) <= len(registry.interim_periods):
        return None
    first, final = registry.interim_periods[int(part) - 1]
    return ReportingPeriod(code, INTERIM, date(year, first, 1), date(year, final, 1),
                           int(part))


Series = dict[tuple[str, str], list[tuple[float | None, str | None]]]


def series_by_indicator(values: pl.DataFrame) -> dict[str, dict[tuple[str, str], Series]]:
    """Per indicator, the national (``geo`` PT) series of :func:`_series`: one pass over the
    values, to be shared by the reporting periods (:func:`period_results`' ``series``)."""
    out: dict[str, dict[tuple[str, str], Series]] = {}
    for indicator, breakdown, code, grain, label, value, flags in values.filter(
            pl.col("geo") == "PT").select(
            "indicator", "breakdown", "breakdown_code", "grain", "period_label", "value",
            "flags").iter_rows():
        out.setdefault(indicator, {}).setdefault((breakdown, code), {}).setdefault(
            (grain, label), []).append((value, flags))
    return out


def _total(values: list[float]) -> float:
    """The sum polars gives (``pl.Series.sum``); in plain Python when every partial sum is a
    whole number below 2**53 (counts: then any order of addition gives the same float)."""
    if all(float(v).is_integer() for v in values) and sum(abs(v) for v in values) < 2**53:
        return float(sum(values))
    return float(pl.Series(values, dtype=pl.Float64).sum())


def _sum_published(same: Series, first: date, last: date) -> tuple[float | None, str]:
    """Sum of one series from ``first`` to ``last`` (months), from published values: the
    year-to-date value where it covers a partial year, else month by month; NULL with the
    inputs' flags (``c`` / ``:``) when any part is hidden or missing."""
    grp: list[tuple[float | None, str | None]] = []
    complete = False
    for ytd in (True, False):
        comps = _component_keys(first, last, ytd)
        grp = [part for comp in comps for part in same.get(comp, ())]
        complete = len(grp) == len(comps)
        if complete and all(value is not None for value, _ in grp):
            break
    flags = combine_flags(*(f for _, f in grp)).replace("r", "") if grp else ""
    if not complete:
        flags = combine_flags(flags, ":")
    if any(value is None for value, _ in grp) or not complete:
        return None, flags
    return _total([v for v, _ in grp]), flags.replace("c", "")


def _in_period(same: Series, start: date, period: ReportingPeriod) -> tuple[float | None, str]:
    """The value achieved in ``period``: the sum of its own published values, else, where a
    part is hidden, the difference of the two published values to date (to its end, and to
    the month before it begins). A reader computes that difference from the report itself
    (e.g. 52 to date at 2023-P3 minus 45 at 2023-P2: 7), so "c" would hide nothing; both
    sums come from published values, whose release-wide audit already counts it."""
    value, flags = _sum_published(same, period.start, period.end)
    if value is not None or period.start <= start:
        return value, flags
    before = (period.start - timedelta(days=1)).replace(day=1)
    to_end, end_flags = _sum_published(same, start, period.end)
    to_before, before_flags = _sum_published(same, start, before)
    if to_end is None or to_before is None:
        return value, flags
    return _total([to_end, -to_before]), combine_flags(end_flags, before_flags)


PERIOD_SCHEMA = {
    "indicator": pl.String, "reporting_period": pl.String, "period_kind": pl.String,
    "period_start": pl.Date, "period_end": pl.Date, "breakdown": pl.String,
    "breakdown_code": pl.String, "baseline": pl.Float64, "target": pl.Float64,
    "achieved_period": pl.Float64, "period_flags": pl.String, "achieved": pl.Float64,
    "pct_of_target": pl.Float64, "expected": pl.Float64, "status": pl.String,
    "flags": pl.String,
}


def period_results(values: pl.DataFrame, registry: Registry, period: ReportingPeriod,
                   series: dict[str, dict[tuple[str, str], Series]] | None = None
                   ) -> pl.DataFrame:
    """One row per EEA Grants indicator and breakdown code for ``period``: achieved in the
    period and to date (from the results start to the end of the period), % of target,
    expected to date and status (total only). Rows of :data:`PERIOD_SCHEMA`. ``series``:
    :func:`series_by_indicator` of ``values``, when several periods are asked for."""
    from calendar import monthrange

    start = registry.results_start
    last_day = date(period.end.year, period.end.month,
                    monthrange(period.end.year, period.end.month)[1])
    rows = []
    series = series_by_indicator(values) if series is None else series
    for ind in registry.indicators:
        if not ind.is_eea or ind.target is None:
            continue
        t = ind.target
        exp = expected_to_date(t, start, period.end)
        deadline = date(t.target_year, 12, 1)
        passed = period.end >= deadline
        for (breakdown, code), same in series.get(ind.code, {}).items():
            in_period, p_flags = _in_period(same, start, period)
            to_date, flags = _sum_published(same, start, period.end)
            total = breakdown == "_T"
            at_deadline = _sum_published(same, start, deadline)[0] \
                if total and period.end > deadline else None
            rows.append({
                "indicator": ind.code, "reporting_period": period.code,
                "period_kind": period.kind, "period_start": period.start,
                "period_end": last_day, "breakdown": breakdown, "breakdown_code": code,
                "baseline": t.baseline_value if total else None,
                "target": t.target_value if total else None,
                "achieved_period": in_period, "period_flags": p_flags,
                "achieved": to_date,
                "pct_of_target": (100.0 * to_date / t.target_value
                                  if total and to_date is not None and t.target_value
                                  else None),
                "expected": exp if total else None,
                "status": status(to_date, exp, t.target_value, registry.tolerance, passed,
                                 at_deadline) if total else None,
                "flags": flags,
            })
    return pl.DataFrame(rows, schema=PERIOD_SCHEMA).sort(
        "indicator", "breakdown", "breakdown_code")
