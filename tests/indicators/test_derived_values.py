"""Rates, shares and changes on hand-made count frames (answers computed by hand)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from indicators.derived_values import (
    VALUE_SCHEMA,
    derive,
    district_population,
    national_population_frame,
)
from indicators.registry import load_registry

REGISTRY = load_registry()


def row(indicator: str, label: str, value: float | None, geo: str = "PT",
        breakdown: str = "_T", code: str = "_T", flags: str = "", grain: str = "year") -> dict:
    if grain == "year":
        period, end = date(int(label), 1, 1), date(int(label), 12, 31)
    elif grain == "month":
        y, m = map(int, label.split("-"))
        period = date(y, m, 1)
        end = (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
        end = date.fromordinal(end)
    else:
        raise ValueError(grain)
    return {"indicator": indicator, "grain": grain, "period": period, "period_end": end,
            "period_label": label, "geo": geo, "breakdown": breakdown, "breakdown_code": code,
            "value": value, "numerator": None, "denominator": None, "unit": "persons",
            "flags": flags}


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=VALUE_SCHEMA)


def pick(df: pl.DataFrame, indicator: str, label: str, geo: str = "PT", code: str = "_T",
         grain: str = "year") -> dict:
    sub = df.filter((pl.col("indicator") == indicator) & (pl.col("period_label") == label)
                    & (pl.col("geo") == geo) & (pl.col("breakdown_code") == code)
                    & (pl.col("grain") == grain))
    assert sub.height == 1, sub
    return sub.row(0, named=True)


def test_sdg_rate_beja_63_presumed_victims_in_a_year() -> None:
    counts = frame([row("THB_PRESUMED", "2024", 63, geo="PT-02")])
    out = derive(counts, REGISTRY)
    r = pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-02")
    # 63 / 144,401 x 100,000 = 43.628...
    assert r["value"] == pytest.approx(43.6285, abs=1e-4)
    assert round(r["value"], 1) == 43.6
    assert (r["numerator"], r["denominator"], r["unit"], r["flags"]) == (
        63, 144401, "rate_100k", "")


def test_rate_by_sex_uses_census_population_by_sex() -> None:
    counts = frame([row("THB_PRESUMED", "2024", 10, geo="PT-02", breakdown="sex", code="F")])
    r = pick(derive(counts, REGISTRY), "THB_PRESUMED_RATE", "2024", geo="PT-02", code="F")
    assert r["value"] == pytest.approx(10 / 71690 * 100000)   # Beja women, Census 2021


def test_rate_by_sex_not_available_without_population_by_sex() -> None:
    # a district whose reference row has no split by sex at all
    counts = frame([row("THB_PRESUMED", "2024", 10, geo="PT-03", breakdown="sex", code="F")])
    pop = district_population().with_columns(
        population=pl.when((pl.col("geo") == "PT-03") & (pl.col("breakdown_code") != "_T"))
        .then(None).otherwise(pl.col("population")))
    r = pick(derive(counts, REGISTRY, district_pop=pop), "THB_PRESUMED_RATE", "2024",
             geo="PT-03", code="F")
    assert (r["value"], r["flags"]) == (None, ":")


def test_rate_by_sex_on_an_estimated_population_is_flagged_e() -> None:
    # Braga's (PT-03) women are an estimate (439,626: geoapi share raked to INE's totals);
    # the national rate by sex uses INE's own figure (5,422,846 women) and has no flag
    counts = frame([row("THB_PRESUMED", "2024", 10, geo="PT-03", breakdown="sex", code="F"),
                    row("THB_PRESUMED", "2024", 7, geo="PT-03", breakdown="sex", code="M",
                        flags="p"),
                    row("THB_PRESUMED", "2024", 30, geo="PT-03"),
                    row("THB_PRESUMED", "2024", 50, breakdown="sex", code="F")])
    out = derive(counts, REGISTRY)
    women = pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-03", code="F")
    assert women["value"] == pytest.approx(10 / 439_626 * 100000)
    assert (women["denominator"], women["flags"]) == (439_626, "e")
    assert pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-03", code="M")["flags"] == "ep"
    assert pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-03")["flags"] == ""
    assert pick(out, "THB_PRESUMED_RATE", "2024", code="F")["flags"] == ""


def test_a_zero_rate_on_an_estimated_population_is_exact_not_e() -> None:
    """0 persons give a rate of exactly 0 whatever the population: no "e" (a user review
    found Porto's 0.0 flagged estimated); 2 persons on the same population keep it."""
    counts = frame([row("THB_PRESUMED", "2024", 0, geo="PT-13", breakdown="sex", code="F"),
                    row("THB_PRESUMED", "2024", 2, geo="PT-13", breakdown="sex", code="M"),
                    row("THB_PRESUMED", "2025", 0, geo="PT-13", breakdown="sex", code="F",
                        flags="p")])
    out = derive(counts, REGISTRY)
    zero = pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-13", code="F")
    assert (zero["value"], zero["flags"]) == (0.0, "")
    assert pick(out, "THB_PRESUMED_RATE", "2024", geo="PT-13", code="M")["flags"] == "e"
    assert pick(out, "THB_PRESUMED_RATE", "2025", geo="PT-13", code="F")["flags"] == "p"


def test_suppressed_count_on_an_estimated_population_is_c_only() -> None:
    counts = frame([row("THB_PRESUMED", "2024", None, geo="PT-13", breakdown="sex", code="F",
                        flags="c")])
    r = pick(derive(counts, REGISTRY), "THB_PRESUMED_RATE", "2024", geo="PT-13", code="F")
    assert (r["value"], r["denominator"], r["flags"]) == (None, None, "c")


def test_national_rate_uses_the_population_of_the_year() -> None:
    counts = frame([row("THB_SIGNALLED", "2023", 210), row("THB_SIGNALLED", "2030", 100)])
    pops = national_population_frame({2023: 10_516_621, 2025: 10_749_635})
    out = derive(counts, REGISTRY, national_pop=pops)
    r = pick(out, "THB_SIGNALLED_RATE", "2023")
    assert r["value"] == pytest.approx(210 / 10_516_621 * 100000)
    # a year beyond the series uses the latest year available
    assert pick(out, "THB_SIGNALLED_RATE", "2030")["denominator"] == 10_749_635


def test_rate_abroad_is_not_applicable() -> None:
    counts = frame([row("THB_SIGNALLED", "2024", 7, geo="ABROAD")])
    r = pick(derive(counts, REGISTRY), "THB_SIGNALLED_RATE", "2024", geo="ABROAD")
    assert (r["value"], r["flags"]) == (None, "z")


def test_no_monthly_rates() -> None:
    counts = frame([row("THB_SIGNALLED", "2024-03", 7, grain="month")])
    out = derive(counts, REGISTRY)
    assert out.filter(pl.col("indicator") == "THB_SIGNALLED_RATE").is_empty()


def test_shares() -> None:
    counts = frame([
        row("THB_SIGNALLED", "2024", 80),
        row("THB_SIGNALLED", "2024", 60, breakdown="exploitation", code="SEXUAL"),
        row("THB_SIGNALLED", "2024", 12, breakdown="exploitation", code="sexual_online"),
        row("THB_SIGNALLED", "2024", 20, breakdown="age_group", code="Y_LT18"),
        row("THB_SIGNALLED", "2024", 50, breakdown="sex", code="F"),
        row("THB_SIGNALLED", "2024", 30, breakdown="citizenship_group", code="EU"),
        row("THB_SIGNALLED", "2024", 10, breakdown="citizenship_group", code="NON_EU"),
    ])
    out = derive(counts, REGISTRY)
    assert pick(out, "THB_SHARE_SEXUAL", "2024")["value"] == pytest.approx(75.0)
    assert pick(out, "THB_SHARE_ONLINE", "2024")["value"] == pytest.approx(15.0)
    assert pick(out, "THB_SHARE_MINORS", "2024")["value"] == pytest.approx(25.0)
    assert pick(out, "THB_SHARE_FEMALE", "2024")["value"] == pytest.approx(62.5)
    foreign = pick(out, "THB_SHARE_FOREIGN", "2024")
    assert (foreign["value"], foreign["numerator"], foreign["denominator"]) == (50.0, 40, 80)


def test_share_suppressed_when_a_numerator_part_is_suppressed() -> None:
    counts = frame([
        row("THB_SIGNALLED", "2024", 80),
        row("THB_SIGNALLED", "2024", 30, breakdown="citizenship_group", code="EU"),
        row("THB_SIGNALLED", "2024", None, breakdown="citizenship_group", code="NON_EU",
            flags="c"),
    ])
    r = pick(derive(counts, REGISTRY), "THB_SHARE_FOREIGN", "2024")
    assert (r["value"], r["numerator"], r["denominator"], r["flags"]) == (None, None, None, "c")


def test_share_suppressed_when_the_denominator_is_suppressed() -> None:
    counts = frame([
        row("THB_SIGNALLED", "2024", None, flags="c"),
        row("THB_SIGNALLED", "2024", 9, breakdown="sex", code="F"),
    ])
    r = pick(derive(counts, REGISTRY), "THB_SHARE_FEMALE", "2024")
    assert (r["value"], r["flags"]) == (None, "c")
    assert r["numerator"] is None      # never carry inputs into a suppressed row


def test_share_of_zero_total_is_not_applicable() -> None:
    counts = frame([row("THB_SIGNALLED", "2024", 0),
                    row("THB_SIGNALLED", "2024", 0, breakdown="sex", code="F")])
    r = pick(derive(counts, REGISTRY), "THB_SHARE_FEMALE", "2024")
    assert (r["value"], r["flags"]) == (None, "z")


def test_rate_suppressed_when_the_count_is_suppressed() -> None:
    counts = frame([row("THB_PRESUMED", "2024", None, geo="PT-02", flags="c")])
    r = pick(derive(counts, REGISTRY), "THB_PRESUMED_RATE", "2024", geo="PT-02")
    assert (r["value"], r["numerator"], r["flags"]) == (None, None, "c")


def test_change_on_previous_year() -> None:
    counts = frame([row("THB_SIGNALLED", "2023", 50), row("THB_SIGNALLED", "2024", 65),
                    row("THB_SIGNALLED", "2023-03", 4, grain="month"),
                    row("THB_SIGNALLED", "2024-03", 6, grain="month")])
    out = derive(counts, REGISTRY)
    assert pick(out, "THB_SIGNALLED_CHG", "2024")["value"] == 15
    assert pick(out, "THB_SIGNALLED_CHG_PCT", "2024")["value"] == pytest.approx(30.0)
    assert pick(out, "THB_SIGNALLED_CHG", "2024-03", grain="month")["value"] == 2
    assert pick(out, "THB_SIGNALLED_CHG_PCT", "2024-03", grain="month")["value"] == \
        pytest.approx(50.0)
    # no previous year, no change
    assert out.filter((pl.col("indicator") == "THB_SIGNALLED_CHG")
                      & (pl.col("period_label") == "2023")).is_empty()


def test_change_suppressed_or_not_applicable() -> None:
    counts = frame([row("THB_SIGNALLED", "2023", None, flags="c"),
                    row("THB_SIGNALLED", "2024", 65),
                    row("THB_PRESUMED", "2023", 0), row("THB_PRESUMED", "2024", 8, flags="p")])
    out = derive(counts, REGISTRY)
    assert (pick(out, "THB_SIGNALLED_CHG", "2024")["value"],
            pick(out, "THB_SIGNALLED_CHG", "2024")["flags"]) == (None, "c")
    assert pick(out, "THB_SIGNALLED_CHG_PCT", "2024")["flags"] == "c"
    assert pick(out, "THB_PRESUMED_CHG", "2024")["value"] == 8
    assert pick(out, "THB_PRESUMED_CHG", "2024")["flags"] == "p"
    assert (pick(out, "THB_PRESUMED_CHG_PCT", "2024")["value"],
            pick(out, "THB_PRESUMED_CHG_PCT", "2024")["flags"]) == (None, "z")


def test_revised_flag_does_not_propagate_to_derived_values() -> None:
    counts = frame([row("THB_PRESUMED", "2024", 63, geo="PT-02", flags="pr")])
    r = pick(derive(counts, REGISTRY), "THB_PRESUMED_RATE", "2024", geo="PT-02")
    assert r["flags"] == "p"


def test_national_rate_of_women_uses_the_census_2021_women_of_portugal() -> None:
    # INE Censos 2021 (Q01/Q04): 5,422,846 women, 4,920,220 men resident in Portugal
    counts = frame([row("THB_PRESUMED", "2024", 54, breakdown="sex", code="F"),
                    row("THB_PRESUMED", "2024", 49, breakdown="sex", code="M")])
    out = derive(counts, REGISTRY)
    women = pick(out, "THB_PRESUMED_RATE", "2024", code="F")
    men = pick(out, "THB_PRESUMED_RATE", "2024", code="M")
    assert (women["denominator"], women["flags"]) == (5422846, "")
    assert women["value"] == pytest.approx(54 / 5422846 * 100000)   # 0.9958 per 100,000
    assert men["value"] == pytest.approx(49 / 4920220 * 100000)
