"""The Census 2021 reference population against the figures of its sources (INE, Censos
2021 definitive results; see indicators/reference/SOURCES.md)."""

from __future__ import annotations

from indicators.reference import (
    AGE_BANDS,
    districts,
    national_census_2021,
    unverified_sex_remainder,
)


def test_national_census_2021_by_sex_and_age_is_ine_q01_q04() -> None:
    nat = national_census_2021()
    assert (nat.total, nat.men, nat.women) == (10343066, 4920220, 5422846)
    assert (nat.age_0_14, nat.age_15_24, nat.age_25_64, nat.age_65plus) == (
        1331188, 1088087, 5500152, 2423639)
    assert nat.men + nat.women == nat.total
    assert nat.age_0_14 + nat.age_15_24 + nat.age_25_64 + nat.age_65plus == nat.total


def test_district_totals_add_up_to_portugal_and_known_splits_add_up_to_their_totals() -> None:
    ds = districts()
    assert len(ds) == 20
    assert sum(d.pop_2021 for d in ds) == 10343066
    for d in ds:
        if d.men_2021 is not None:
            assert d.men_2021 + d.women_2021 == d.pop_2021, d.code
        bands = [getattr(d, b) for b in AGE_BANDS]
        if None not in bands:
            assert sum(bands) == d.pop_2021, d.code


def test_lisboa_and_acores_figures_are_the_source_figures() -> None:
    by = {d.code: d for d in districts()}
    lisboa, acores = by["PT-11"], by["PT-20"]
    assert (lisboa.men_2021, lisboa.women_2021, lisboa.age_0_14_2021) == (
        1070604, 1204781, 324281)
    assert (acores.men_2021, acores.women_2021, acores.age_65plus_2021) == (
        115480, 120933, 39109)


def test_the_four_districts_without_a_split_hold_what_the_national_total_implies() -> None:
    # SOURCES.md: Braga, Bragança, Porto and Viana do Castelo together hold 1,420,396 men
    # and 1,565,372 women (national minus the others); their separate splits are estimates.
    missing, men, women = unverified_sex_remainder()
    assert missing == ("PT-03", "PT-04", "PT-13", "PT-16")
    assert (men, women) == (1420396, 1565372)
    assert men + women == sum(d.pop_2021 for d in districts() if d.code in missing)


def test_every_unit_has_a_split_by_sex_and_only_the_four_are_estimated() -> None:
    ds = districts()
    assert all(d.men_2021 is not None and d.women_2021 is not None for d in ds)
    assert {d.code for d in ds if d.sex_estimated} == {"PT-03", "PT-04", "PT-13", "PT-16"}
