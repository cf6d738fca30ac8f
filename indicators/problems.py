"""Glue between the marts and disclosure control: build the protected problems, protect them,
and turn the protected counts into ``published.indicator_values``.

Protection problems (each a dense inner cube protected by ``indicators.disclosure.protect``
with every total of its hierarchies; kept small on purpose, see the registry header):

* ``victims_national_total_<year>``: persons signalled by month (-> quarter -> year, with
  year-to-date sums as linked cells); ``victims_national_status_<year>``: quarter (-> year)
  x status (presumed, confirmed, not confirmed) — the status split is not published by month;
* ``victims_national_<X>_<year>``: year x status x X, for X in sex, age_group,
  citizenship_group, exploitation, signalled_by — national counts by X, one problem per year;
* ``victims_citizenship_<year>``: status x country of citizenship (-> group -> total);
* ``victims_district_<year>``: district (total = Portugal) x sex x status;
* ``victims_district_time_<year>``: persons signalled by district (total = Portugal) x
  complete quarter (-> year, with the year to date at each quarter's end as linked sums),
  every year; a district whose yearly total the problem above hides, or with 1 .. k-1
  persons in the year, is left out (see :func:`_protect_leaving_out_districts`);
* ``support_<X>_<year>``: new support cases, month x X (sex with a migration split,
  age_group, support type); ``activities_victim_interview_<year>``: month x sex.

Rolling-12-month counts are not protected as cells: a window is published only when its
12 months are all published (or it is a calendar year whose count is published), see
:func:`rolling_from_published`; it then reveals nothing that is not already published.
Solving one problem per calendar year keeps each problem small (a few hundred inner cells)
and its audit fast; the pattern is stable across releases through ``previous``: a cell the
last release hid stays hidden and a cell it published stays published while its count is
unchanged, so that a refresh on the same data publishes the same release (issue 19).

Problems share some cells (e.g. national yearly totals by status appear in several). After
protecting them all, a cell hidden in any problem is hidden in every problem that contains
it, and those problems are protected again with it forced hidden, until nothing changes.
A group of countries is the citizenship-group cell of the same year and status, so the two
problems share it. A reader combining problems is checked by the release-wide audit
(``indicators.release_audit``), run on the published values after protection: it publishes
the secondary cells a reader can recompute and blocks publication if a confidential cell is
pinned or bounded inside 1..k-1.

Headline figures (national yearly totals, national quarterly/monthly persons signalled) are
never chosen as secondaries where a pattern exists (``protect(never_hide=...)``), see
:func:`_protect`; cells a problem contains but never publishes (support without migration
types; the quarterly status split of a year where a status is small in a quarter; the
breakdown of a status too small to break down) are marked ``never_published``.

Counts of indicators without a disclosure rule (outputs, professionals) are published as is.
Anything the protection does not cover is not published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import polars as pl

from indicators.compute import family_returns
from indicators.contract import load_contract
from indicators.derived_values import VALUE_COLUMNS, derive
from indicators.disclosure import (
    Hierarchy,
    Policy,
    ProtectionError,
    protect,
    time_hierarchy,
    year_to_date_sums,
)
from indicators.disclosure.protection import UNPUBLISHED
from indicators.disclosure.tables import build_full_table
from indicators.flags import CONFIDENTIAL, flag_availability, flag_revised
from indicators.registry import Registry

if TYPE_CHECKING:
    from indicators.protection_cache import ProtectionCache

KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
STATUS_INDICATOR = {"presumed": "THB_PRESUMED", "confirmed": "THB_CONFIRMED",
                    "not_confirmed": "THB_NOT_CONFIRMED", "_T": "THB_SIGNALLED"}
PUBLISHED = "published"


@dataclass
class Problem:
    """One protection problem: inner cube, hierarchies, and how its cells map to values."""

    name: str
    inner: pl.DataFrame
    hierarchies: dict[str, Hierarchy]
    to_keys: Callable[[pl.DataFrame], pl.DataFrame]
    policy: Policy = field(default_factory=Policy)
    # cells of the tables that are never published (see ``protect(never_published=...)``)
    never_published: pl.DataFrame | None = None
    # a never-published cell of 1 .. k-1 stays confidential (a district left out of the
    # quarterly publication, the total of a year not complete yet)
    unpublished_confidential: bool = False
    # a district's cells may be left out of this problem's publication (see
    # :func:`_protect_leaving_out_districts`)
    districts_left_out: bool = False


def period_code_to_grain(code: str) -> tuple[str, str] | None:
    """A time-dimension code of the disclosure library -> (grain, period_label)."""
    if code == "_T":
        return None
    if code.endswith("-R12"):
        end = code[:7]
        y, m = int(end[:4]), int(end[5:7])
        sy, sm = (y - 1, m + 1) if m < 12 else (y, 1)
        return "r12", f"{sy:04d}-{sm:02d}..{end}"
    if code.endswith("-YTD"):
        end = code[:7]
        return "ytd", f"{end[:4]}-01..{end}"
    if "-Q" in code:
        return "quarter", code
    if len(code) == 4:
        return "year", code
    return "month", code


def _time_keys(cells: pl.DataFrame, dim: str) -> pl.DataFrame:
    codes = cells[dim].unique().to_list()
    rows = []
    for c in codes:
        mapped = period_code_to_grain(c)
        if mapped is None:
            continue
        rows.append((c, *mapped))
        if mapped[0] == "month" and c.endswith("-01"):   # January: year to date = the month
            rows.append((c, "ytd", f"{c}..{c}"))
    table = pl.DataFrame(rows, schema={dim: pl.String, "grain": pl.String,
                                       "period_label": pl.String}, orient="row")
    return cells.join(table, on=dim, how="inner")


def _months(calendar: list[str]) -> Hierarchy:
    """Months of one year -> quarters -> year, with the year-to-date sums as linked cells."""
    return time_hierarchy(calendar).with_sums(year_to_date_sums(calendar))


def _full_years(calendar: list[str]) -> list[str]:
    return sorted({m[:4] for m in calendar if _full_year(calendar, m[:4])})


def _year_keys(cells: pl.DataFrame) -> pl.DataFrame:
    return cells.filter(pl.col("year") != "_T").with_columns(
        grain=pl.lit("year"), period_label=pl.col("year"))


def _yearly_problems(name: str, inner: pl.DataFrame, years: list[str],
                     other: dict[str, Hierarchy],
                     to_keys: Callable[[pl.DataFrame], pl.DataFrame],
                     policy: Policy) -> list[Problem]:
    """One problem per complete calendar year: the year's totals x other dimensions."""
    return [Problem(f"{name}_{year}", inner.filter(pl.col("year") == year),
                    {"year": Hierarchy.flat("year", [year]), **other}, to_keys, policy)
            for year in years]


