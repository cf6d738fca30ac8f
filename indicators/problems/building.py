"""Protection problems from their declarations (``indicators/registry/problems.toml``): one
generic builder for every indicator family; the registry file says what each key means."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import polars as pl

from indicators.contract import Contract, load_contract
from indicators.disclosure import Hierarchy, Policy
from indicators.problems.calendar import (
    complete_quarters,
    full_years,
    month_hierarchy,
    quarter_hierarchy,
    quarters_of,
    year_to_date_at_quarters,
    years_of,
)
from indicators.problems.model import Problem, policy_for
from indicators.problems.value_keys import CITIZENSHIP_GROUP, ValueKeys
from indicators.registry import Registry
from indicators.registry.problem_declarations import (
    SMALL_QUARTERLY_SPLIT,
    Declarations,
    ProblemDeclaration,
    load_declarations,
)

TIME_DIMENSION = {"month": "month", "quarter": "quarter", "complete_quarter": "quarter",
                  "year": "year"}
PERIOD_CODE = {
    "month": pl.col("period").dt.strftime("%Y-%m"),
    "quarter": pl.col("period").dt.strftime("%Y-Q") + pl.col("period").dt.quarter().cast(
        pl.String),
    "year": pl.col("period").dt.strftime("%Y"),
}


def indicators_by_code(registry: Registry, family: str, column: str) -> dict[str, str]:
    """Codes of ``column`` (a leaf, or a group of the registry's hierarchy) that are the whole
    ``filter`` of a protected count indicator of ``family`` on that column -> the indicator
    (e.g. ``presumed`` -> ``THB_PRESUMED``, ``MIGRATION`` -> ``EEA_MIGRANTS_ASSISTED``)."""
    hierarchy = registry.hierarchies.get(column, {})
    groups = {frozenset(c for c, g in hierarchy.items() if g == group): group
              for group in set(hierarchy.values())}
    out: dict[str, str] = {}
    for ind in registry.counts(family):
        codes = ind.filter.get(column)
        if not ind.disclosure.applies or not codes:
            continue
        if len(codes) == 1:
            out[codes[0]] = ind.code
        elif frozenset(codes) in groups:
            out[groups[frozenset(codes)]] = ind.code
    return out


@dataclass(frozen=True)
class _Context:
    """What every problem of one declaration shares."""

    decl: ProblemDeclaration
    declarations: Declarations
    registry: Registry
    contract: Contract

    @property
    def return_type(self) -> str:
        return self.registry.get(self.decl.indicator).source_return

    @property
    def family(self) -> str:
        return self.registry.get(self.decl.indicator).family

    def column(self, dim: str) -> str:
        """The cube column a dimension is read from (or split out of)."""
        spec = self.declarations.dimensions.get(dim)
        if spec is None:
            return dim
        return spec.of or spec.column or dim


def _rows(cube: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """The indicator's rows of the cube (its ``filter``, except on the split dimension's
    column), with the declared dimensions renamed or split out and the period codes."""
    split_column = ctx.column(ctx.decl.split) if ctx.decl.split else None
    for column, codes in ctx.registry.get(ctx.decl.indicator).filter.items():
        if column != split_column:
            cube = cube.filter(pl.col(column).is_in(list(codes)))
    for dim in ctx.decl.dimensions:
        spec = ctx.declarations.dimensions.get(dim)
        if spec is not None and spec.of is not None:
            members = [c for c, g in ctx.registry.hierarchies[spec.of].items()
                       if g == spec.group]
            cube = cube.with_columns(pl.when(pl.col(spec.of).is_in(members))
                                     .then(pl.lit(spec.group)).otherwise(pl.lit(spec.rest))
                                     .alias(dim))
        elif spec is not None and spec.column is not None:
            cube = cube.rename({spec.column: dim})
    time = TIME_DIMENSION[ctx.decl.time]
    cube = cube.with_columns(PERIOD_CODE[time].alias(time))
    return cube


def _citizenship(rows: pl.DataFrame) -> Hierarchy:
    """Countries of citizenship found in ``rows`` under their group (``GROUP_<code>``),
    sorted: the hierarchy's code order numbers the cells, and the pattern follows it."""
    countries = (rows.select("citizenship", "citizenship_group").unique()
                 .sort("citizenship"))
    parents = {}
    for iso, grp in countries.iter_rows():
        parents[iso] = f"{CITIZENSHIP_GROUP}{grp}"
        parents[f"{CITIZENSHIP_GROUP}{grp}"] = "_T"
    return Hierarchy("citizenship", parents)


def _hierarchy(dim: str, rows: pl.DataFrame, ctx: _Context) -> Hierarchy:
    spec = ctx.declarations.dimensions.get(dim)
    if spec is not None and spec.of is not None:
        return Hierarchy.flat(dim, [spec.group, spec.rest])
    if dim == "district":
        return Hierarchy.flat(dim, ctx.contract.geo_codes)
    if dim == "citizenship":
        return _citizenship(rows)
    column = ctx.column(dim)
    codes = (ctx.contract.citizenship_groups if dim == "citizenship_group"
             else ctx.contract.allowed_codes(column, ctx.return_type))
    return Hierarchy(dim, ctx.registry.parents(column, codes))


def _value_keys(ctx: _Context) -> ValueKeys:
    decl = ctx.decl
    split = ({**indicators_by_code(ctx.registry, ctx.family, ctx.column(decl.split)),
              "_T": decl.indicator} if decl.split else {})
    groups = (indicators_by_code(ctx.registry, ctx.family, ctx.column(decl.breakdown))
              if decl.breakdown else {})
    return ValueKeys(time=TIME_DIMENSION[decl.time],
                     complete_quarters=decl.time == "complete_quarter",
                     indicator=decl.indicator, split=decl.split, split_indicators=split,
                     geo=decl.geo, breakdown=decl.breakdown, group_indicators=groups)


