"""Property-based: for random small tables the engine's pattern always passes the audit."""

from __future__ import annotations

import itertools

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.disclosure import Hierarchy, Policy, TableSpec, audit, protect

from .helpers import brute_force_count


@st.composite
def tables(draw):
    n_dims = draw(st.integers(2, 3))
    hierarchies = {}
    for d in range(n_dims):
        name = f"d{d}"
        n_codes = draw(st.integers(2, 4))
        codes = [f"{name}_{i}" for i in range(n_codes)]
        if n_codes >= 3 and draw(st.booleans()):
            # two groups; the first may hold a single code
            split = draw(st.integers(1, n_codes - 1))
            parents = {f"{name}_g1": "_T", f"{name}_g2": "_T"}
            parents.update(
                {c: f"{name}_g1" if i < split else f"{name}_g2" for i, c in enumerate(codes)}
            )
            hierarchies[name] = Hierarchy(name, parents)
        else:
            hierarchies[name] = Hierarchy.flat(name, codes)
    dims = list(hierarchies)
    combos = list(itertools.product(*[hierarchies[d].leaves() for d in dims]))
    small = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 20))
    counts = draw(st.lists(small, min_size=len(combos), max_size=len(combos)))
    inner = pl.DataFrame(
        [(*c, n) for c, n in zip(combos, counts, strict=True)],
        schema=[*dims, "count"],
        orient="row",
    )
    linked = None
    if n_dims == 3 and draw(st.booleans()):
        linked = [TableSpec("a", (dims[0], dims[1])), TableSpec("b", (dims[0], dims[2]))]
    k = draw(st.integers(3, 5))
    zeros = draw(st.booleans())
    return inner, hierarchies, linked, Policy(threshold=k, zeros_publishable=zeros)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_protect_always_passes_the_independent_audit(case):
    inner, hierarchies, linked, policy = case
    result = protect(inner, hierarchies, linked, policy)
    assert result.audit is not None and result.audit.ok
    assert audit(result.cells, hierarchies, linked, policy).ok
    cells = result.cells
    dims = list(hierarchies)
    published = cells.filter(pl.col("status") == "published")
    k = policy.threshold
    # No published cell with 1 <= count < k.
    assert published.filter((pl.col("count") >= 1) & (pl.col("count") < k)).height == 0
    # Every cell's count (published ones above all) is the true sum of its inner cells.
    for row in cells.unique(subset=dims).iter_rows(named=True):
        codes = {d: row[d] for d in dims}
        assert row["count"] == brute_force_count(inner, hierarchies, codes)
    # Every small non-zero cell is primary; zeros stay published when the policy says so.
    small = cells.filter((pl.col("count") >= 1) & (pl.col("count") < k))
    assert set(small["status"]) <= {"primary"}
    if policy.zeros_publishable:
        assert set(cells.filter(pl.col("count") == 0)["status"]) <= {"published"}
