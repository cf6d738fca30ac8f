"""Estimate men and women of the districts without INE's split by sex; rewrite districts.csv.

Run by a developer, never at run time: `.venv/bin/python scripts/estimate_district_sex.py`
(`--check` only prints the table and fails if districts.csv differs from the result).

Districts estimated: those whose row in indicators/reference/districts.csv has no men/women
or has ``sex_estimated`` true (Braga, Bragança, Porto, Viana do Castelo). Method
(indicators/reference/sex_estimate.py): geoapi-pt BGRI 2021 women share
(indicators/reference/geoapi_bgri2021_sex.csv) x INE district total, raked so that each
district's men + women = INE total and the estimated districts together hold exactly INE's
national men/women minus the verified districts. Prints, per district, INE total, geoapi
coverage, geoapi and final women shares and the adjustment in percentage points.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.reference import national_census_2021  # noqa: E402
from indicators.reference.sex_estimate import (  # noqa: E402
    SexEstimate,
    auxiliary_splits,
    estimate_sex,
)

OUT = ROOT / "indicators" / "reference" / "districts.csv"
SOURCE = ("INE, Censos 2021 (definitive results); sex: estimate — geoapi-pt BGRI2021 sex "
          "shares (coverage {coverage:.1f} %) applied to INE total, raked to INE national "
          "men/women; age: n/a (geoapi aggregate incomplete)")


def _estimated(row: dict[str, str]) -> bool:
    return row.get("sex_estimated") == "true" or not row["men_2021"].strip()


def estimate(rows: list[dict[str, str]]) -> dict[str, SexEstimate]:
    """The estimates for the rows to estimate, from the verified rows and INE's national."""
    nat = national_census_2021()
    verified = [r for r in rows if not _estimated(r)]
    men = nat.men - sum(int(r["men_2021"]) for r in verified)
    women = nat.women - sum(int(r["women_2021"]) for r in verified)
    totals = {r["code"]: int(r["pop_2021"]) for r in rows if _estimated(r)}
    return estimate_sex(totals, auxiliary_splits(), men, women)


def rewrite(rows: list[dict[str, str]], estimates: dict[str, SexEstimate]) -> str:
    """districts.csv with the estimates written in and the ``sex_estimated`` column."""
    fields = list(rows[0])
    if "sex_estimated" not in fields:
        fields.insert(fields.index("women_2021") + 1, "sex_estimated")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        row = dict(row)
        est = estimates.get(row["code"])
        row["sex_estimated"] = "true" if est else "false"
        if est:
            row["men_2021"], row["women_2021"] = str(est.men), str(est.women)
            row["source"] = SOURCE.format(coverage=est.coverage * 100)
        writer.writerow(row)
    return out.getvalue()


def report(estimates: dict[str, SexEstimate]) -> str:
    lines = ["code   INE total  coverage  geoapi women %  final women %  adj. pp      men"
             "    women"]
    for e in estimates.values():
        lines.append(f"{e.code}  {e.total:>9,}  {e.coverage:>7.1%}  {e.aux_women_share:>14.3%}"
                     f"  {e.women_share:>13.3%}  {e.adjustment_pp:>+7.3f}  {e.men:>7,}"
                     f"  {e.women:>7,}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    with OUT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    estimates = estimate(rows)
    print(report(estimates))
    text = rewrite(rows, estimates)
    if "--check" in argv:
        same = OUT.read_text(encoding="utf-8") == text
        print("districts.csv is up to date" if same else "districts.csv differs")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
