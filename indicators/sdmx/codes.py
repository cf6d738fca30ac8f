"""How the published release's codes and flags become SDMX codes (one place for every rule).

* Reference area (``REF_AREA``): national total ``PT`` (NUTS 0 and ISO 3166-1); a district
  or autonomous region whose territory is exactly one NUTS 2024 region takes that NUTS code
  (Faro = PT15 Algarve, Açores = PT20, Madeira = PT30); every other district keeps its
  ISO 3166-2 code (``PT-01`` … ``PT-18``: districts straddle NUTS regions, see
  ``indicators/reference/SOURCES.md``). Persons identified abroad: ``W1`` (rest of the
  world); unknown district: ``_X`` (SDMX "unspecified").
* Time period: ``2025``, ``2025-Q3``, ``2025-07``; rolling-12-month and year-to-date sums as
  SDMX time ranges (``2024-08-01/P12M``), told apart by the ``GRAIN`` dimension.
* Flags (``indicators.flags``) → SDMX cross-domain attributes: ``OBS_STATUS`` (CL_OBS_STATUS:
  A normal, P provisional, E estimated (``e``, when not also provisional), M missing because
  the value cannot exist (``z``), O missing value (``:`` not reported)) and ``CONF_STATUS``
  (CL_CONF_STATUS: F free, C confidential (``c``)). The release's own flag letters travel
  unchanged in ``OBS_FLAG`` (Eurostat style), so ``r`` (revised) and ``e`` are kept too.
* Decimals (``DECIMALS``, SDMX cross-domain, OECD usage): the decimals the observatory shows
  a value with on its pages and reports (``indicators.i18n.unit_decimals``: counts 0, rates
  per 100,000 and percentages 1, rounded half up). ``OBS_VALUE`` itself is not rounded, so
  that sums and ratios recomputed from it carry no rounding error.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from indicators import flags as fl
from indicators import reference
from indicators.i18n import unit_decimals

NATIONAL = "PT"
SPECIAL_AREAS: dict[str, tuple[str, str, str]] = {
    # release geo -> (SDMX code, name PT, name EN)
    "ABROAD": ("W1", "Estrangeiro (vítimas portuguesas identificadas no estrangeiro)",
               "Abroad (Portuguese victims identified abroad)"),
    "UNKNOWN": ("_X", "Distrito desconhecido", "Unknown district"),
}
_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")

OBS_STATUS: dict[str, tuple[str, str]] = {
    # code -> (name PT, name EN), subset of SDMX CL_OBS_STATUS
    "A": ("Valor normal", "Normal value"),
    "P": ("Valor provisório", "Provisional value"),
    "E": ("Valor estimado", "Estimated value"),
    "M": ("Valor em falta; o dado não pode existir", "Missing value; data cannot exist"),
    "O": ("Valor em falta (ainda não reportado)", "Missing value (not yet reported)"),
}
CONF_STATUS: dict[str, tuple[str, str]] = {
    # subset of SDMX CL_CONF_STATUS
    "F": ("Livre (publicável)", "Free"),
    "C": ("Informação estatística confidencial", "Confidential statistical information"),
}

DECIMALS: dict[str, tuple[str, str]] = {
    # subset of SDMX CL_DECIMALS: the decimals a value is shown with
    "0": ("Zero", "Zero"),
    "1": ("Um", "One"),
}


def decimals(unit: str) -> str:
    """The ``DECIMALS`` code of a value of ``unit`` (the precision the dashboard shows)."""
    return str(unit_decimals(unit))


@cache
def nuts_exact() -> dict[str, str]:
    """District code -> NUTS 2024 region code, for districts whose territory IS the region
    (every municipality of the district lies in it, and the region holds no other)."""
    rows = reference.district_region_rows()
    per_region: dict[str, int] = {}
    for row in rows:
        per_region[row["nuts2_2024"]] = per_region.get(row["nuts2_2024"], 0) + int(
            row["municipalities_in_region"])
        for part in filter(None, row["other_regions"].split(";")):
            region, count = part.split(":")
            per_region[region] = per_region.get(region, 0) + int(count)
    exact = {}
    for row in rows:
        whole = int(row["municipalities"]) == int(row["municipalities_in_region"])
        if whole and per_region[row["nuts2_2024"]] == int(row["municipalities"]):
            exact[row["code"]] = row["nuts2_2024"]
    return exact


def ref_area(geo: str) -> str:
    """The SDMX reference-area code of a published ``geo``."""
    if geo in SPECIAL_AREAS:
        return SPECIAL_AREAS[geo][0]
    return nuts_exact().get(geo, geo)


def area_names() -> dict[str, tuple[str, str, str]]:
    """Release geo -> (SDMX code, name PT, name EN) for every area a release can carry."""
    names = {NATIONAL: (NATIONAL, "Portugal", "Portugal")}
    for district in reference.districts():
        names[district.code] = (ref_area(district.code), district.name_pt, district.name_en)
    return names | SPECIAL_AREAS


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def time_period(grain: str, period: date, period_end: date) -> str:
    """SDMX time period of a published value."""
    if grain == "year":
        return f"{period.year}"
    if grain == "quarter":
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    if grain == "month":
        return f"{period:%Y-%m}"
    return f"{period:%Y-%m-%d}/P{_months(period, period_end)}M"


def code_id(code: str) -> str:
    """A release code as an SDMX identifier: ``+`` is spelt ``_PLUS`` (``55+`` → ``55_PLUS``);
    any other character outside the SDMX ID alphabet is refused."""
    text = code.replace("+", "_PLUS")
    if not _ID.match(text):
        raise ValueError(f"code {code!r} cannot be written as an SDMX identifier")
    return text


def obs_status(flags: str) -> str:
    if fl.NOT_APPLICABLE in flags:
        return "M"
    if fl.NOT_AVAILABLE in flags:
        return "O"
    if fl.PROVISIONAL in flags:
        return "P"
    if fl.ESTIMATED in flags:
        return "E"
    return "A"


def conf_status(flags: str) -> str:
    return "C" if fl.CONFIDENTIAL in flags else "F"
