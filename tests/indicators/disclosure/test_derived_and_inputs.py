"""Derived values follow suppression; malformed inputs give clear errors."""

from __future__ import annotations

import polars as pl
import pytest

from indicators.disclosure import (
    DisclosureInputError,
    Hierarchy,
    protect,
    rate,
    suppress_derived,
)


def test_suppress_derived_hides_a_rate_when_an_input_is_hidden():
    frame = pl.DataFrame(
        {
            "victims": [3, 12, 40],
            "victims_status": ["primary", "published", "published"],
            "population": [1000, 2000, 5000],
            "population_status": ["published", "secondary", "published"],
            "rate": [3.0, 6.0, 8.0],
        }
    )
    out = suppress_derived(frame, "rate", ["victims", "population"])
    assert out["rate"].to_list() == [None, None, 8.0]
    assert out["rate_status"].to_list() == ["suppressed", "suppressed", "published"]


def test_rate_from_published_counts_only():
    assert rate(None, 100) is None
    assert rate(5, None) is None
    assert rate(5, 0) is None
    assert rate(5, 1000, per=100_000) == 500.0


def test_hierarchy_cycle_is_refused():
    with pytest.raises(DisclosureInputError, match="cycle"):
        Hierarchy("d", {"a": "b", "b": "a"})


def test_hierarchy_unknown_parent_is_refused():
    with pytest.raises(DisclosureInputError, match="not in the hierarchy"):
        Hierarchy("d", {"a": "X"})


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pl.DataFrame({"d": ["a", "b"], "n": [1, 2]}), "count"),
        (pl.DataFrame({"d": ["a", "b"], "count": [1, -2]}), "negative"),
        (pl.DataFrame({"d": ["a", "a"], "count": [1, 2]}), "duplicate"),
        (pl.DataFrame({"d": ["a", "b"], "count": [1.5, 2.0]}), "whole numbers"),
        (pl.DataFrame({"d": ["a", "zz"], "count": [1, 2]}), "unknown to the hierarchy"),
        (pl.DataFrame({"d": ["a", "g"], "count": [1, 2]}), "aggregate codes"),
    ],
)
def test_malformed_inner_cells_are_refused(frame, message):
    hier = {"d": Hierarchy("d", {"g": "_T", "a": "g", "b": "g"})}
    with pytest.raises(DisclosureInputError, match=message):
        protect(frame, hier)