def _years(calendar: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for month in calendar:
        out.setdefault(month[:4], []).append(month)
    return out


def _monthly_problems(name: str, inner: pl.DataFrame, calendar: list[str],
                      other: dict[str, Hierarchy], to_keys: Callable[[pl.DataFrame],
                                                                       pl.DataFrame],
                      policy: Policy) -> list[Problem]:
    """One problem per calendar year: month (-> quarter -> year, + ytd) x other dimensions."""
    problems = []
    for year, year_months in _years(calendar).items():
        part = inner.filter(pl.col("month").str.starts_with(year))
        problems.append(Problem(f"{name}_{year}", part,
                                {"month": _months(year_months), **other}, to_keys, policy))
    return problems


def _flat_or(registry: Registry, dim: str, codes: list[str]) -> Hierarchy:
    return Hierarchy(dim, registry.parents(dim, codes))


def _finish_keys(df: pl.DataFrame, breakdown_dim: str | None) -> pl.DataFrame:
    if breakdown_dim is None:
        df = df.with_columns(breakdown=pl.lit("_T"), breakdown_code=pl.lit("_T"))
    else:
        df = df.with_columns(
            breakdown=pl.when(pl.col(breakdown_dim) == "_T").then(pl.lit("_T"))
            .otherwise(pl.lit(breakdown_dim)),
            breakdown_code=pl.col(breakdown_dim))
    return df


def _victims_total_keys(cells: pl.DataFrame, dim: str = "month") -> pl.DataFrame:
    if "classification" not in cells.columns:
        cells = cells.with_columns(classification=pl.lit("_T"))
    df = _time_keys(cells, dim).with_columns(
        indicator=pl.col("classification").replace_strict(STATUS_INDICATOR),
        geo=pl.lit("PT"))
    return _finish_keys(df, None)


def _victims_breakdown_keys(cells: pl.DataFrame, dim: str) -> pl.DataFrame:
    df = _year_keys(cells).with_columns(
        indicator=pl.col("classification").replace_strict(STATUS_INDICATOR),
        geo=pl.lit("PT"))
    return _finish_keys(df, dim)


def _victims_citizenship_keys(cells: pl.DataFrame) -> pl.DataFrame:
    # a group of countries is the citizenship-group cell of the same year and status
    # (shared with that problem, so that both hide it alike)
    df = cells.filter(pl.col("year") != "_T").with_columns(
        grain=pl.lit("year"), period_label=pl.col("year"),
        indicator=pl.col("classification").replace_strict(STATUS_INDICATOR),
        geo=pl.lit("PT"))
    group = pl.col("citizenship").str.starts_with("GROUP_")
    return _finish_keys(df, "citizenship").with_columns(
        breakdown=pl.when(group).then(pl.lit("citizenship_group"))
        .otherwise(pl.col("breakdown")),
        breakdown_code=pl.when(group).then(pl.col("citizenship").str.slice(6))
        .otherwise(pl.col("breakdown_code")))


def _victims_district_keys(cells: pl.DataFrame) -> pl.DataFrame:
    df = cells.filter(pl.col("year") != "_T").with_columns(
        grain=pl.lit("year"), period_label=pl.col("year"),
        indicator=pl.col("classification").replace_strict(STATUS_INDICATOR),
        geo=pl.when(pl.col("district") == "_T").then(pl.lit("PT"))
        .otherwise(pl.col("district")))
    return _finish_keys(df, "sex")


def _victims_time_problems(cube: pl.DataFrame, calendar: list[str], statuses: Hierarchy,
                           policy: Policy) -> list[Problem]:
    """Persons signalled by month (-> quarter -> year, + year to date); the status split by
    quarter (-> year) only: a monthly split is mostly 0 to 4 persons, and protecting it would
    hide most monthly totals. The two problems share the quarterly and yearly totals."""
    monthly = (cube.with_columns(month=pl.col("period").dt.strftime("%Y-%m"))
               .group_by("month").agg(pl.col("count").sum()))
    quarterly = (cube.with_columns(quarter=pl.col("period").dt.strftime("%Y-Q")
                                   + pl.col("period").dt.quarter().cast(pl.String))
                 .group_by("quarter", "classification").agg(pl.col("count").sum()))
    problems = _monthly_problems("victims_national_total", monthly, calendar, {},
                                 _victims_total_keys, policy)
    for year, year_months in _years(calendar).items():
        quarters = sorted({f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}" for m in year_months})
        inner = quarterly.filter(pl.col("quarter").str.starts_with(year))
        problems.append(Problem(
            f"victims_national_status_{year}", inner,
            {"quarter": Hierarchy("quarter", {**{q: year for q in quarters}, year: "_T"}),
             "classification": statuses},
            partial(_victims_total_keys, dim="quarter"), policy,
            never_published=_yearly_split_only(inner, quarters, statuses.leaves(), policy)))
    return problems


def _victims_breakdown_problems(cube: pl.DataFrame, calendar: list[str], registry: Registry,
                                statuses: Hierarchy, policy: Policy) -> list[Problem]:
    """Per full year, status x each national breakdown of THB_SIGNALLED."""
    contract = load_contract()
    problems: list[Problem] = []
    dims = [b for b in registry.get("THB_SIGNALLED").breakdowns
            if b not in ("_T", "citizenship")]
    years = _full_years(calendar)
    yearly = (cube.with_columns(year=pl.col("period").dt.strftime("%Y"))
              .filter(pl.col("year").is_in(years)))
    for dim in dims:
        codes = (list(contract.citizenship_groups) if dim == "citizenship_group"
                 else list(contract.allowed_codes(dim, "victims")))
        inner = yearly.group_by("year", "classification", dim).agg(pl.col("count").sum())
        problems += _yearly_problems(
            f"victims_national_{dim}", inner, years,
            {"classification": statuses, dim: _flat_or(registry, dim, codes)},
            partial(_victims_breakdown_keys, dim=dim), policy)
    return problems


def _victims_citizenship_problems(cube: pl.DataFrame, calendar: list[str],
                                  statuses: Hierarchy, policy: Policy) -> list[Problem]:
    """Per full year, status x country of citizenship (countries grouped as in the
    citizenship-group breakdown)."""
    years = sorted({m[:4] for m in calendar if _full_year(calendar, m[:4])})
    # sorted: the hierarchy's code order numbers the cells, and the pattern follows it
    # (an unordered unique() made the first publication differ from run to run)
    countries = (cube.filter(pl.col("period").dt.strftime("%Y").is_in(years))
                 .select("citizenship", "citizenship_group").unique()
                 .sort("citizenship"))
    parents = {}
    for iso, grp in countries.iter_rows():
        parents[iso] = f"GROUP_{grp}"
        parents[f"GROUP_{grp}"] = "_T"
    inner = (cube.with_columns(year=pl.col("period").dt.strftime("%Y"))
             .filter(pl.col("year").is_in(years))
             .group_by("year", "classification", "citizenship").agg(pl.col("count").sum()))
    return [Problem(
        f"victims_citizenship_{year}", inner.filter(pl.col("year") == year),
        {"year": Hierarchy.flat("year", [year]), "classification": statuses,
         "citizenship": Hierarchy("citizenship", parents)}, _victims_citizenship_keys, policy)
        for year in (years if parents else [])]


def _victims_district_problems(cube: pl.DataFrame, calendar: list[str],
                               statuses: Hierarchy, policy: Policy) -> list[Problem]:
    """Per full year, status x district x sex."""
    contract = load_contract()
    years = sorted({m[:4] for m in calendar if _full_year(calendar, m[:4])})
    if not years:
        return []
    geo_codes = list(contract.geo_codes)
    inner = (cube.with_columns(year=pl.col("period").dt.strftime("%Y"))
             .filter(pl.col("year").is_in(years))
             .group_by("year", "district", "sex", "classification").agg(pl.col("count").sum()))
    return [Problem(
        f"victims_district_{year}", inner.filter(pl.col("year") == year),
        {"year": Hierarchy.flat("year", [year]), "classification": statuses,
         "district": Hierarchy.flat("district", geo_codes),
         "sex": Hierarchy.flat("sex", contract.allowed_codes("sex", "victims"))},
        _victims_district_keys, policy)
        for year in years]


def _quarter_keys(cells: pl.DataFrame) -> pl.DataFrame:
    """Codes of a quarter dimension (quarters, year, year-to-date sums ``YYYY-MM-YTD`` at the
    end of a quarter) -> (grain, period_label); the first quarter is also the year to date at
    the end of March."""
    rows = []
    for c in cells["quarter"].unique().to_list():
        mapped = period_code_to_grain(c)
        if mapped is None:
            continue
        rows.append((c, *mapped))
        if c.endswith("-Q1"):
            rows.append((c, "ytd", f"{c[:4]}-01..{c[:4]}-03"))
    table = pl.DataFrame(rows, schema={"quarter": pl.String, "grain": pl.String,
                                       "period_label": pl.String}, orient="row")
    return cells.join(table, on="quarter", how="inner")


def _victims_district_time_keys(cells: pl.DataFrame) -> pl.DataFrame:
    df = _quarter_keys(cells).with_columns(
        indicator=pl.lit("THB_SIGNALLED"),
        geo=pl.when(pl.col("district") == "_T").then(pl.lit("PT"))
        .otherwise(pl.col("district")))
    return _finish_keys(df, None)


def _quarters_of(year: str, months: list[str]) -> list[str]:
    """The complete quarters of a year among ``months``."""
    counts: dict[str, int] = {}
    for m in months:
        q = f"{year}-Q{(int(m[5:7]) - 1) // 3 + 1}"
        counts[q] = counts.get(q, 0) + 1
    return sorted(q for q, n in counts.items() if n == 3)


def _victims_district_time_problems(cube: pl.DataFrame, calendar: list[str],
                                    policy: Policy) -> list[Problem]:
    """Per calendar year, persons signalled by district (-> Portugal) x complete quarter
    (-> year, with the year to date at the end of each quarter as linked sums). Months are
    not in the problem: a district's year to date is published at the end of a quarter only
    (a sum of its quarters), so no two published sums differ by a single month, and the
    published cells of a year change only when a quarter is complete (or revised). Every
    year, not only the current one: what was published while a year was the current one
    stays in the problem that protects it in later releases."""
    geo_codes = list(load_contract().geo_codes)
    quarterly = (cube.with_columns(quarter=pl.col("period").dt.strftime("%Y-Q")
                                   + pl.col("period").dt.quarter().cast(pl.String))
                 .group_by("quarter", "district").agg(pl.col("count").sum()))
    districts = Hierarchy.flat("district", geo_codes)
    problems = []
    for year, year_months in _years(calendar).items():
        quarters = _quarters_of(year, year_months)
        if not quarters:
            continue
        ytd = {f"{q[:4]}-{3 * int(q[-1]):02d}-YTD": tuple(quarters[:i + 1])
               for i, q in enumerate(quarters) if i > 0 and quarters[0].endswith("-Q1")}
        time = Hierarchy("quarter", {**{q: year for q in quarters}, year: "_T"}).with_sums(ytd)
        incomplete = len(year_months) < 12 or len(quarters) < 4
        problems.append(Problem(
            f"victims_district_time_{year}",
            quarterly.filter(pl.col("quarter").is_in(quarters)),
            {"quarter": time, "district": districts}, _victims_district_time_keys, policy,
            # the total of a year not complete yet is not published (it grows every month)
            never_published=(pl.DataFrame([(c, d) for c in (year, "_T") for d in geo_codes],
                                          schema={"quarter": pl.String,
                                                  "district": pl.String}, orient="row")
                             if incomplete else None),
            unpublished_confidential=True, districts_left_out=True))
    return problems


def victims_problems(cube: pl.DataFrame, calendar: list[str], registry: Registry
                     ) -> list[Problem]:
    policy = _policy(registry, "THB_SIGNALLED")
    statuses = Hierarchy.flat("classification",
                              load_contract().allowed_codes("status", "victims"))
    cube = cube.rename({"status": "classification"})
    problems = _victims_time_problems(cube, calendar, statuses, policy)
    problems += _victims_breakdown_problems(cube, calendar, registry, statuses, policy)
    if "citizenship" in registry.get("THB_SIGNALLED").breakdowns:
        problems += _victims_citizenship_problems(cube, calendar, statuses, policy)
    problems += _victims_district_problems(cube, calendar, statuses, policy)
    problems += _victims_district_time_problems(cube, calendar, policy)
    return problems


def support_problems(cube: pl.DataFrame, calendar: list[str], registry: Registry
                     ) -> list[Problem]:
    contract = load_contract()
    policy = _policy(registry, "EEA_VICTIMS_SUPPORTED")
    new = cube.filter(pl.col("case") == "new").with_columns(
        month=pl.col("period").dt.strftime("%Y-%m"),
        migration=pl.when(pl.col("support").is_in(["voluntary_return", "regularisation",
                                                    "asylum"]))
        .then(pl.lit("MIGRATION")).otherwise(pl.lit("NOT_MIGRATION")))
    problems = []

    def keys_for(dim: str | None) -> Callable[[pl.DataFrame], pl.DataFrame]:
        def to_keys(cells: pl.DataFrame) -> pl.DataFrame:
            df = (_time_keys(cells, "month") if "month" in cells.columns
                  else _year_keys(cells)).with_columns(geo=pl.lit("PT"))
            if "migration" in cells.columns:
                df = df.filter(pl.col("migration") != "NOT_MIGRATION").with_columns(
                    indicator=pl.when(pl.col("migration") == "MIGRATION")
                    .then(pl.lit("EEA_MIGRANTS_ASSISTED"))
                    .otherwise(pl.lit("EEA_VICTIMS_SUPPORTED")))
                return _finish_keys(df, dim)
            if dim == "support":
                migrants = df.filter(pl.col("support") == "MIGRATION").with_columns(
                    indicator=pl.lit("EEA_MIGRANTS_ASSISTED"), breakdown=pl.lit("_T"),
                    breakdown_code=pl.lit("_T"))
                everyone = _finish_keys(df.with_columns(
                    indicator=pl.lit("EEA_VICTIMS_SUPPORTED")), dim)
                return pl.concat([everyone, migrants], how="diagonal_relaxed")
            return _finish_keys(df.with_columns(indicator=pl.lit("EEA_VICTIMS_SUPPORTED")), dim)
        return to_keys

    migration = Hierarchy.flat("migration", ["MIGRATION", "NOT_MIGRATION"])
    split = _monthly_problems(
        "support_total", new.group_by("month", "migration").agg(pl.col("count").sum()),
        calendar, {"migration": migration}, keys_for(None), policy)
    years = _full_years(calendar)
    yearly = new.with_columns(year=pl.col("month").str.slice(0, 4)).filter(
        pl.col("year").is_in(years))
    sexes = Hierarchy.flat("sex", contract.allowed_codes("sex", "support"))
    split += _yearly_problems(
        "support_sex", yearly.group_by("year", "migration", "sex").agg(pl.col("count").sum()),
        years, {"sex": sexes, "migration": migration}, keys_for("sex"), policy)
    for p in split:  # persons without migration support: a cell of the problem, not published
        p.never_published = pl.DataFrame({"migration": ["NOT_MIGRATION"]})
    problems += split
    problems += _yearly_problems(
        "support_age_group", yearly.group_by("year", "age_group").agg(pl.col("count").sum()),
        years, {"age_group": _flat_or(
            registry, "age_group", list(contract.allowed_codes("age_group", "support")))},
        keys_for("age_group"), policy)
    problems += _yearly_problems(
        "support_support", yearly.group_by("year", "support").agg(pl.col("count").sum()),
        years, {"support": _flat_or(
            registry, "support", list(contract.allowed_codes("support", "support")))},
        keys_for("support"), policy)
    return problems


def activities_problems(cube: pl.DataFrame, calendar: list[str], registry: Registry
                        ) -> list[Problem]:
    ind = registry.get("EEA_VICTIMS_INTERVIEWED")
    if not ind.disclosure.applies:
        return []
    contract = load_contract()
    rows = (cube.filter(pl.col("activity").is_in(list(ind.filter["activity"])))
            .with_columns(month=pl.col("period").dt.strftime("%Y-%m"),
                          year=pl.col("period").dt.strftime("%Y")))

    def to_keys(cells: pl.DataFrame) -> pl.DataFrame:
        df = (_time_keys(cells, "month") if "month" in cells.columns
              else _year_keys(cells)).with_columns(indicator=pl.lit(ind.code), geo=pl.lit("PT"))
        return _finish_keys(df, "sex" if "sex" in cells.columns else None)

    policy = _policy(registry, ind.code)
    years = _full_years(calendar)
    problems = _monthly_problems(
        "activities_victim_interview_total",
        rows.group_by("month").agg(pl.col("count").sum()), calendar, {}, to_keys, policy)
    problems += _yearly_problems(
        "activities_victim_interview_sex",
        rows.filter(pl.col("year").is_in(years)).group_by("year", "sex")
        .agg(pl.col("count").sum()), years,
        {"sex": Hierarchy.flat("sex", contract.allowed_codes("sex", "activities"))},
        to_keys, policy)
    return problems


def _yearly_split_only(inner: pl.DataFrame, quarters: list[str], statuses: list[str],
                       policy: Policy) -> pl.DataFrame | None:
    """The quarterly status split of a year where a status is small in a quarter (national
    confirmed victims per quarter are often 1 to 4): never published, the split is then
    published by year only, rather than hiding other national totals to protect it."""
    small = inner.filter((pl.col("count") >= 1) & (pl.col("count") < policy.threshold))
    if small.is_empty():
        return None
    return pl.DataFrame([(q, s) for q in quarters for s in statuses],
                        schema={"quarter": pl.String, "classification": pl.String},
                        orient="row")


def _full_year(calendar: list[str], year: str) -> bool:
    return sum(1 for m in calendar if m.startswith(year)) == 12


def _policy(registry: Registry, code: str) -> Policy:
    rule = registry.get(code).disclosure
    return Policy(threshold=rule.threshold or 1, zeros_publishable=rule.zeros_publishable)


@dataclass
class ProtectedCounts:
    """Protected counts mapped to indicator value keys, with per-problem summaries."""

    cells: pl.DataFrame        # KEY + count + status (published / primary / secondary)
    summaries: dict[str, dict]
    audits: dict[str, object]


def protect_all(problems: list[Problem], previous: pl.DataFrame | None = None,
                max_rounds: int = 5,
                progress: Callable[[int, str, dict], None] | None = None,
                cache: ProtectionCache | None = None) -> ProtectedCounts:
    """Protect every problem; make shared cells consistent (hidden anywhere -> everywhere).

    ``previous``: the previous release's protected cells (KEY + count + status); its hidden
    cells whose count is unchanged stay hidden. ``progress(round, name, summary)`` is called
    after each problem. ``cache``: results of earlier protections by the digest of their
    full input (:mod:`indicators.protection_cache`); a problem whose input did not change
    reuses its result instead of being solved again.
    """
    # Stable suppression wins over the headline mark: a cell hidden in the last release stays
    # hidden while its count is unchanged (publishing it now could undo the last release's
    # protection of another cell).
    empty = pl.DataFrame(schema={**{k: pl.String for k in KEY}, "count": pl.Int64})
    has_previous = previous is not None and previous.height > 0
    forced = (previous.filter(pl.col("status") != PUBLISHED).select(*KEY, "count")
              if has_previous else empty)
    # What was published stays published: a cell the last release published keeps being
    # published while its count is unchanged (``never_hide``), so that a refresh on the same
    # data solves the same problem as the first publication and gives the same pattern.
    published_before = (previous.filter(pl.col("status") == PUBLISHED).select(*KEY, "count")
                        if has_previous else empty)
    results: dict[str, pl.DataFrame] = {}
    summaries: dict[str, dict] = {}
    audits: dict[str, object] = {}
    pending = list(range(len(problems)))
    probes: dict[int, pl.DataFrame] = {}   # every cell of a problem with its value key
    for round_no in range(1, max_rounds + 1):
        for i in pending:
            p = problems[i]
            probe = probes.setdefault(i, protect_cells_codes(p))
            # a district x time problem follows the district totals the problems before it
            # in this round hid (see _protect_leaving_out_districts)
            marks = (pl.concat([forced, _hidden_cells(results)]).unique([*KEY, "count"])
                     if p.districts_left_out and results else forced)
            res = _protect_cached(p, probe, _previous_marks(p, marks, published_before, probe),
                                  cache)
            keyed = p.to_keys(res.cells)
            results[p.name] = keyed.select(*KEY, "count", "status").unique(KEY)
            summaries[p.name] = res.summary
            audits[p.name] = res.audit
            if progress is not None:
                progress(round_no, p.name, res.summary)
        hidden = _hidden_cells(results)
        # A forced cell binds only while its count is the same: a previous release's hidden
        # cell whose count a revision changed is protected afresh (matching on the key alone
        # never converged after such a revision).
        new_forced = pl.concat([hidden, forced]).unique([*KEY, "count"])
        pending = []
        for i, p in enumerate(problems):
            r = results[p.name]
            clash = r.filter(pl.col("status") == PUBLISHED).join(new_forced, on=[*KEY, "count"])
            if clash.height:
                pending.append(i)
        forced = new_forced
        if not pending:
            break
    else:
        raise RuntimeError("shared cells did not converge / células partilhadas sem convergência")
    cells = pl.concat(list(results.values()))
    # one status per key: hidden wins (all problems agree after convergence), then published;
    # a cell no problem publishes nor hides is left out of the release
    rank = (pl.when(pl.col("status") == PUBLISHED).then(1)
            .when(pl.col("status") == UNPUBLISHED).then(2).otherwise(0))
    cells = (cells.with_columns(_rank=rank).sort("_rank").unique(KEY, keep="first")
             .filter(pl.col("status") != UNPUBLISHED).drop("_rank"))
    return ProtectedCounts(cells.sort(KEY), summaries, audits)


def _protect_cached(p: Problem, probe: pl.DataFrame, marks: tuple[pl.DataFrame | None, ...],
                    cache: ProtectionCache | None):
    """:func:`_protect` with ``marks`` (see :func:`_previous_marks`), or its stored result
    when ``cache`` holds one for exactly this input (``probe``, the problem's cells with their
    value keys, stands for what ``to_keys`` does with them)."""
    if cache is None:
        return _solve(p, marks)
    from indicators.protection_cache import problem_key

    key = problem_key(p, marks, probe)
    res = cache.get(key)
    if res is None:
        res = _solve(p, marks)
        cache.put(key, p.name, res)
    return res


def _solve(p: Problem, marks: tuple[pl.DataFrame | None, ...]):
    """Protect ``p`` with ``marks`` (forced hidden, kept, changed, absent), leaving out
    districts where the problem allows it."""
    prev_cells, kept, changed, absent = marks
    if p.districts_left_out:
        return _protect_leaving_out_districts(p, prev_cells, kept)
    return _protect(p, prev_cells, kept, changed, absent)


def _hidden_cells(results: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Cells (KEY + count) some problem hides; a never-published cell is hidden in the other
    problems that contain it (a zero cannot be hidden: it is published there, and the
    release-wide audit judges)."""
    return pl.concat([r.filter((pl.col("status") != PUBLISHED)
                               & ((pl.col("status") != UNPUBLISHED) | (pl.col("count") > 0)))
                      .select(*KEY, "count") for r in results.values()]).unique(KEY)


def _previous_marks(p: Problem, forced: pl.DataFrame, published_before: pl.DataFrame,
                    probe: pl.DataFrame | None = None
                    ) -> tuple[pl.DataFrame | None, pl.DataFrame | None, pl.DataFrame | None,
                               pl.DataFrame | None]:
    """The cells of ``p`` forced hidden (``previous`` for ``protect``), those kept published
    (a ``never_hide`` mark): value keys of ``forced`` / ``published_before`` whose count is
    the same now (a cell forced hidden, here or by a problem sharing it, is not kept), the
    cells a revision changed, and the cells the last release left out (dimension codes)."""
    if not forced.height and not published_before.height:
        return None, None, None, None
    dims = list(p.hierarchies)
    probe = protect_cells_codes(p) if probe is None else probe

    def same_count(marks: pl.DataFrame) -> pl.DataFrame:
        return probe.join(marks, on=KEY, how="inner").filter(
            pl.col("count") == pl.col("count_right")).select(*dims, "count")

    hit = same_count(forced)
    prev_cells = hit.with_columns(status=pl.lit("secondary")) if hit.height else None
    kept = same_count(published_before).select(dims).join(hit.select(dims), on=dims,
                                                           how="anti").unique()
    changed = (probe.join(pl.concat([forced, published_before]), on=KEY, how="inner")
               .filter(pl.col("count") != pl.col("count_right")).select(dims).unique())
    # a cell is absent when none of its keys was in the last release (a district's January
    # is the year-to-date key of its month cell, published; the month key never is)
    present = probe.join(pl.concat([forced, published_before]), on=KEY, how="semi").select(dims)
    absent = probe.select(dims).unique().join(present, on=dims, how="anti", nulls_equal=True)
    return (prev_cells, (kept if kept.height else None), (changed if changed.height else None),
            absent if absent.height else None)


def _release_near(kept: pl.DataFrame, changed: pl.DataFrame | None, apart: int
                  ) -> pl.DataFrame:
    """``kept`` without the cells that differ from a ``changed`` cell in at most ``apart``
    dimensions (the cells sharing its equations first): a revision may re-protect its
    neighbourhood and keep the rest of the last pattern."""
    if changed is None or changed.height == 0:
        return kept
    dims = list(kept.columns)
    pairs = kept.with_row_index("_k").join(changed, how="cross", suffix="_c")
    differ = pl.sum_horizontal([(pl.col(d) != pl.col(f"{d}_c")).cast(pl.Int32) for d in dims])
    near = pairs.filter(differ <= apart).select("_k").unique()
    return kept.with_row_index("_k").join(near, on="_k", how="anti").drop("_k")


# Headline figures: never chosen as secondary suppressions when >= k (national yearly totals
# of every protected indicator, national quarterly and monthly persons signalled).
HEADLINE_MONTHLY = ("THB_SIGNALLED",)


def is_headline() -> pl.Expr:
    national = (pl.col("geo") == "PT") & (pl.col("breakdown") == "_T")
    return national & ((pl.col("grain") == "year")
                       | (pl.col("indicator").is_in(HEADLINE_MONTHLY)
                          & pl.col("grain").is_in(["quarter", "month", "ytd"])))


def is_district_total() -> pl.Expr:
    """Yearly district totals of persons signalled: kept published where a pattern among
    smaller cells exists."""
    return ((pl.col("geo") != "PT") & (pl.col("breakdown") == "_T")
            & (pl.col("grain") == "year") & pl.col("indicator").is_in(HEADLINE_MONTHLY))


def _dropped_before(p: Problem, every: pl.DataFrame, probe: pl.DataFrame,
                    absent: pl.DataFrame | None) -> pl.DataFrame | None:
    """The breakdowns the last release dropped (see :func:`_protect`): under a headline
    cell, every cell of the problem left out of the last release; with the problem's own
    never-published cells (``None``: nothing dropped)."""
    if absent is None:
        return None
    dims = list(p.hierarchies)
    tops = (probe.filter(is_headline() & (pl.col("count") >= p.policy.threshold))
            .select(dims).unique().sort(dims))
    parts = []
    for top in tops.iter_rows(named=True):
        below = _below(every, pl.DataFrame([top]), p.hierarchies)
        # its inner cells (a group's cell may be published by a problem sharing it)
        inner = below.filter(pl.all_horizontal(
            [pl.col(d).is_in(p.hierarchies[d].leaves()) for d in dims]))
        inner = inner.join(probe.select(dims), on=dims, how="semi")  # cells with a value key
        if inner.height and inner.join(absent, on=dims, how="anti").height == 0:
            parts.append(below)
    if not parts:
        return None
    return pl.concat([*parts, _expand(every, p.never_published)]).unique()


def _protect(p: Problem, forced: pl.DataFrame | None, kept: pl.DataFrame | None = None,
             changed: pl.DataFrame | None = None, absent: pl.DataFrame | None = None):
    """Protect one problem keeping its headline cells published.

    ``kept``: cells the last release published with the same count; first tried kept
    published with the headline and district totals (same data -> same pattern); if no
    pattern keeps them all, they are kept alone (a headline cell they did not publish may be
    hidden), then (a revision ``changed`` some cells) kept cells near the changed ones are
    released step by step (those differing in 1, then 2, ... dimensions); last,
    the problem is protected afresh as below (deterministic: same inputs, same tiers, same
    result). Then tries, in order:
    headline and district totals kept; national headline only; then, for a
    status too small to be broken down (national confirmed victims of a year are often
    fewer than 10, all in cells of 1 to 4), that status's breakdown in this problem is not
    published (its cells never published) so that its total stays published; last, the
    plain protection (no pattern keeps them)."""
    dims = list(p.hierarchies)
    probe = protect_cells_codes(p)
    big = probe.filter(pl.col("count") >= p.policy.threshold)
    tiers = [big.filter(is_headline() | is_district_total()), big.filter(is_headline())]
    tiers = [t.select(dims).unique() for t in tiers]
    if forced is not None:
        tiers = [t.join(forced.select(dims), on=dims, how="anti") for t in tiers]
    # what was published stays published, before the headline cells it did not publish
    # (e.g. the total of a year not complete yet, not published, that grows every month)
    steps = ([pl.concat([tiers[0], kept]).unique(), kept]
             + [_release_near(kept, changed, n) for n in range(1, len(dims) + 1)]
             if kept is not None else [])
    every = build_full_table(p.inner, dict(p.hierarchies), None).code_frame()
    dropped = _dropped_before(p, every, probe, absent) if kept is not None else None
    for n, keep in enumerate(steps):
        if n > 1 and (changed is None or keep.height == steps[n - 1].height):
            continue
        try:
            res = protect(p.inner, p.hierarchies, None, p.policy, forced,
                          never_published=p.never_published if dropped is None else dropped,
                          never_hide=keep, unpublished_confidential=(
                              p.unpublished_confidential or dropped is not None))
            res.summary["previous_pattern_kept"] = keep.height
            return res
        except ProtectionError:
            continue
    for keep in ([tiers[0], tiers[1]] if tiers[0].height != tiers[1].height else tiers[1:]):
        if keep.height == 0:
            break
        try:
            return protect(p.inner, p.hierarchies, None, p.policy, forced,
                           never_published=p.never_published, never_hide=keep,
                           unpublished_confidential=p.unpublished_confidential)
        except ProtectionError:
            continue
    plain = protect(p.inner, p.hierarchies, None, p.policy, forced,
                    never_published=p.never_published,
                    unpublished_confidential=p.unpublished_confidential)
    keep = tiers[1]
    lost = (p.to_keys(plain.cells).filter(is_headline() & (pl.col("status") != PUBLISHED))
            .sort(["count", *dims]).select(dims).unique(maintain_order=True)
            .join(keep, on=dims, how="semi", maintain_order="left"))
    if keep.height == 0 or lost.height == 0:
        return plain
    # smallest status first: drop as few breakdowns as needed
    for n in range(1, lost.height + 1):
        unpublished = pl.concat([_below(every, lost.head(n), p.hierarchies),
                                 _expand(every, p.never_published)])
        try:
            # the dropped breakdown stays derivable from its sibling statuses (signalled -
            # presumed - not confirmed): its small cells stay confidential, unpublished
            return protect(p.inner, p.hierarchies, None, p.policy, forced,
                           never_published=unpublished, never_hide=keep,
                           unpublished_confidential=True)
        except ProtectionError:
            continue
    return plain


def _protect_leaving_out_districts(p: Problem, forced: pl.DataFrame | None,
                                   kept: pl.DataFrame | None):
    """Protect a district x time problem keeping every headline figure and every district
    yearly total published where another problem publishes it; a district for which no such
    pattern exists is left out of this problem's publication (its quarters and year-to-date
    sums are not published; its yearly total stays published where the district x sex x
    status problem publishes it), smallest first.

    Hiding a district's yearly total here would tie this problem to that one: a reader
    combining them bounds the total with the sex and status split, and with it the hidden
    quarters (each at least 1 when zeros are published). Left out from the start: districts
    whose yearly total another problem hides (``forced``) and those with 1 .. k-1 persons in
    the year (every quarter of theirs would be confidential). What an earlier release
    published with the same count (``kept``) stays published, also for a left-out district
    (the reader holds it): when the year completes, its total and the quarters published
    while it was current pin the last quarter, so the last resort hides district totals."""
    dims = list(p.hierarchies)
    probe = protect_cells_codes(p)
    keep = probe.filter((is_headline() | is_district_total())
                        & (pl.col("count") >= p.policy.threshold)).select(dims)
    if kept is not None:
        keep = pl.concat([keep, kept.select(dims)]).unique()
    if forced is not None:
        keep = keep.join(forced.select(dims), on=dims, how="anti")
    time = dims[0]
    year = p.inner[time].str.slice(0, 4).min() if p.inner.height else None
    totals = (p.inner.group_by("district").agg(pl.col("count").sum())
              .sort("count", "district"))
    out = set(totals.filter((pl.col("count") >= 1)
                            & (pl.col("count") < p.policy.threshold))["district"])
    if forced is not None and year is not None:
        out |= set(forced.filter((pl.col(time) == year) & (pl.col("district") != "_T"))
                   ["district"])
    first_out = set(out)
    candidates = [d for d in totals["district"] if d not in out]
    # the yearly total stays a cell like any other (published where another problem
    # publishes it): a left-out district's quarters add up to it, unknown to the reader;
    # what an earlier release published stays published (the reader holds it)
    codes = [c for c in p.hierarchies[time].codes() if c not in (year, "_T")]
    before = (kept.select(dims) if kept is not None
              else pl.DataFrame(schema={d: pl.String for d in dims}))
    while True:
        left_out = pl.DataFrame([(c, d) for d in sorted(out) for c in codes],
                                schema={time: pl.String, "district": pl.String},
                                orient="row").join(before, on=dims, how="anti")
        marks = pl.concat([m for m in (p.never_published, left_out) if m is not None])
        try:
            res = protect(p.inner, p.hierarchies, None, p.policy, forced,
                          never_published=marks,
                          never_hide=keep.join(left_out, on=dims, how="anti"),
                          unpublished_confidential=True)
            res.summary["districts_left_out"] = len(out)
            return res
        except ProtectionError:
            national = pl.concat([keep.filter(pl.col("district") == "_T"), before]).unique()
            if candidates:
                out.add(candidates.pop(0))
            elif national.height < keep.height:  # last: district totals may be hidden too
                keep, out = national, set(first_out)
                candidates = [d for d in totals["district"] if d not in out]
            else:
                raise


def _below(cells: pl.DataFrame, tops: pl.DataFrame, hierarchies: dict[str, Hierarchy]
           ) -> pl.DataFrame:
    """Cells under one of ``tops`` in the dimensions where that top is a total (``_T``); in a
    dimension with a single code (the year of a yearly problem) its total is the same cell."""
    dims = list(hierarchies)
    parts = []
    for top in tops.iter_rows(named=True):
        cond = pl.lit(False)
        for d in dims:
            if top[d] == "_T":
                cond = cond | (pl.col(d) != "_T")
        for d in dims:
            if top[d] == "_T":
                continue
            same = [top[d], "_T"] if len(hierarchies[d].leaves()) == 1 else [top[d]]
            cond = cond & pl.col(d).is_in(same)
        parts.append(cells.filter(cond))
    return pl.concat(parts).unique() if parts else cells.clear()


def _expand(cells: pl.DataFrame, mark: pl.DataFrame | None) -> pl.DataFrame:
    """A mark on some dimensions as the full code tuples of the ``cells`` it names."""
    if mark is None or mark.height == 0:
        return cells.clear()
    return cells.join(mark, on=list(mark.columns), how="semi")


def protect_cells_codes(problem: Problem) -> pl.DataFrame:
    """Every cell of a problem with its value key (no suppression; used to force cells)."""
    from indicators.disclosure.tables import build_full_table

    table = build_full_table(problem.inner, dict(problem.hierarchies), None)
    frame = table.code_frame().with_columns(pl.Series("count", table.counts))
    return problem.to_keys(frame)


def build_problems(con, registry: Registry) -> list[Problem]:
    """All protection problems from the marts (after ``compute_all``)."""
    from indicators.warehouse import read_sql, read_table

    calendar = [r[0] for r in con.sql(read_sql("marts/calendar_months.sql")).fetchall()]
    if not calendar:
        return []
    problems = victims_problems(read_table(con, "marts.victims_cube"), calendar, registry)
    problems += support_problems(read_table(con, "marts.support_cube"), calendar, registry)
    problems += activities_problems(read_table(con, "marts.activities_cube"), calendar,
                                    registry)
    return problems


def rolling_from_published(r12: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Rolling-12-month counts of protected indicators from published counts only.

    A window is published when its 12 months are all published (it is then a sum of
    published numbers), or when it is a calendar year whose yearly count is published;
    otherwise it is NULL and flagged ``c``. ``r12``: the windows (value columns, true
    values); ``published``: protected count rows (month and year grains, NULL = hidden).
    """
    if r12.is_empty():
        return r12
    series = ["indicator", "geo", "breakdown", "breakdown_code"]
    months = published.filter(pl.col("grain") == "month").select(
        *series, month=pl.col("period"), month_value=pl.col("value"))
    years = published.filter(pl.col("grain") == "year").select(
        *series, period=pl.col("period"), year_value=pl.col("value"))
    windows = r12.with_row_index("_row")
    parts = (windows.select("_row", *series,
                            month=pl.date_ranges(pl.col("period"), pl.col("period_end"),
                                                 interval="1mo"))
             .explode("month")
             .join(months, on=[*series, "month"], how="left")
             .group_by("_row")
             .agg(n_published=pl.col("month_value").is_not_null().sum(),
                  total=pl.col("month_value").sum()))
    out = (windows.join(parts, on="_row", how="left")
           .join(years, on=[*series, "period"], how="left"))
    publishable_year = (pl.col("period").dt.month() == 1) & pl.col("year_value").is_not_null()
    value = (pl.when(pl.col("n_published") == 12).then(pl.col("total"))
             .when(publishable_year).then(pl.col("year_value"))
             .otherwise(None))
    return out.with_columns(value=value).with_columns(
        flags=pl.when(pl.col("value").is_null()).then(pl.lit(CONFIDENTIAL))
        .otherwise(pl.lit(""))).sort("_row").select(VALUE_COLUMNS)


def build_published_values(protected_cells: pl.DataFrame, registry: Registry,
                           counts: pl.DataFrame, status: pl.DataFrame, release_id: str,
                           previous: pl.DataFrame | None = None) -> pl.DataFrame:
    """``published.indicator_values``: protected counts + derived values from them.

    ``protected_cells``: KEY + status (from :func:`protect_all`); ``counts``: the internal
    count values (``marts.count_values`` in value columns, flags empty) that give periods,
    units and the counts of indicators without a disclosure rule; ``status``: month status
    from :func:`indicators.flags.month_status`; ``previous``: the previous release's
    published values (for ``r``). Suppressed counts have value NULL and flag ``c``; counts
    the protection does not cover are left out; derived values use only published counts.
    """
    open_codes = [i.code for i in registry.counts() if not i.disclosure.applies]
    free = counts.filter(pl.col("indicator").is_in(open_codes))
    guarded = counts.filter(~pl.col("indicator").is_in(open_codes)).join(
        protected_cells.select(*KEY, "status"), on=KEY, how="inner")
    guarded = guarded.with_columns(
        value=pl.when(pl.col("status") == PUBLISHED).then(pl.col("value")).otherwise(None),
        flags=pl.when(pl.col("status") == PUBLISHED).then(pl.col("flags"))
        .otherwise(pl.lit(CONFIDENTIAL)),
    ).drop("status")
    rolling = rolling_from_published(
        counts.filter(~pl.col("indicator").is_in(open_codes) & (pl.col("grain") == "r12")),
        guarded)
    published_counts = pl.concat([free.select(VALUE_COLUMNS), guarded.select(VALUE_COLUMNS),
                                  rolling.select(VALUE_COLUMNS)])
    published_counts = flag_availability(published_counts, status, family_returns(registry))
    derived = derive(published_counts, registry)
    values = pl.concat([published_counts, derived], how="vertical_relaxed")
    values = flag_revised(values, previous)
    return values.with_columns(release_id=pl.lit(release_id)).sort(
        "indicator", "grain", "period", "geo", "breakdown", "breakdown_code")