def _publishes(ctx: _Context) -> bool:
    """The indicator has a disclosure rule and publishes the declared breakdown."""
    ind = ctx.registry.get(ctx.decl.indicator)
    published = ind.district_breakdowns if ctx.decl.geo else ind.breakdowns
    return ind.disclosure.applies and (ctx.decl.breakdown in (None, *published))


def _never_published(decl: ProblemDeclaration, time_codes: list[str],
                     inner: pl.DataFrame, hierarchies: dict[str, Hierarchy], policy: Policy
                     ) -> pl.DataFrame | None:
    """The declared never-published cells of one problem."""
    never = decl.never_published
    if isinstance(never, dict):
        return pl.DataFrame({d: list(codes) for d, codes in never.items()})
    if never != SMALL_QUARTERLY_SPLIT:
        return None
    # the quarterly split of a year where a split code is small in a quarter (national
    # confirmed victims per quarter are often 1 to 4): never published, the split is then
    # published by year only, rather than hiding other national totals to protect it
    small = inner.filter((pl.col("count") >= 1) & (pl.col("count") < policy.threshold))
    if small.is_empty():
        return None
    time = TIME_DIMENSION[decl.time]
    return pl.DataFrame(list(product(time_codes, hierarchies[decl.split].leaves())),
                        schema={time: pl.String, decl.split: pl.String}, orient="row")


def _incomplete_year(year: str, time: str, others: dict[str, Hierarchy]) -> pl.DataFrame:
    """The totals of a year not complete yet (they grow every month): never published."""
    return pl.DataFrame(list(product((year, "_T"), *(h.leaves() for h in others.values()))),
                        schema={time: pl.String, **{d: pl.String for d in others}},
                        orient="row")


def _time_periods(decl: ProblemDeclaration, calendar: list[str]
                  ) -> list[tuple[str, Hierarchy, list[str], bool]]:
    """(year, time hierarchy, its inner time codes, year complete) of each problem."""
    out = []
    for year, months in years_of(calendar).items():
        if decl.time == "month":
            out.append((year, month_hierarchy(months), months, True))
        elif decl.time == "quarter":
            quarters = quarters_of(months)
            out.append((year, quarter_hierarchy(year, quarters), quarters, True))
        elif decl.time == "complete_quarter":
            quarters = complete_quarters(months)
            if quarters:
                time = quarter_hierarchy(year, quarters).with_sums(
                    year_to_date_at_quarters(quarters))
                out.append((year, time, quarters, len(months) == 12 and len(quarters) == 4))
        elif year in full_years(calendar):
            out.append((year, Hierarchy.flat("year", [year]), [year], True))
    return out


def declared_problems(decl: ProblemDeclaration, cube: pl.DataFrame, calendar: list[str],
                      registry: Registry, declarations: Declarations) -> list[Problem]:
    """The problems of one declaration: one per calendar year (complete years for ``year``)."""
    ctx = _Context(decl, declarations, registry, load_contract())
    if not _publishes(ctx):
        return []
    periods = _time_periods(decl, calendar)
    time = TIME_DIMENSION[decl.time]
    rows = _rows(cube, ctx)
    if decl.time == "year":
        rows = rows.filter(pl.col("year").is_in([year for year, *_ in periods]))
    others = {d: _hierarchy(d, rows, ctx) for d in decl.order}
    if any(not h.parents for h in others.values()):
        return []
    inner = rows.group_by(time, *decl.dimensions).agg(pl.col("count").sum())
    policy, to_keys = policy_for(registry, decl.indicator), _value_keys(ctx)
    problems = []
    for year, time_h, codes, complete in periods:
        part = inner.filter(pl.col(time).str.starts_with(year) if decl.time in (
            "month", "quarter") else pl.col(time).is_in(codes))
        hierarchies = {time: time_h, **others}
        never = (_incomplete_year(year, time, others) if decl.time == "complete_quarter"
                 and not complete else _never_published(decl, codes, part, hierarchies, policy))
        problems.append(Problem(
            f"{decl.name}_{year}", part, hierarchies, to_keys, policy, never_published=never,
            unpublished_confidential=decl.time == "complete_quarter",
            districts_left_out=decl.districts_left_out))
    return problems


def cube_problems(cube_name: str, cube: pl.DataFrame, calendar: list[str],
                  registry: Registry) -> list[Problem]:
    """Every declared problem of one mart, in the order of the declarations."""
    declarations = load_declarations(registry)
    return [p for decl in declarations.problems if decl.cube == cube_name
            for p in declared_problems(decl, cube, calendar, registry, declarations)]


def build_problems(con, registry: Registry) -> list[Problem]:
    """All protection problems from the marts (after ``compute_all``), in the order of the
    declarations (a district x time problem follows what the problems before it hid)."""
    from indicators.warehouse import read_sql, read_table

    calendar = [r[0] for r in con.sql(read_sql("marts/calendar_months.sql")).fetchall()]
    if not calendar:
        return []
    declarations = load_declarations(registry)
    cubes: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    for decl in declarations.problems:
        if decl.cube not in cubes:
            cubes[decl.cube] = read_table(con, decl.cube)
        problems += declared_problems(decl, cubes[decl.cube], calendar, registry, declarations)
    return problems
