"""No cell suppressed in any of three consecutive releases (with revised returns between
them) can be recovered by combining the releases (``differencing.py``: an attacker built
here, independent of the disclosure code): no small count (1 .. k-1) is pinned or bounded
inside 1 .. k-1, and no hidden count is pinned by the releases together that one release
alone does not already pin or publish."""

from __future__ import annotations

import duckdb
import pytest

from indicators.registry import load_registry
from indicators.release_files import release_file
from tests.open_data.differencing import (
    Findings,
    Published,
    attack,
    published_counts,
    revisions,
)

K = 5


def test_the_attacker_finds_a_planted_leak():
    """The attack can fail: a total published in two releases, one part hidden in the first
    and published, unchanged, in the second, pins the other part."""
    total = ("X", "year", "2021", "PT", "_T", "_T")
    key = lambda code: ("X", "year", "2021", "PT", "sex", code)  # noqa: E731
    truth = {total: 9, key("F"): 2, key("M"): 7}
    first = Published({total: (9.0, ""), key("F"): (None, "c"), key("M"): (None, "c")}, truth)
    second = Published({total: (9.0, ""), key("F"): (None, "c"), key("M"): (7.0, "")}, truth)
    assert attack([first], {}, K) == Findings([], set())
    found = attack([first, second], {}, K)
    assert (key("F"), 2) in found.pinned
    assert any("'F')" in p and "[2, 2]" in p for p in found.small)


def test_the_attacker_finds_a_planted_revision():
    """A late return adds 3 persons: the total 77 -> 80 published in both releases tells it;
    hidden in the second with its parts pinned around it, it still does."""
    total = ("X", "year", "2022", "PT", "_T", "_T")
    key = lambda code: ("X", "year", "2022", "PT", "sex", code)  # noqa: E731
    before = {total: 77, key("F"): 45, key("M"): 32}
    after = {total: 80, key("F"): 48, key("M"): 32}
    first = Published({c: (float(v), "") for c, v in before.items()}, before)
    shown = Published({c: (float(v), "") for c, v in after.items()}, after)
    assert any("77 -> 80" in f for f in revisions([first, shown], {}, K))
    hidden = Published({total: (None, "c"), key("F"): (None, "c"), key("M"): (32.0, "")},
                       after)
    assert revisions([first, hidden], {}, K) == []  # nothing ties F and the total now
    assert revisions([first], {}, K) == []


def _published(series, index: int, codes: set[str]) -> Published:
    con = duckdb.connect(str(release_file(series.serving_dir, series.release_ids[index])),
                         read_only=True)
    try:
        rows = con.sql("SELECT indicator, grain, period_label, geo, breakdown, breakdown_code,"
                       " value, flags FROM published.indicator_values").fetchall()
    finally:
        con.close()
    cells = {tuple(r[:6]): (r[6], r[7]) for r in rows if r[0] in codes}
    truth_frame = series.truths[index]
    truth = {tuple(r[:6]): int(r[6]) for r in truth_frame.select(
        "indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code", "value"
    ).iter_rows() if r[0] in codes}
    return Published(cells, truth)


@pytest.mark.slow
def test_no_suppressed_cell_is_recoverable_by_differencing_three_releases(series):
    registry = load_registry()
    codes = {i.code for i in registry.counts() if i.disclosure.applies}
    releases = [_published(series, i, codes) for i in range(3)]
    hidden = 0
    for rel in releases:
        for key, (value, flags) in rel.cells.items():
            if "c" in flags:
                hidden += 1
            elif value is not None:  # the truth the attacker is measured against is right
                assert value == rel.truth.get(key, 0), key
    assert hidden > 50
    revised = [k for k in releases[0].truth
               if releases[0].truth[k] != releases[2].truth.get(k, 0)]
    assert revised, "the series has no revision"
    together = attack(releases, registry.hierarchies, K)
    assert together.small == []
    # Differencing adds nothing: a hidden count pinned by the releases together is pinned by
    # one release alone already, or was published (with that same count) by one of them.
    alone = set().union(*(attack([r], registry.hierarchies, K).pinned for r in releases))
    assert together.pinned - alone - published_counts(releases) == set()


@pytest.mark.slow
def test_no_revision_of_one_to_k_minus_one_persons_is_provable_across_the_releases(series):
    """The series revises March 2022 (one row +1 person, another +12) and May 2022 (two rows
    withdrawn, another +12): a reader holding the three releases proves no change of
    1 .. k-1 persons in any count."""
    registry = load_registry()
    codes = {i.code for i in registry.counts() if i.disclosure.applies}
    releases = [_published(series, i, codes) for i in range(3)]
    changed = [k for k in releases[0].truth if 1 <= abs(
        releases[0].truth[k] - releases[1].truth.get(k, 0)) < K and k in releases[1].cells]
    assert changed, "the series has no small revision"
    assert revisions(releases, registry.hierarchies, K) == []
