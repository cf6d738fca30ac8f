"""Protect every problem together: cells shared by several problems are hidden in all of them
when one hides them, and what the last release hid (published) with the same count stays
hidden (published)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from indicators.disclosure.protection import UNPUBLISHED
from indicators.problems.model import KEY, PUBLISHED, Problem
from indicators.problems.revisions import known_values, revision_levels
from indicators.problems.solving import (
    protect_cells_codes,
    protect_leaving_out_districts,
    protect_problem,
)

if TYPE_CHECKING:
    from indicators.protection_cache import FrameTexts, ProtectionCache

@dataclass
class ProtectedCounts:
    """Protected counts mapped to indicator value keys, with per-problem summaries."""

    cells: pl.DataFrame        # KEY + count + status (published / primary / secondary)
    summaries: dict[str, dict]
    audits: dict[str, object]
    every: pl.DataFrame | None = None  # every problem's status of its cells (before merging)

    def merged(self, leave_out_unpublished: bool) -> pl.DataFrame:
        """The release's cells from :attr:`every` under :func:`one_status_per_key`'s rule."""
        assert self.every is not None
        return one_status_per_key(self.every, leave_out_unpublished).sort(KEY)


def protect_all(problems: list[Problem], previous: pl.DataFrame | None = None,
                max_rounds: int = 5,
                progress: Callable[[int, str, dict], None] | None = None,
                cache: ProtectionCache | None = None,
                earlier: list[pl.DataFrame] | None = None) -> ProtectedCounts:
    """Protect every problem; make shared cells consistent (hidden anywhere -> everywhere).

    ``previous``: the previous release's protected cells (KEY + count + status); its hidden
    cells whose count is unchanged stay hidden. ``progress(round, name, summary)`` is called
    after each problem. ``cache``: results of earlier protections by the digest of their
    full input (:mod:`indicators.protection_cache`); a problem whose input did not change
    reuses its result instead of being solved again. ``earlier``: what every earlier
    publication told a reader (KEY + ``value``, or KEY + ``low`` + ``high``: see
    :func:`indicators.problems.revisions.known_values`): a count a revision moved out of it
    by fewer than k persons is protected as a revision (:mod:`indicators.problems.revisions`).
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
    texts = _texts(cache)
    if texts is not None:  # the problems' cells, written in one batch per schema
        texts.prepare([p.inner for p in problems])
    keys = _ProbeKeys(problems, probes, published_before, has_previous,
                      protect_cells_codes if cache is None else
                      lambda p: cache.probe(p, texts))
    known = known_values(earlier, list(KEY))
    levels = {i: revision_levels(probes[i], known, list(p.hierarchies), list(KEY),
                                 p.policy.threshold) for i, p in enumerate(problems)}
    for round_no in range(1, max_rounds + 1):
        relevant = keys.relevant(pending, forced)
        if texts is not None:  # the cache keys' frames, written in one batch per schema
            texts.prepare([f for i in pending for f in (
                problems[i].inner, probes[i], problems[i].never_published,
                *(relevant[i] or ()))])
        for i in pending:
            p = problems[i]
            # a district x time problem follows the district totals the problems before it
            # in this round hid (see protect_leaving_out_districts)
            if p.districts_left_out and results:
                marks = pl.concat([forced, _hidden_cells(results)]).unique([*KEY, "count"])
                relevant[i] = keys.of(i, marks)
            res, results[p.name] = _protect_cached(p, probes[i], relevant[i], cache, texts,
                                                   levels[i])
            summaries[p.name] = res.summary
            audits[p.name] = res.audit
            if progress is not None:
                progress(round_no, p.name, res.summary)
        hidden = _hidden_cells(results)
        # A forced cell binds only while its count is the same: a previous release's hidden
        # cell whose count a revision changed is protected afresh (matching on the key alone
        # never converged after such a revision).
        new_forced = pl.concat([hidden, forced]).unique([*KEY, "count"])
        pending = _clashing(problems, results, new_forced)
        forced = new_forced
        if not pending:
            break
    else:
        raise RuntimeError("shared cells did not converge / células partilhadas sem convergência")
    every = pl.concat(list(results.values()))
    return ProtectedCounts(one_status_per_key(every, False).sort(KEY), summaries, audits,
                           every)


