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
from tests.open_data.differencing import Findings, Published, attack, published_counts

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
