"""The release-wide audit reuses the bounds of a component whose model did not change."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import polars as pl
import pytest

from indicators import release_audit, release_audit_cache
from indicators.derived_values import VALUE_SCHEMA
from indicators.registry import load_registry
from indicators.release_audit import audit_release
from indicators.release_audit_cache import BoundsCache, load_bounds, save_bounds

REGISTRY = load_registry()
SCHEMA = VALUE_SCHEMA


def row(year: int, value: float | None, code: str = "_T") -> dict:
    return {"indicator": "THB_SIGNALLED", "grain": "year", "period": date(year, 1, 1),
            "period_end": date(year, 12, 31), "period_label": str(year), "geo": "PT",
            "breakdown": "_T" if code == "_T" else "sex", "breakdown_code": code,
            "value": value, "numerator": None, "denominator": None, "unit": "persons",
            "flags": "c" if value is None else ""}


def two_years(total_2023: float, total_2024: float) -> pl.DataFrame:
    """Two components the reader bounds by linear programming: in each year, F + M = total
    with both hidden (zeros are published, so both >= 1)."""
    rows = []
    for year, total in ((2023, total_2023), (2024, total_2024)):
        rows += [row(year, total), row(year, None, "F"), row(year, None, "M"),
                 row(year, 0.0, "X"), row(year, 0.0, "U")]
    return pl.DataFrame(rows, schema=SCHEMA)


def bounds(report) -> dict[tuple[str, str], tuple[float, float]]:
    return {(c.key[2], c.key[5]): (c.low, c.high) for c in report.intervals}


@pytest.fixture
def cache(monkeypatch) -> BoundsCache:
    fresh = BoundsCache()
    monkeypatch.setattr(release_audit, "CACHE", fresh)
    monkeypatch.setattr(release_audit_cache, "CACHE", fresh)
    monkeypatch.setattr(release_audit, "_RECENT", [])
    return fresh


def test_an_unchanged_component_reuses_its_bounds_and_a_changed_one_is_solved(cache):
    first = audit_release(two_years(30.0, 19.0), REGISTRY)
    assert (cache.hits, cache.misses) == (0, 2)
    assert bounds(first)[("2024", "F")] == (1, 18)
    revised = audit_release(two_years(31.0, 19.0), REGISTRY)
    assert (cache.hits, cache.misses) == (1, 3)  # 2024 reused, 2023 solved again
    assert bounds(revised)[("2023", "F")] == (1, 30)
    assert bounds(revised)[("2024", "M")] == (1, 18)
    # the same answers as an audit that solves everything
    release_audit._RECENT.clear()
    solved = BoundsCache()
    release_audit.CACHE = solved
    assert bounds(audit_release(two_years(31.0, 19.0), REGISTRY)) == bounds(revised)
    assert (solved.hits, solved.misses) == (0, 2)


def test_stored_bounds_come_back_for_this_engine_only(cache):
    audit_release(two_years(30.0, 19.0), REGISTRY)
    con = duckdb.connect()
    save_bounds(con)
    con.execute("INSERT INTO protected.audit_bounds SELECT digest || 'x', bounds, 'old' "
                "FROM protected.audit_bounds")
    kept = dict(cache.entries)
    cache.entries.clear()
    load_bounds(con)
    assert set(cache.entries) == set(kept) and len(kept) == 2
    for key, value in kept.items():
        np.testing.assert_array_equal(cache.entries[key], value)
    release_audit._RECENT.clear()
    again = audit_release(two_years(30.0, 19.0), REGISTRY)
    assert (cache.hits, cache.misses) == (2, 0)
    assert bounds(again)[("2023", "M")] == (1, 29)


def test_only_the_entries_used_since_the_last_load_are_kept(cache):
    con = duckdb.connect()
    audit_release(two_years(30.0, 19.0), REGISTRY)
    save_bounds(con)
    load_bounds(con)
    audit_release(two_years(31.0, 19.0), REGISTRY)  # 2023 of the first audit not used
    save_bounds(con)
    assert con.execute("SELECT count(*) FROM protected.audit_bounds").fetchone()[0] == 2
    assert len(cache.entries) == 2


def test_an_unsolved_bound_is_not_kept(cache):
    cache.put("k", np.array([[1.0, np.nan]]))
    assert "k" not in cache.entries and cache.get("k") is None


def test_the_stored_bounds_never_enter_a_release():
    from indicators.publish import PUBLISHED_TABLES

    assert not any("audit_bounds" in str(t) for t in PUBLISHED_TABLES)


def _model(order: list[str], reverse: bool):
    """One component the reader bounds by linear programming: total 30 = F + M + X (all
    three hidden, zeros published so each >= 1) and F + M = 20 (another relation), its
    cells numbered in ``order`` and its relations and terms listed forwards or backwards."""
    from indicators.release_model import ReaderModel, Relation

    def key(code: str) -> tuple[str, ...]:
        return ("THB_SIGNALLED", "year", "2024", "PT", "_T" if code == "_T" else "sex", code)

    at = {code: i for i, code in enumerate(order)}
    relations = [({"_T": 1.0, "F": -1.0, "M": -1.0, "X": -1.0}, 0.0, "sex: _T = its codes"),
                 ({"F": 1.0, "M": 1.0}, 20.0, "another relation")]
    if reverse:
        relations = [(dict(reversed(terms.items())), rhs, source)
                     for terms, rhs, source in reversed(relations)]
    hidden = np.array([code != "_T" for code in order])
    model = ReaderModel(
        keys=[key(code) for code in order],
        value=np.array([30.0 if code == "_T" else np.nan for code in order]),
        suppressed=hidden, threshold=np.full(len(order), 3),
        zeros_publishable=np.ones(len(order), dtype=bool),
        relations=[Relation({at[c]: a for c, a in terms.items()}, rhs, source)
                   for terms, rhs, source in relations])
    cells = sorted(at[c] for c in ("F", "M", "X"))
    return model, cells, [0, 1], [at[c] for c in ("F", "M", "X")]


def test_a_component_is_keyed_by_its_content_not_by_the_models_numbering(cache):
    """The reader's model numbers cells in the order it meets them, which may differ from
    one process to the next (string hashing): the same component must still be reused."""
    first, cells, rows, targets = _model(["_T", "F", "M", "X"], reverse=False)
    answer = release_audit._solve(first, first.value.copy(), cells, rows, targets)
    assert (cache.hits, cache.misses) == (0, 1)
    again, cells, rows, targets = _model(["X", "M", "_T", "F"], reverse=True)
    reused = release_audit._solve(again, again.value.copy(), cells, rows, targets)
    assert (cache.hits, cache.misses) == (1, 1)

    def by_code(model, found):
        return {model.keys[c][5]: bounds for c, bounds in found.items()}

    assert by_code(again, reused) == by_code(first, answer)
    assert by_code(first, answer) == {"F": (1, 19), "M": (1, 19), "X": (10, 10)}
    # solving the renumbered component afresh gives the same bounds
    release_audit.CACHE = BoundsCache()
    assert by_code(again, release_audit._solve(again, again.value.copy(), cells, rows,
                                               targets)) == by_code(first, answer)
