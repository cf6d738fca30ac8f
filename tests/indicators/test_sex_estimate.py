"""The estimated split by sex of Braga, Bragança, Porto and Viana do Castelo: geoapi-pt
BGRI 2021 women shares applied to INE's district totals, raked to INE's national men/women
(indicators/reference/sex_estimate.py, scripts/estimate_district_sex.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from indicators.reference import districts
from indicators.reference.sex_estimate import (
    auxiliary_splits,
    estimate_sex,
    rake_women,
    round_to_total,
)

ROOT = Path(__file__).resolve().parents[2]
FOUR = ("PT-03", "PT-04", "PT-13", "PT-16")


def test_raking_equal_shares_splits_the_column_total_by_row_total() -> None:
    women = rake_women({"A": 100, "B": 300}, {"A": 0.5, "B": 0.5}, men=160, women=240)
    assert women == pytest.approx({"A": 60.0, "B": 180.0})


def test_raking_meets_both_margins_and_keeps_the_odds_ratio_between_rows() -> None:
    totals = {"A": 1000, "B": 500, "C": 2500}
    shares = {"A": 0.40, "B": 0.55, "C": 0.50}
    women = rake_women(totals, shares, men=1900, women=2100)
    assert sum(women.values()) == pytest.approx(2100, abs=1e-6)
    odds = {c: women[c] / (totals[c] - women[c]) for c in totals}
    seed_odds = {c: s / (1 - s) for c, s in shares.items()}
    # IPF on a two-column table moves every row's odds by one common factor
    assert odds["A"] / odds["C"] == pytest.approx(seed_odds["A"] / seed_odds["C"])
    assert odds["B"] / odds["C"] == pytest.approx(seed_odds["B"] / seed_odds["C"])


def test_raking_refuses_margins_that_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="district totals"):
        rake_women({"A": 100}, {"A": 0.5}, men=50, women=51)


def test_rounding_keeps_the_total_and_gives_the_units_to_the_largest_remainders() -> None:
    assert round_to_total({"A": 1.6, "B": 2.3, "C": 3.1}, 7) == {"A": 2, "B": 2, "C": 3}
    tie = round_to_total({"A": 0.5, "B": 0.5}, 1)
    assert sorted(tie.values()) == [0, 1]


def test_estimate_needs_an_auxiliary_split_for_every_district() -> None:
    with pytest.raises(KeyError, match="PT-01"):
        estimate_sex({"PT-01": 10}, auxiliary_splits(), men=5, women=5)


def test_the_four_estimates_add_up_exactly_to_ine_and_stay_close_to_geoapi_shares() -> None:
    by = {d.code: d for d in districts()}
    aux = auxiliary_splits()
    assert tuple(sorted(aux)) == FOUR
    assert [c for c, d in by.items() if d.sex_estimated] == list(FOUR)
    for code in FOUR:
        d = by[code]
        assert d.men_2021 + d.women_2021 == d.pop_2021, code
        # geoapi covers 92.8-99.9 % of INE's total; the raked share moves less than 0.05 pp
        assert 0.92 < aux[code].total / d.pop_2021 <= 1.0, code
        assert abs(d.women_2021 / d.pop_2021 - aux[code].women_share) < 0.0005, code
    # INE national (4,920,220 men, 5,422,846 women) minus the 16 verified units
    assert sum(by[c].men_2021 for c in FOUR) == 1420396
    assert sum(by[c].women_2021 for c in FOUR) == 1565372


def test_districts_csv_is_what_the_estimation_script_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "estimate_district_sex", ROOT / "scripts" / "estimate_district_sex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
