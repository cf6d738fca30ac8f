"""indicators.open_data.changes: what kind of change each cell had between two releases."""

from __future__ import annotations

import polars as pl

from indicators.open_data.changes import KIND_MEANINGS, KINDS, change_counts, compare_values

KEY = {"indicator": "THB_SIGNALLED", "grain": "month", "period": None, "period_end": None,
       "geo": "PT", "breakdown": "sex"}


def _values(rows: dict[str, tuple[float | None, str]]) -> pl.DataFrame:
    return pl.DataFrame([{**KEY, "breakdown_code": code, "value": value, "flags": flags}
                         for code, (value, flags) in rows.items()])


def test_each_kind_of_change_is_named_and_an_unchanged_cell_is_not_listed():
    old = _values({"F": (7.0, "p"), "M": (12.0, "p"), "X": (5.0, ""), "U": (None, "c"),
                   "A": (9.0, ""), "Z": (0.0, "")})
    new = _values({"F": (7.0, ""), "M": (17.0, "r"), "X": (None, "c"), "U": (6.0, ""),
                   "B": (5.0, ""), "Z": (0.0, "")})
    got = dict(compare_values(old, new).select("breakdown_code", "change").iter_rows())
    assert got == {"F": "finalised", "M": "revised", "X": "newly_suppressed",
                   "U": "newly_published", "B": "added", "A": "removed"}
    assert change_counts(compare_values(old, new)) == dict.fromkeys(KINDS, 1)


def test_a_provisional_value_still_provisional_or_confidential_is_no_change():
    old = _values({"F": (7.0, "p"), "M": (None, "cp")})
    new = _values({"F": (7.0, "p"), "M": (None, "c")})
    assert compare_values(old, new).is_empty()


def test_every_kind_has_its_meaning():
    assert set(KIND_MEANINGS) == set(KINDS)
