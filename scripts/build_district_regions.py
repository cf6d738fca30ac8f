"""Rebuild indicators/reference/district_regions.csv: each district's NUTS II (2024) region.

Run by a developer, never at run time:
`.venv/bin/python scripts/build_district_regions.py [MUNICIPALITIES_CSV]`
(default: ../shared/reference/pt_municipalities_district_nuts.csv beside the work tree).

Method: a district's region is the NUTS 2024 level-II region that holds the majority of its
municipalities (ties would be an error). Districts straddle NUTS regions (e.g. Aveiro: 12
municipalities in Centro, 7 in Norte), so this is an approximation for presentation only;
the counts are written beside the choice. Island codes 31-32 map to PT-30 (Madeira) and
41-49 to PT-20 (Açores).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "pt_municipalities_district_nuts.csv"
OUT = ROOT / "indicators" / "reference" / "district_regions.csv"
SHORT_NAMES = {"PT20": "Açores", "PT30": "Madeira"}


def iso_code(di: str) -> str:
    number = int(di)
    if 1 <= number <= 18:
        return f"PT-{number:02d}"
    if 31 <= number <= 32:
        return "PT-30"
    if 41 <= number <= 49:
        return "PT-20"
    raise ValueError(f"unknown district/island code {di!r}")


def derive(rows: list[dict[str, str]]) -> list[list[str]]:
    counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in rows:
        counts[iso_code(row["di"])][(row["nuts2_2024"], row["nuts2_2024_nome"])] += 1
    out = []
    for code in sorted(counts):
        ranked = counts[code].most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            raise SystemExit(f"{code}: tie between NUTS regions {ranked[:2]}")
        (region, name), n = ranked[0]
        others = ";".join(f"{r}:{k}" for (r, _), k in ranked[1:])
        out.append([code, region, SHORT_NAMES.get(region, name), str(sum(counts[code].values())),
                    str(n), others])
    return out


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = derive(rows)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "nuts2_2024", "region_name", "municipalities",
                         "municipalities_in_region", "other_regions"])
        writer.writerows(table)
    print(f"{len(table)} units from {len(rows)} municipalities -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
