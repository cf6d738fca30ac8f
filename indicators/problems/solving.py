"""Protect one problem: keep its headline figures (and what the last release published)
published where a pattern exists, drop the breakdown of a status too small to break down,
leave out districts of a district x time problem (see :func:`protect_leaving_out_districts`).
"""

from __future__ import annotations

from functools import cache

import polars as pl

from indicators.disclosure import Hierarchy, ProtectionError, protect
from indicators.disclosure.tables import build_full_table
from indicators.problems.model import PUBLISHED, Problem
from indicators.registry import load_registry
from indicators.registry.problem_declarations import headline_monthly

# Headline figures: never chosen as secondary suppressions when >= k (national yearly totals
# of every protected indicator, national quarterly and monthly totals of those declared in
# registry/problems.toml: persons signalled).
HEADLINE_MONTHLY = headline_monthly()


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


@cache
def _share_numerators() -> pl.DataFrame:
    """(indicator, breakdown, breakdown_code) of the numerators of the registry's shares
    (e.g. THB_SIGNALLED, sex, F: women and girls among persons signalled)."""
    rows = [(ind.base, ind.numerator[0], code) for ind in load_registry().derived()
            if ind.method == "share" and ind.base and ind.numerator
            for code in ind.numerator[1]]
    return pl.DataFrame(rows, schema=["indicator", "breakdown", "breakdown_code"],
                        orient="row").unique()


def is_share_numerator() -> pl.Expr:
    """National yearly numerators of the published shares (women and girls, minors,
    foreign citizens, ...): kept published after the headline figures where a pattern
    exists, so that the share is published. Without this mark the engine hides the cheapest
    complement of small cells: beside 1 .. k-1 persons of other or unknown sex, the smaller
    of women and men, and the share of women and girls is then suppressed."""
    numerators = _share_numerators()
    national = (pl.col("geo") == "PT") & (pl.col("grain") == "year")
    return national & pl.struct("indicator", "breakdown", "breakdown_code").is_in(
        numerators.to_struct().implode())


def _dropped_before(p: Problem, every: pl.DataFrame, probe: pl.DataFrame,
                    absent: pl.DataFrame | None) -> pl.DataFrame | None:
    """The breakdowns the last release dropped (see :func:`protect_problem`): under a headline
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


def protect_problem(p: Problem, forced: pl.DataFrame | None, kept: pl.DataFrame | None = None,
             changed: pl.DataFrame | None = None, absent: pl.DataFrame | None = None,
             levels: pl.DataFrame | None = None):
    """Protect one problem keeping its headline cells published.

    ``kept``: cells the last release published with the same count; first tried kept
    published with the headline and district totals (same data -> same pattern); if no
    pattern keeps them all, they are kept alone (a headline cell they did not publish may be
    hidden), then (a revision ``changed`` some cells) kept cells near the changed ones are
    released step by step (those differing in 1, then 2, ... dimensions); last,
    the problem is protected afresh as below (deterministic: same inputs, same tiers, same
    result). Then tries, in order:
    headline figures, district totals and the numerators of shares kept
    (:func:`is_share_numerator`); headline and district totals; headline and numerators;
    national headline only; then, for a
    status too small to be broken down (national confirmed victims of a year are often
    fewer than 10, all in cells of 1 to 4), that status's breakdown in this problem is not
    published (its cells never published) so that its total stays published; last, the
    plain protection (no pattern keeps them).

    ``levels``: the protection levels of revised cells (:mod:`indicators.problems.revisions`),
    in every try: such a cell is hidden whatever the tiers say."""
    dims = list(p.hierarchies)
    probe = protect_cells_codes(p)
    big = probe.filter(pl.col("count") >= p.policy.threshold)
    headline, district, share = is_headline(), is_district_total(), is_share_numerator()
    tiers = [big.filter(headline | district | share), big.filter(headline | district),
             big.filter(headline | share), big.filter(headline)]
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
            res = protect(p.inner, p.hierarchies, None, p.policy, forced, levels=levels,
                          never_published=p.never_published if dropped is None else dropped,
                          never_hide=keep, unpublished_confidential=(
                              p.unpublished_confidential or dropped is not None))
            res.summary["previous_pattern_kept"] = keep.height
            return res
        except ProtectionError:
            continue
    for keep in _distinct(tiers):
        if keep.height == 0:
            continue
        try:
            return protect(p.inner, p.hierarchies, None, p.policy, forced, levels=levels,
                           never_published=p.never_published, never_hide=keep,
                           unpublished_confidential=p.unpublished_confidential)
        except ProtectionError:
            continue
    plain = protect(p.inner, p.hierarchies, None, p.policy, forced, levels=levels,
                    never_published=p.never_published,
                    unpublished_confidential=p.unpublished_confidential)
    lost = _lost_headline(p, plain, tiers[-1], levels)
    if tiers[-1].height == 0 or lost.height == 0:
        return plain
    # smallest status first: drop as few breakdowns as needed
    for n in range(1, lost.height + 1):
        unpublished = pl.concat([_below(every, lost.head(n), p.hierarchies),
                                 _expand(every, p.never_published)])
        for keep in _distinct(tiers[2:]):  # the headline, with the shares' numerators first
            try:
                # the dropped breakdown stays derivable from its sibling statuses (signalled
                # - presumed - not confirmed): its small cells stay confidential, unpublished
                return protect(p.inner, p.hierarchies, None, p.policy, forced, levels=levels,
                               never_published=unpublished, never_hide=keep,
                               unpublished_confidential=True)
            except ProtectionError:
                continue
    return plain


def _lost_headline(p: Problem, plain, headline: pl.DataFrame,
                   levels: pl.DataFrame | None) -> pl.DataFrame:
    """The ``headline`` cells the ``plain`` protection does not publish, smallest first,
    without the revised ones (hidden whatever breakdown is dropped)."""
    dims = list(p.hierarchies)
    lost = (p.to_keys(plain.cells).filter(is_headline() & (pl.col("status") != PUBLISHED))
            .sort(["count", *dims]).select(dims).unique(maintain_order=True)
            .join(headline, on=dims, how="semi", maintain_order="left"))
    if levels is not None:
        lost = lost.join(levels.select(dims), on=dims, how="anti", maintain_order="left")
    return lost


def _distinct(tiers: list[pl.DataFrame]) -> list[pl.DataFrame]:
    """The tiers in order, each once (a problem without district totals or shares has
    equal tiers: one protection each is enough)."""
    out: list[pl.DataFrame] = []
    for tier in tiers:
        tier = tier.sort(tier.columns)
        if not any(tier.equals(o) for o in out):
            out.append(tier)
    return out


def protect_leaving_out_districts(p: Problem, forced: pl.DataFrame | None,
                                   kept: pl.DataFrame | None,
                                   levels: pl.DataFrame | None = None):
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
    while it was current pin the last quarter, so the last resort hides district totals.
    ``levels``: the protection levels of revised cells (hidden in every try)."""
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
            res = protect(p.inner, p.hierarchies, None, p.policy, forced, levels=levels,
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
    table = build_full_table(problem.inner, dict(problem.hierarchies), None)
    frame = table.code_frame().with_columns(pl.Series("count", table.counts))
    return problem.to_keys(frame)


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