def one_status_per_key(cells: pl.DataFrame, leave_out_unpublished: bool) -> pl.DataFrame:
    """The release's status of each value key from every problem's status of it: hidden
    wins (all problems agree after convergence), then published; a cell no problem publishes
    nor hides is left out of the release.

    ``leave_out_unpublished``: a cell some problem never publishes is left out even where
    another problem publishes or hides it. That problem was protected with the cell unknown
    to the reader (at least 0): e.g. a status too small to be broken down, whose breakdown
    the district x sex x status problem drops, while the national sex x status problem
    publishes the same national cells (zeros among them) or hides them (at least 1). A
    reader holding them may know more than that protection assumed: the release-wide audit
    found national confirmed victims of unknown sex bounded inside 1 .. k-1 (sample seed 5,
    2022). Leaving them out only takes knowledge away from the reader of the problems that
    published or hid them (their intervals can only widen), so every problem's protection
    holds; the pipeline does it when the release-wide audit refuses the release without it
    (:func:`indicators.pipeline.protect_marts`), as it keeps more published values."""
    published, unpublished = pl.col("status") == PUBLISHED, pl.col("status") == UNPUBLISHED
    if leave_out_unpublished:  # never published, then hidden, then published
        rank = pl.when(unpublished).then(0).when(published).then(2).otherwise(1)
    else:  # hidden, then published, then never published
        rank = pl.when(published).then(1).when(unpublished).then(2).otherwise(0)
    return (cells.with_columns(_rank=rank).sort("_rank").unique(KEY, keep="first")
            .filter(pl.col("status") != UNPUBLISHED).drop("_rank"))


def _texts(cache: ProtectionCache | None) -> FrameTexts | None:
    if cache is None:
        return None
    from indicators.protection_cache import FrameTexts

    return FrameTexts()


def _protect_cached(p: Problem, probe: pl.DataFrame,
                    relevant: tuple[pl.DataFrame, pl.DataFrame] | None,
                    cache: ProtectionCache | None, texts: FrameTexts | None = None,
                    levels: pl.DataFrame | None = None):
    """:func:`protect_problem` with the marks :func:`_previous_marks` makes of ``relevant``
    (the rows of the forced and the published-before cells with a value key of ``p``; None
    when there is no earlier release), or its stored result when ``cache`` holds one for
    exactly this input (``probe``, the problem's cells with their value keys, stands for what
    ``to_keys`` does with them). The marks are a function of ``probe`` and ``relevant``, so
    a reused problem skips making them. ``texts``: the key's frame texts made beforehand.
    ``levels``: the protection levels of its revised cells (part of the key).
    Returns the result and its cells by value key (:func:`_keyed`, stored with the result)."""
    levels = levels if levels is not None and levels.height else None
    if cache is None:
        res = _solve(p, _marks(p, relevant, probe), levels)
        return res, _keyed(p, res)
    from indicators.protection_cache import problem_key

    key = problem_key(p, ((None, None) if relevant is None else relevant) + (levels,), probe,
                      texts)
    res = cache.get(key)
    if res is None:
        res = _solve(p, _marks(p, relevant, probe), levels)
        cache.put(key, p.name, res)
    return res, cache.keyed(key, p, res, _keyed)


def _keyed(p: Problem, res) -> pl.DataFrame:
    """A result's cells by value key: KEY + count + status, one row per key."""
    return p.to_keys(res.cells).select(*KEY, "count", "status").unique(KEY)


def _marks(p: Problem, relevant: tuple[pl.DataFrame, pl.DataFrame] | None,
           probe: pl.DataFrame) -> tuple[pl.DataFrame | None, ...]:
    if relevant is None:
        return None, None, None, None
    return _previous_marks(p, relevant[0], relevant[1], probe)


