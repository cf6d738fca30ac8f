"""The release-wide audit over the cube the published tables are margins of.

District x quarter (persons signalled), district x status (by year) and quarter x status
(national) form a cycle: a reader who writes down the district x quarter x status cube they
are all margins of can bound more than one who links the published cells pairwise. Expected
intervals are worked out by hand below each case."""

from __future__ import annotations

from datetime import date

import polars as pl

from indicators.derived_values import VALUE_SCHEMA
from indicators.registry import load_registry
from indicators.release_audit import audit_release

REGISTRY = load_registry()
DISTRICT = "PT-04"
PARTS = ("THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED")


def row(indicator: str, label: str, value: float | None, geo: str = "PT") -> dict:
    grain = "quarter" if "Q" in label else "year"
    quarter = int(label[-1]) if grain == "quarter" else 1
    return {"indicator": indicator, "grain": grain,
            "period": date(int(label[:4]), 3 * quarter - 2, 1),
            "period_end": date(int(label[:4]), 12, 31), "period_label": label, "geo": geo,
            "breakdown": "_T", "breakdown_code": "_T", "value": value, "numerator": None,
            "denominator": None, "unit": "persons", "flags": "c" if value is None else ""}


def release(national_by_quarter: dict[str, tuple[int, int, int]],
            district_quarters: tuple[int, int, int, int],
            district_year: tuple[int | None, int | None, int | None]) -> pl.DataFrame:
    """National status split by quarter, the district's persons signalled by quarter and its
    yearly status split (None = suppressed); other districts are not published."""
    rows = []
    for q, parts in national_by_quarter.items():
        rows.append(row("THB_SIGNALLED", f"2025-{q}", float(sum(parts))))
        rows += [row(p, f"2025-{q}", float(v)) for p, v in zip(PARTS, parts, strict=True)]
    totals = [sum(v[i] for v in national_by_quarter.values()) for i in range(3)]
    rows.append(row("THB_SIGNALLED", "2025", float(sum(totals))))
    rows += [row(p, "2025", float(v)) for p, v in zip(PARTS, totals, strict=True)]
    for q, v in enumerate(district_quarters, start=1):
        rows.append(row("THB_SIGNALLED", f"2025-Q{q}", float(v), DISTRICT))
    rows.append(row("THB_SIGNALLED", "2025", float(sum(district_quarters)), DISTRICT))
    rows += [row(p, "2025", None if v is None else float(v), DISTRICT)
             for p, v in zip(PARTS, district_year, strict=True)]
    return pl.DataFrame(rows, schema=VALUE_SCHEMA)


def district_interval(values: pl.DataFrame, indicator: str) -> tuple[float, float]:
    report = audit_release(values, REGISTRY)
    [found] = [(c.low, c.high) for c in report.intervals
               if c.key == (indicator, "year", "2025", DISTRICT, "_T", "_T")]
    return found


def test_a_status_nobody_had_in_a_quarter_bounds_a_district_by_its_other_quarters():
    # Nationally nobody is confirmed in Q1-Q3 and 10 in Q4; the district has 10, 10, 10
    # and 3 persons in the quarters, 0 not confirmed, and presumed and confirmed hidden.
    # Its confirmed persons were all signalled in Q4, where it has 3: confirmed <= 3, and
    # >= 1 (hidden, zeros published). Linking the published cells pairwise gives only
    # confirmed <= min(33 - 1 presumed, 10 national).
    values = release({"Q1": (20, 0, 5), "Q2": (20, 0, 5), "Q3": (20, 0, 5),
                      "Q4": (20, 10, 5)}, (10, 10, 10, 3), (None, None, 0))
    assert district_interval(values, "THB_CONFIRMED") == (1, 3)
    assert district_interval(values, "THB_PRESUMED") == (30, 32)
    report = audit_release(values, REGISTRY)
    assert [c.key[0] for c in report.disclosed()] == ["THB_CONFIRMED"]


def test_confirmed_persons_in_two_quarters_are_bounded_by_both():
    # 5 confirmed nationally in Q1 and 5 in Q4: the district's share is at most 5 in Q1 (the
    # national count; it has 10 persons there) plus 3 in Q4 (its persons): [1, 8], not
    # disclosed (8 >= k); pairwise, [1, 10].
    values = release({"Q1": (20, 5, 5), "Q2": (20, 0, 5), "Q3": (20, 0, 5),
                      "Q4": (20, 5, 5)}, (10, 10, 10, 3), (None, None, 0))
    assert district_interval(values, "THB_CONFIRMED") == (1, 8)
    assert audit_release(values, REGISTRY).ok


def test_without_that_pattern_the_cube_adds_nothing():
    # All 10 confirmed persons signalled in Q1, where the district has 10 persons: the cube
    # allows all 10 in the district, as the national total does: [1, 10], as pairwise.
    values = release({"Q1": (20, 10, 5), "Q2": (20, 0, 5), "Q3": (20, 0, 5),
                      "Q4": (20, 0, 5)}, (10, 10, 10, 3), (None, None, 0))
    assert district_interval(values, "THB_CONFIRMED") == (1, 10)
    assert audit_release(values, REGISTRY).ok
