"""Incremental protection (issue 18): a problem whose input did not change reuses its stored
result; any change of its input (cells, hierarchies, policy, marks, engine) solves it again,
and a refresh that reuses results publishes exactly what protecting from scratch publishes."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

import duckdb
import polars as pl
import pytest

from bench.steps import revise_month
from indicators import pipeline, protection_cache, warehouse
from indicators.disclosure import Hierarchy, Policy
from indicators.problems import KEY, Problem, protect_all, running
from indicators.problems.solving import protect_cells_codes, protect_problem
from indicators.problems.value_keys import ValueKeys
from indicators.protection_cache import (
    FrameTexts,
    ProtectionCache,
    load_cache,
    probe_key,
    problem_key,
    save_cache,
)
from indicators.publish import publish_release
from indicators.registry import load_registry
from tests.indicators.test_release_series import _marts_of_2021

MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]


def _keys(cells: pl.DataFrame) -> pl.DataFrame:
    return cells.with_columns(indicator=pl.lit("X"), grain=pl.lit("month"),
                              period_label=pl.col("month"), geo=pl.lit("PT"),
                              breakdown=pl.when(pl.col("sex") == "_T").then(pl.lit("_T"))
                              .otherwise(pl.lit("sex")), breakdown_code=pl.col("sex"))


def _problem(counts: list[int], threshold: int = 3) -> Problem:
    """Month (12) x sex (F, M): small counts, so that the pattern needs secondary cells."""
    inner = pl.DataFrame({"month": [m for m in MONTHS for _ in "FM"],
                          "sex": [s for _ in MONTHS for s in "FM"], "count": counts})
    return Problem("toy_2021", inner, {"month": Hierarchy.flat("month", MONTHS),
                                       "sex": Hierarchy.flat("sex", ["F", "M"])},
                   _keys, Policy(threshold=threshold))


COUNTS = [1, 9, 8, 7, 6, 2, 9, 9, 3, 8, 7, 7, 9, 1, 8, 8, 6, 9, 2, 7, 9, 9, 8, 6]


def test_the_key_changes_with_every_input_and_not_with_the_row_order():
    p = _problem(COUNTS)
    marks = (None, None, None, None)
    key = problem_key(p, marks)
    assert problem_key(_problem(COUNTS), marks) == key
    shuffled = replace(p, inner=p.inner.sample(fraction=1.0, shuffle=True, seed=3))
    assert problem_key(shuffled, marks) == key
    changed = problem_key(_problem([2, *COUNTS[1:]]), marks)
    policy = problem_key(_problem(COUNTS, threshold=4), marks)
    order = problem_key(replace(p, hierarchies={
        "month": p.hierarchies["month"], "sex": Hierarchy.flat("sex", ["M", "F"])}), marks)
    columns = problem_key(replace(p, inner=p.inner.select("sex", "month", "count")), marks)
    never = problem_key(replace(p, never_published=pl.DataFrame({"sex": ["F"]})), marks)
    hidden = pl.DataFrame({"month": ["2021-01"], "sex": ["M"], "count": [9],
                           "status": ["secondary"]})
    forced = problem_key(p, (hidden, None, None, None))
    kept = problem_key(p, (None, hidden.select("month", "sex"), None, None))
    renamed = problem_key(replace(p, name="toy_2022"), marks)
    relabelled = problem_key(replace(p, to_keys=lambda cells: _keys(cells).with_columns(
        indicator=pl.lit("Y"))), marks)
    keys = [key, changed, policy, order, columns, never, forced, kept, renamed, relabelled]
    assert len(set(keys)) == len(keys)


def test_keys_from_frame_texts_made_in_one_batch_are_the_keys_made_one_by_one():
    # several problems and marks of one schema are written together (one sort and one CSV
    # per schema); the key must not depend on it, nor on a value holding a line break
    problems = [_problem(COUNTS), _problem([2, *COUNTS[1:]]),
                replace(_problem(COUNTS), inner=_problem(COUNTS).inner.sample(
                    fraction=1.0, shuffle=True, seed=5)),
                replace(_problem(COUNTS), never_published=pl.DataFrame({"sex": ["F"]}))]
    hidden = pl.DataFrame({"month": ["2021-01", "2021-02", None], "sex": ["M", "F", "F"],
                           "count": [9, None, 0], "status": ["secondary", "x,\"y\"", ""]})
    odd = hidden.with_columns(status=pl.lit("two\nlines"))
    marks = [(hidden, None, None, None), (hidden.head(1), hidden.clear(), None, None),
             (None, None, None, None), (odd, hidden, None, None)]
    texts = FrameTexts()
    texts.prepare([f for p, m in zip(problems, marks, strict=True)
                   for f in (p.inner, p.never_published, *m)])
    for p, m in zip(problems, marks, strict=True):
        assert problem_key(p, m, texts=texts) == problem_key(p, m)
    assert len({problem_key(p, m, texts=texts)
                for p, m in zip(problems, marks, strict=True)}) == len(problems)


def test_the_key_changes_with_the_engine(monkeypatch):
    p = _problem(COUNTS)
    before = problem_key(p, (None, None, None, None))
    monkeypatch.setattr(protection_cache, "engine_version", lambda: "another engine")
    assert problem_key(p, (None, None, None, None)) != before


def _rule_problem(counts: list[int]) -> Problem:
    """The toy problem with a declared value-key rule (a ValueKeys, as every built problem)."""
    return replace(_problem(counts), to_keys=ValueKeys(time="month", complete_quarters=False,
                                                       indicator="X", breakdown="sex"))


def test_a_value_key_probe_is_stored_in_the_warehouse_and_made_again_only_when_it_changed(
        monkeypatch):
    p = _rule_problem(COUNTS)
    fresh = protect_cells_codes(p)
    con = duckdb.connect()
    cache = load_cache(con)
    assert cache.probe(p).equals(fresh)
    save_cache(con, cache)

    made: list[str] = []

    def counting(problem):
        made.append(problem.name)
        return protect_cells_codes(problem)

    monkeypatch.setattr("indicators.problems.protect_cells_codes", counting)
    stored = load_cache(con)
    shuffled = replace(p, inner=p.inner.sample(fraction=1.0, shuffle=True, seed=3))
    for same in (p, shuffled):  # the cells as a set, like the dense cube
        reused = stored.probe(same)
        assert reused.sort(reused.columns).equals(fresh.sort(fresh.columns))
        assert reused.schema == fresh.schema
    assert made == []
    revised = _rule_problem([2, *COUNTS[1:]])
    other_rule = replace(p, to_keys=replace(p.to_keys, indicator="Y"))
    for changed in (revised, other_rule):
        assert stored.probe(changed).equals(protect_cells_codes(changed))
    assert made == ["toy_2021", "toy_2021"]
    assert len({probe_key(q) for q in (p, revised, other_rule)}) == 3
    # a rule that is not a declared ValueKeys (any function) is never stored
    assert probe_key(_problem(COUNTS)) is None
    stored.probe(_problem(COUNTS))
    assert made == ["toy_2021"] * 3


def test_an_unchanged_problem_is_not_solved_again_and_a_changed_one_is(monkeypatch):
    cache = ProtectionCache()
    first = protect_all([_problem(COUNTS)], cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert (first.cells["status"] != "published").sum() > 2   # primary and secondary cells

    def no_solving(*args, **kwargs):
        raise AssertionError("solved again although its input did not change")

    with monkeypatch.context() as patch:
        patch.setattr(running, "protect_problem", no_solving)
        again = protect_all([_problem(COUNTS)], cache=cache)
    assert cache.hits == 1
    assert again.cells.equals(first.cells)
    assert again.summaries == first.summaries
    assert again.audits["toy_2021"].ok

    revised = _problem([1, 9, 8, 7, 6, 2, 9, 9, 3, 8, 7, 7, 9, 1, 8, 8, 6, 9, 2, 7, 9, 9, 8, 1])
    from_cache = protect_all([revised], cache=cache)
    assert (cache.hits, cache.misses) == (1, 2)
    scratch = protect_all([revised])
    assert from_cache.cells.equals(scratch.cells)
    assert not from_cache.cells.equals(first.cells)


def test_with_an_earlier_release_only_the_problems_own_cells_of_it_decide_reuse():
    """The key holds the earlier release's rows with the problem's value keys: another
    indicator's cells do not make it solve again, a revised count of its own cell does, and
    what the cache returns is what protecting from scratch gives."""
    problem = _problem(COUNTS)
    previous = protect_all([problem]).cells
    other = previous.head(3).with_columns(indicator=pl.lit("Y"), count=pl.col("count") + 1)
    cache = ProtectionCache()
    first = protect_all([problem], previous=previous, cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    protect_all([problem], previous=pl.concat([previous, other]), cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    hidden = previous.filter(pl.col("status") != "published").head(1).select(KEY)
    revised = previous.with_columns(
        count=pl.when(pl.struct(KEY).is_in(hidden.to_struct().implode()))
        .then(pl.col("count") + 5).otherwise(pl.col("count")))
    again = protect_all([problem], previous=revised, cache=cache)
    assert (cache.hits, cache.misses) == (1, 2)
    assert again.cells.equals(protect_all([problem], previous=revised).cells)
    assert first.cells.equals(protect_all([problem], previous=previous).cells)


def test_the_stored_entries_round_trip_and_only_used_ones_are_kept(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    cache = protection_cache.load_cache(con)
    assert cache.entries == {}
    solved = protect_all([_problem(COUNTS)], cache=cache)
    protection_cache.save_cache(con, cache)
    stored = protection_cache.load_cache(con)
    assert len(stored.entries) == 1
    again = protect_all([_problem(COUNTS)], cache=stored)
    assert (stored.hits, stored.misses) == (1, 0)
    assert again.cells.equals(solved.cells)
    later = protection_cache.load_cache(con)   # the next protection uses another input only
    protect_all([_problem([3, *COUNTS[1:]])], cache=later)
    protection_cache.save_cache(con, later)
    assert con.sql("SELECT count(*) FROM protected.problem_cache").fetchall()[0][0] == 1
    assert protection_cache.load_cache(con).entries.keys() == later.used != stored.used


def _protect(settings, registry, previous, caplog) -> tuple[pipeline.ProtectedRelease,
                                                             pl.DataFrame, tuple[int, int]]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="indicators.pipeline"), \
            warehouse.connect(settings.warehouse_path) as con:
        protected = pipeline.protect_marts(con, registry, previous, settings.data_dir)
        cells = con.sql("SELECT * FROM protected.cells").pl()
    found = re.search(r"(\d+) reused unchanged, (\d+) solved", caplog.text)
    assert found, caplog.text
    return protected, cells, (int(found[1]), int(found[2]))


def _same(a: pl.DataFrame, b: pl.DataFrame, key: list[str]) -> None:
    a, b = a.sort(key), b.sort(key)
    assert a.equals(b), a.join(b, on=key, how="full").filter(
        pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_right"))
                          for c in a.columns if c not in key))


def test_a_refresh_reusing_results_publishes_what_protecting_from_scratch_does(settings,
                                                                              caplog):
    registry = load_registry()
    _marts_of_2021(settings, registry)
    previous = None
    for _ in range(2):   # two releases: the second binds every problem to the first
        protected, _, _ = _protect(settings, registry, previous, caplog)
        assert protected.audit_ok
        with warehouse.connect(settings.warehouse_path) as con:
            pipeline.store_protected(con, protected)
            pipeline.keep_published_cells(con)
        previous = protected.indicator_values

    revise_month(settings, "2021-11", "rev3")   # one changed return (a count + 3)
    assert pipeline.ingest(settings).loaded
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.refresh_months(con, date(2021, 11, 1), date(2021, 11, 1))
        pipeline.compute_marts(con, registry)
    incremental, inc_cells, (reused, solved) = _protect(settings, registry, previous, caplog)
    assert reused > 0 and solved > 0, (reused, solved)
    with warehouse.connect(settings.warehouse_path) as con:
        con.execute("DELETE FROM protected.problem_cache")
    scratch, scratch_cells, counts = _protect(settings, registry, previous, caplog)
    assert counts == (0, reused + solved)
    assert incremental.audit_ok and scratch.audit_ok
    assert incremental.audit_failures == scratch.audit_failures
    _same(incremental.indicator_values, scratch.indicator_values, KEY)
    _same(incremental.eea_results, scratch.eea_results,
          [c for c in scratch.eea_results.columns if c in ("indicator", "reporting_period",
                                                         "breakdown", "breakdown_code")])
    _same(inc_cells, scratch_cells, KEY)
    assert (previous.join(incremental.indicator_values, on=KEY)
            .filter(pl.col("value").ne_missing(pl.col("value_right"))).height) > 0

    # the cache stays in the warehouse: the release holds neither the table nor a digest
    with warehouse.connect(settings.warehouse_path) as con:
        pipeline.store_protected(con, incremental)
        digests = [r[0] for r in con.sql("SELECT digest FROM protected.problem_cache")
                   .fetchall()]
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        release = publish_release(settings, pipeline.load_protected(con, settings.data_dir),
                                  registry)
    assert digests
    published = duckdb.connect(str(release.path), read_only=True)
    try:
        tables = published.sql("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        assert not [t for t in tables if "cache" in t[1]], tables
        text = "\n".join(str(row) for schema, table in tables
                         for row in published.sql(f'SELECT * FROM "{schema}"."{table}"')
                         .fetchall())
    finally:
        published.close()
    assert not [d for d in digests if d in text or d[:12] in text]


@pytest.mark.parametrize("bad", ["failures", "not ok"])
def test_a_result_whose_audit_failed_is_never_stored(bad):
    from indicators.disclosure import ProtectionResult

    p = _problem(COUNTS)
    cache = ProtectionCache()
    result = protect_all([p]).audits["toy_2021"]
    if bad == "failures":
        result = replace(result, failures=[object()])
    else:
        result = replace(result, ok=False)
    cache.put("k", p.name, ProtectionResult(pl.DataFrame({"count": [1]}), result, {}))
    assert cache.entries == {} and cache.used == set()


def test_a_reused_result_keeps_its_cells_by_value_key_without_mapping_them_again(
        monkeypatch):
    con = duckdb.connect()
    # a warehouse from before the stored value keys: the column is added on first use
    con.execute("CREATE SCHEMA protected; CREATE TABLE protected.problem_cache (digest VARCHAR "
                "NOT NULL, problem VARCHAR NOT NULL, cells BLOB NOT NULL, summary VARCHAR NOT "
                "NULL, audit VARCHAR, intervals BLOB, engine VARCHAR NOT NULL)")
    cache = load_cache(con)
    first = protect_all([_rule_problem(COUNTS)], cache=cache)
    save_cache(con, cache)
    assert con.execute("SELECT count(*) FROM protected.problem_cache "
                       "WHERE keyed IS NOT NULL").fetchall()[0][0] == 1

    def no_mapping(self, cells):
        raise AssertionError("a reused result was mapped to value keys again")

    stored = load_cache(con)
    with monkeypatch.context() as patch:
        patch.setattr(ValueKeys, "__call__", no_mapping)
        again = protect_all([_rule_problem(COUNTS)], cache=stored)
    assert stored.hits == 1
    assert again.cells.equals(first.cells)
    assert again.cells.equals(protect_all([_rule_problem(COUNTS)]).cells)


def test_a_stored_result_decodes_to_the_frames_that_were_stored(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    cache = protection_cache.load_cache(con)
    solved = protect_all([_problem(COUNTS)], cache=cache)
    (key,) = cache.used
    protection_cache.save_cache(con, cache)
    stored = protection_cache.load_cache(con).get(key)
    fresh = protect_problem(_problem(COUNTS), None)
    assert stored is not None and stored.audit is not None and stored.audit.ok
    assert stored.cells.equals(fresh.cells)
    assert stored.published().equals(fresh.published())
    assert stored.audit.intervals.equals(fresh.audit.intervals)
    assert stored.summary["secondary"] == solved.summaries[_problem(COUNTS).name]["secondary"]
