"""Rebuild indicators/reference/countries.csv from pycountry (Debian iso-codes data).

Run by a developer, never at run time:
`uv run --with pycountry python scripts/build_countries.py`.
"""

import csv
import gettext
from pathlib import Path

import pycountry

EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

pt = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
out = Path(__file__).resolve().parents[1] / "indicators" / "reference" / "countries.csv"
with out.open("w", newline="", encoding="utf-8") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["iso2", "name_en", "name_pt", "group"])
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        group = "PT" if code == "PT" else ("EU" if code in EU27 else "NON_EU")
        name = getattr(country, "common_name", None) or country.name
        writer.writerow([code, name, pt.gettext(country.name), group])
print(f"wrote {out}")
