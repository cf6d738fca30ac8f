"""Small hand-made inputs for the orchestration tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from indicators.publish import ProtectedRelease

VICTIMS_HEADER = ("partner,period,district,sex,age_group,citizenship,exploitation,status,"
                  "signalled_by,count")


def write_victims_csv(folder: Path, name: str, partner: str, period: str,
                      counts: list[int]) -> Path:
    """A valid victims return: one row per count, differing by district."""
    districts = ["PT-11", "PT-13", "PT-02", "PT-15", "PT-08"]
    lines = [VICTIMS_HEADER]
    for district, count in zip(districts, counts, strict=False):
        lines.append(f"{partner},{period},{district},F,25-34,BR,sexual_prostitution,presumed,"
                     f"police,{count}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def value_row(indicator: str, breakdown: str, code: str, value: float | None,
              flags: str = "", period: date = date(2024, 3, 1), grain: str = "month",
              geo: str = "PT", unit: str = "persons") -> dict:
    return {"indicator": indicator, "grain": grain, "period": period,
            "period_end": date(period.year, period.month, 28), "period_label":
            f"{period:%Y-%m}", "geo": geo, "breakdown": breakdown, "breakdown_code": code,
            "value": value, "numerator": None, "denominator": None, "unit": unit,
            "flags": flags}


VALUE_SCHEMA = {"indicator": pl.String, "grain": pl.String, "period": pl.Date,
                "period_end": pl.Date, "period_label": pl.String, "geo": pl.String,
                "breakdown": pl.String, "breakdown_code": pl.String, "value": pl.Float64,
                "numerator": pl.Float64, "denominator": pl.Float64, "unit": pl.String,
                "flags": pl.String}


def protected_release(rows: list[dict], audit_ok: bool = True,
                      failures: tuple[str, ...] = ()) -> ProtectedRelease:
    return ProtectedRelease(
        indicator_values=pl.DataFrame(rows, schema=VALUE_SCHEMA), audit_ok=audit_ok,
        audit_failures=failures, threshold=5, latest_period=date(2024, 3, 1),
        latest_complete_period=date(2024, 2, 1),
        source_returns=[{"partner": "OTSH", "return_type": "victims", "period": "2024-03",
                         "version": 1}],
        synthetic=True)


def good_rows(female: float = 7.0) -> list[dict]:
    """THB_SIGNALLED in March 2024: total 19 = F + M (female 7 and male 12 by default);
    every published count is 0 or at least 5."""
    return [
        value_row("THB_SIGNALLED", "_T", "_T", female + 12.0),
        value_row("THB_SIGNALLED", "sex", "F", female),
        value_row("THB_SIGNALLED", "sex", "M", 12.0),
        value_row("THB_SIGNALLED", "sex", "X", 0.0),
        value_row("THB_SIGNALLED", "sex", "U", 0.0),
    ]