class _ProbeKeys:
    """The value keys of every problem's cells (``probes``, filled here by ``make``: the
    stored probe of an unchanged problem when there is a cache), to pick out in one join per
    round the rows of the forced and published-before cells each problem holds."""

    def __init__(self, problems: list[Problem], probes: dict[int, pl.DataFrame],
                 published_before: pl.DataFrame, has_previous: bool,
                 make: Callable[[Problem], pl.DataFrame] = protect_cells_codes) -> None:
        for i, p in enumerate(problems):
            probes.setdefault(i, make(p))
        self.has_previous = has_previous
        self.probes = probes
        self.all = pl.concat([probes[i].select(KEY).unique().with_columns(_p=pl.lit(i))
                              for i in range(len(problems))]) if problems else None
        self.published = self._split(published_before) if has_previous else {}
        self.empty = published_before.clear()

    def _split(self, frame: pl.DataFrame) -> dict[int, pl.DataFrame]:
        if self.all is None:
            return {}
        rows = self.all.join(frame, on=KEY, how="inner")
        return {i: part.drop("_p") for (i,), part in rows.partition_by("_p", as_dict=True,
                                                                      maintain_order=True).items()}

    def relevant(self, pending: list[int], forced: pl.DataFrame
                 ) -> dict[int, tuple[pl.DataFrame, pl.DataFrame] | None]:
        """Per pending problem: its rows of ``forced`` and of the published-before cells."""
        if not self.has_previous and not forced.height:
            return dict.fromkeys(pending)
        split = self._split(forced)
        return {i: (split.get(i, self.empty), self.published.get(i, self.empty))
                for i in pending}

    def of(self, i: int, forced: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        """Problem ``i``'s rows of ``forced`` and of the published-before cells."""
        if not self.has_previous and not forced.height:
            return None
        mine = forced.join(self.probes[i].select(KEY).unique(), on=KEY, how="semi")
        return mine, self.published.get(i, self.empty)


def _clashing(problems: list[Problem], results: dict[str, pl.DataFrame],
              forced: pl.DataFrame) -> list[int]:
    """Indexes of the problems that publish a cell ``forced`` hides (same count)."""
    names = list(results)
    owner = pl.Series("_n", np.repeat(np.arange(len(names), dtype=np.uint32),
                                      [r.height for r in results.values()]))
    published = (pl.concat(list(results.values())).with_columns(owner)
                 .filter(pl.col("status") == PUBLISHED))
    clash = {names[i] for i in
             published.join(forced, on=[*KEY, "count"], how="semi")["_n"].unique().to_list()}
    return [i for i, p in enumerate(problems) if p.name in clash]


def _solve(p: Problem, marks: tuple[pl.DataFrame | None, ...],
           levels: pl.DataFrame | None = None):
    """Protect ``p`` with ``marks`` (forced hidden, kept, changed, absent) and the
    protection ``levels`` of its revised cells, leaving out districts where the problem
    allows it."""
    prev_cells, kept, changed, absent = marks
    if p.districts_left_out:
        return protect_leaving_out_districts(p, prev_cells, kept, levels)
    return protect_problem(p, prev_cells, kept, changed, absent, levels)


def _hidden_cells(results: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Cells (KEY + count) some problem hides; a never-published cell is hidden in the other
    problems that contain it (a zero cannot be hidden: it is published there, and the
    release-wide audit judges)."""
    # one filter over all results (one per result cost ~85 small polars calls each time)
    return (pl.concat(list(results.values()))
            .filter((pl.col("status") != PUBLISHED)
                    & ((pl.col("status") != UNPUBLISHED) | (pl.col("count") > 0)))
            .select(*KEY, "count").unique(KEY))


def _previous_marks(p: Problem, forced: pl.DataFrame, published_before: pl.DataFrame,
                    probe: pl.DataFrame | None = None
                    ) -> tuple[pl.DataFrame | None, pl.DataFrame | None, pl.DataFrame | None,
                               pl.DataFrame | None]:
    """The cells of ``p`` forced hidden (``previous`` for ``protect``), those kept published
    (a ``never_hide`` mark): value keys of ``forced`` / ``published_before`` whose count is
    the same now (a cell forced hidden, here or by a problem sharing it, is not kept), the
    cells a revision changed, and the cells the last release left out (dimension codes).
    Only for an earlier release or forced cells (else there are no marks); ``forced`` and
    ``published_before`` may be only the rows with a value key of ``p`` (the rest joins
    nothing)."""
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
