"""The SQL marts on a generated dataset against an independent computation (polars sums of
the generated cells): every national yearly count by breakdown (parent levels included) and
every district yearly count, zeros included; cells of region codes the registry does not
know (as in the European benchmark) count in the national totals only."""

from __future__ import annotations

import random

import polars as pl
import pytest

from indicators.compute import compute_all
from indicators.contract import load_contract
from indicators.reference import districts
from indicators.registry import load_registry
from tests.indicators.test_compute import add_submission, con, expectations, months

__all__ = ["con"]  # the fixture, re-used

FOREIGN = ("DE-001", "FR-002")  # region codes outside marts.reg_geo
COLUMNS = ("district", "sex", "age_group", "citizenship", "exploitation", "status",
           "signalled_by", "count")


def generated_cells(seed: int) -> pl.DataFrame:
    contract = load_contract()
    rng = random.Random(seed)
    codes = {c: list(contract.allowed_codes(c, "victims")) for c in COLUMNS[1:-1]}
    places = [d.code for d in districts()][:6] + list(FOREIGN)
    rows = []
    for partner in ("OTSH", "APF"):
        for period in months("2023-01", "2023-12"):
            seen = set()
            for _ in range(25):
                key = (rng.choice(places), *(rng.choice(codes[c]) for c in COLUMNS[1:-1]))
                if key not in seen:
                    seen.add(key)
                    rows.append((partner, period, *key, rng.randint(0, 9)))
    return pl.DataFrame(rows, schema=["partner", "period", *COLUMNS], orient="row")


def expected(cells: pl.DataFrame, statuses: tuple[str, ...], keys: list[str],
             breakdown: str) -> dict[tuple, float]:
    """Independent sums: {(period or year, geo, code): value} for one breakdown."""
    registry = load_registry()
    rows = cells.filter(pl.col("status").is_in(statuses))
    if breakdown == "_T":
        rows = rows.with_columns(code=pl.lit("_T"))
    else:
        leaves = rows.with_columns(code=pl.col(breakdown))
        parents = rows.with_columns(code=pl.col(breakdown).map_elements(
            lambda c: registry.parent(breakdown, c), return_dtype=pl.String)
        ).filter(pl.col("code") != "_T")
        rows = pl.concat([leaves, parents])
    sums = rows.group_by([*keys, "code"]).agg(pl.col("count").sum())
    return {tuple(r[:-1]): float(r[-1]) for r in sums.iter_rows()}


@pytest.mark.parametrize("indicator", ["THB_SIGNALLED", "THB_PRESUMED"])
def test_count_marts_match_independent_sums(con, indicator):
    cells = generated_cells(seed=7)
    for (partner, period), part in cells.group_by(["partner", "period"], maintain_order=True):
        add_submission(con, partner, "victims", period,
                       [tuple(r) for r in part.select(COLUMNS).iter_rows()])
    compute_all(con, load_registry(),
                expectations(("OTSH", "victims"), ("APF", "victims"), first="2023-01"))
    statuses = tuple(load_registry().get(indicator).filter["status"])
    values = con.sql(f"SELECT grain, period_label, geo, breakdown, breakdown_code, value "
                     f"FROM marts.count_values WHERE indicator = '{indicator}'").pl()
    assert values.filter(pl.col("geo").is_in(FOREIGN)).is_empty()

    national = cells.with_columns(period_label=pl.col("period").str.slice(0, 4))
    for breakdown in ("_T", "sex", "age_group", "exploitation", "signalled_by"):
        want = expected(national, statuses, ["period_label"], breakdown)
        got = values.filter((pl.col("grain") == "year") & (pl.col("geo") == "PT")
                            & (pl.col("breakdown") == breakdown))
        assert got.height >= len(want) > 0
        for label, _geo, _b, code, value in got.select(
                "period_label", "geo", "breakdown", "breakdown_code", "value").iter_rows():
            assert value == want.get((label, code), 0.0), (breakdown, label, code)

    local = cells.filter(~pl.col("district").is_in(FOREIGN)).with_columns(
        period_label=pl.col("period").str.slice(0, 4))
    for breakdown in ("_T", "sex"):
        want = expected(local, statuses, ["period_label", "district"], breakdown)
        got = values.filter((pl.col("grain") == "year") & (pl.col("geo") != "PT")
                            & (pl.col("breakdown") == breakdown))
        assert got.height >= len(want) > 0
        for label, geo, code, value in got.select(
                "period_label", "geo", "breakdown_code", "value").iter_rows():
            assert value == want.get((label, geo, code), 0.0), (breakdown, label, geo, code)
