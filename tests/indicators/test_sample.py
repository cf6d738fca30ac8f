"""Synthetic sample returns: realistic shape (published OTSH figures), contract codes only."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

from indicators.contract import load_contract
from indicators.sample import generate_returns, months

SEXUAL_NGOS = ("APF", "ONINHO", "FMS", "OSIO", "NADHEIM")
SEEDS = (1, 2021, 77)


@pytest.fixture(scope="module")
def returns_by_seed() -> dict[int, dict[tuple[str, str, str], pl.DataFrame]]:
    return {seed: generate_returns(seed, "2021-01", "2023-12") for seed in SEEDS}


def _victims(returns: dict, partners: tuple[str, ...] | None = None) -> pl.DataFrame:
    return pl.concat([f for (p, t, _), f in returns.items()
                      if t == "victims" and (partners is None or p in partners)])


def _share(frame: pl.DataFrame, column: str, codes: set[str]) -> float:
    total = frame["count"].sum()
    return frame.filter(pl.col(column).is_in(sorted(codes)))["count"].sum() / total


@pytest.mark.parametrize("seed", SEEDS)
def test_yearly_national_totals_follow_published_figures(returns_by_seed, seed) -> None:
    victims = _victims(returns_by_seed[seed])
    by_year = {y: victims.filter(pl.col("period").str.starts_with(str(y)))["count"].sum()
               for y in (2021, 2022, 2023)}
    # OTSH / RASI: 318 in 2021, 358-378 in 2022, 650 in 2023 (a +-20% band).
    assert 254 <= by_year[2021] <= 382, by_year
    assert 286 <= by_year[2022] <= 454, by_year
    assert 520 <= by_year[2023] <= 780, by_year
    assert by_year[2021] < by_year[2023]


def test_signals_concentrate_in_the_published_districts(returns_by_seed) -> None:
    victims = _victims(returns_by_seed[2021])
    totals = Counter()
    for district, count in victims.select("district", "count").iter_rows():
        totals[district] += count
    top5 = [d for d, _ in totals.most_common(5)]
    # Beja, Lisboa, Porto, Setúbal, Leiria, Évora, Faro.
    assert set(top5) <= {"PT-02", "PT-11", "PT-13", "PT-15", "PT-10", "PT-07", "PT-08"}
    assert {"PT-11", "PT-02"} <= set(top5[:3])


def test_labour_dominates_few_confirmations_and_few_minors(returns_by_seed) -> None:
    for returns in returns_by_seed.values():
        victims = _victims(returns)
        assert _share(victims, "exploitation", {"labour"}) > 0.6
        assert _share(victims, "status", {"presumed"}) > 0.75
        assert _share(victims, "status", {"confirmed"}) < 0.06
        for year in (2021, 2022, 2023):
            minors = victims.filter(pl.col("period").str.starts_with(str(year)),
                                    pl.col("age_group").is_in(["0-11", "12-17"]))
            assert 12 <= minors["count"].sum() <= 55, (year, minors["count"].sum())


def test_online_sexual_exploitation_rises(returns_by_seed) -> None:
    victims = pl.concat([_victims(r) for r in returns_by_seed.values()])
    sexual = victims.filter(pl.col("exploitation").str.starts_with("sexual"))

    def online(year: int) -> float:
        return _share(sexual.filter(pl.col("period").str.starts_with(str(year))),
                      "exploitation", {"sexual_online"})

    assert online(2021) < online(2022) < online(2023)


def test_sexual_exploitation_partners_see_mostly_adult_women(returns_by_seed) -> None:
    victims = pl.concat([_victims(r, SEXUAL_NGOS) for r in returns_by_seed.values()])
    assert _share(victims, "sex", {"F"}) > 0.7
    assert _share(victims, "age_group", {"0-11", "12-17"}) < 0.15
    assert _share(victims, "exploitation", {"sexual_prostitution", "sexual_online",
                                            "sexual_other"}) > 0.8
    assert _share(victims, "citizenship", {"BR", "PT", "RO", "NG", "CO"}) > 0.6
    assert _share(victims, "signalled_by", {"ngo"}) > 0.5


def test_otsh_sends_the_bulk_of_victims_and_ngos_support(returns_by_seed) -> None:
    returns = returns_by_seed[2021]
    victims = _victims(returns)
    assert _share(victims, "partner", {"OTSH"}) > 0.75
    support_partners = {p for (p, t, _) in returns if t == "support"}
    activity_partners = {p for (p, t, _) in returns if t == "activities"}
    assert support_partners == set(SEXUAL_NGOS)
    assert activity_partners == {"DGS", "IEFP", "APF"}
    support = pl.concat([f for (_, t, _), f in returns.items() if t == "support"])
    assert set(support["case"].unique()) == {"new", "ongoing"}
    assert {"voluntary_return", "regularisation", "asylum"} <= set(support["support"])
    activities = pl.concat([f for (_, t, _), f in returns.items() if t == "activities"])
    trained = activities.filter(pl.col("activity") == "professional_trained")
    assert set(trained["sex"]) <= {"F", "M"} and trained["count"].sum() > 0
    sessions = activities.filter(pl.col("activity").is_in(["training_session",
                                                           "awareness_session"]))
    assert set(sessions["sex"]) == {"NA"}
    assert {"guideline_developed", "victim_interview", "person_reached"} <= set(
        activities["activity"])


def test_every_partner_month_is_reported_with_zero_rows_for_empty_months(
        returns_by_seed) -> None:
    returns = returns_by_seed[2021]
    periods = months("2021-01", "2023-12")
    partners_types = {(p, t) for (p, t, _) in returns}
    assert {(p, t, per) for p, t in partners_types for per in periods} == set(returns)
    zero_frames = [f for f in returns.values() if (f["count"] == 0).any()]
    assert len(zero_frames) > 10  # small partners have months without cases
    for frame in zero_frames:
        assert frame.height == 1 and frame["count"][0] == 0
    for frame in returns.values():
        if frame.height > 1:
            assert (frame["count"] > 0).all()


def test_only_contract_columns_and_codes_whole_counts_no_duplicate_keys(
        returns_by_seed) -> None:
    contract = load_contract()
    for (partner, return_type, period), frame in returns_by_seed[77].items():
        spec = contract.returns[return_type]
        assert tuple(frame.columns) == spec.columns
        assert frame["count"].dtype == pl.Int64
        assert frame["count"].min() >= 0
        assert set(frame["partner"]) == {partner} and set(frame["period"]) == {period}
        for column in spec.columns:
            allowed = contract.allowed_codes(column, return_type)
            if allowed is not None:
                unknown = set(frame[column]) - set(allowed)
                assert not unknown, (partner, return_type, period, column, unknown)
        assert frame.select(spec.key_columns).is_duplicated().sum() == 0


def test_same_seed_same_returns_different_seed_different(returns_by_seed) -> None:
    again = generate_returns(2021, "2021-01", "2021-06")
    first = {k: v for k, v in returns_by_seed[2021].items() if k[2] <= "2021-06"}
    assert again.keys() == first.keys()
    assert all(again[k].equals(first[k]) for k in again)
    other = returns_by_seed[1]
    assert any(not other[k].equals(returns_by_seed[2021][k]) for k in other)
