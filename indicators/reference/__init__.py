"""Reference data committed with the project (see SOURCES.md in this folder)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class District:
    code: str
    dico: str
    name_pt: str
    name_en: str
    short_name: str
    kind: str
    pop_2021: int
    men_2021: int | None
    women_2021: int | None


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    returns: frozenset[str]


@dataclass(frozen=True)
class Country:
    iso2: str
    name_en: str
    name_pt: str
    group: str  # PT, EU or NON_EU


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def districts() -> tuple[District, ...]:
    return tuple(
        District(
            code=r["code"], dico=r["dico"], name_pt=r["name_pt"], name_en=r["name_en"],
            short_name=r["short_name"], kind=r["kind"], pop_2021=int(r["pop_2021"]),
            men_2021=_int_or_none(r["men_2021"]), women_2021=_int_or_none(r["women_2021"]),
        )
        for r in _rows("districts.csv")
    )


@cache
def partners() -> tuple[Partner, ...]:
    return tuple(
        Partner(code=r["code"], name=r["name"], returns=frozenset(r["returns"].split(";")))
        for r in _rows("partners.csv")
    )


@cache
def countries() -> tuple[Country, ...]:
    return tuple(
        Country(iso2=r["iso2"], name_en=r["name_en"], name_pt=r["name_pt"], group=r["group"])
        for r in _rows("countries.csv")
    )


@cache
def national_population() -> dict[int, int]:
    """Resident population of Portugal on 1 January, by year."""
    return {int(r["year"]): int(r["population"]) for r in _rows("population_national.csv")}


def code_list(name: str) -> tuple[str, ...]:
    """The codes of a named reference list, as the contract's ``codes_from`` names them."""
    if name == "districts":
        return tuple(d.code for d in districts())
    if name == "partners":
        return tuple(p.code for p in partners())
    if name == "countries":
        return tuple(c.iso2 for c in countries())
    raise KeyError(f"unknown reference list {name!r}")


GEOJSON_FILE = REFERENCE_DIR / "pt_districts.geojson"


@cache
def district_regions() -> dict[str, tuple[str, str]]:
    """ISO district code -> (NUTS 2024 level-II code, region name), by majority of municipalities.

    Districts straddle NUTS regions; see SOURCES.md and ``district_regions.csv``.
    """
    return {r["code"]: (r["nuts2_2024"], r["region_name"]) for r in _rows("district_regions.csv")}


def district_region_rows() -> list[dict[str, str]]:
    """The rows of ``district_regions.csv`` (with municipality counts per NUTS region)."""
    return _rows("district_regions.csv")


def district_geojson() -> dict:
    """District and autonomous-region boundaries (EPSG:4326), property ``code`` = ISO code.

    Returns a fresh dict on every call, so callers may modify it.
    """
    import json

    return json.loads(GEOJSON_FILE.read_text(encoding="utf-8"))
