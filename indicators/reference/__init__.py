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
    # True where men/women are an estimate (flag ``e``), not INE's figure; see SOURCES.md
    sex_estimated: bool = False
    # Census 2021 age groups (INE's standard bands); None where not verified
    age_0_14_2021: int | None = None
    age_15_24_2021: int | None = None
    age_25_64_2021: int | None = None
    age_65plus_2021: int | None = None


AGE_BANDS = ("age_0_14_2021", "age_15_24_2021", "age_25_64_2021", "age_65plus_2021")


@dataclass(frozen=True)
class CensusPopulation:
    """Census 2021 resident population of one unit, by sex and by INE age band."""

    code: str
    total: int
    men: int
    women: int
    age_0_14: int
    age_15_24: int
    age_25_64: int
    age_65plus: int
    source: str


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


def _bool(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"districts.csv: sex_estimated must be true or false, not {text!r}")
    return text == "true"


@cache
def districts() -> tuple[District, ...]:
    return tuple(
        District(
            code=r["code"], dico=r["dico"], name_pt=r["name_pt"], name_en=r["name_en"],
            short_name=r["short_name"], kind=r["kind"], pop_2021=int(r["pop_2021"]),
            men_2021=_int_or_none(r["men_2021"]), women_2021=_int_or_none(r["women_2021"]),
            sex_estimated=_bool(r["sex_estimated"]),
            **{band: _int_or_none(r[band]) for band in AGE_BANDS},
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


@cache
def national_census_2021() -> CensusPopulation:
    """Portugal's Census 2021 resident population by sex and age band (INE, tables Q01/Q04)."""
    r = _rows("population_census2021_national.csv")[0]
    return CensusPopulation(
        code=r["code"], total=int(r["pop_2021"]), men=int(r["men_2021"]),
        women=int(r["women_2021"]), age_0_14=int(r["age_0_14_2021"]),
        age_15_24=int(r["age_15_24_2021"]), age_25_64=int(r["age_25_64_2021"]),
        age_65plus=int(r["age_65plus_2021"]), source=r["source"])


def unverified_sex_remainder() -> tuple[tuple[str, ...], int, int]:
    """The districts without INE's split by sex (estimated or missing), and the men and
    women they hold together: national Census 2021 minus the sum of the verified districts.
    This combined figure is exact; the split of each of these districts is an estimate
    (``sex_estimated``), raked to it by ``scripts/estimate_district_sex.py``."""
    ds = districts()
    missing = tuple(d.code for d in ds
                    if d.sex_estimated or d.men_2021 is None or d.women_2021 is None)
    nat = national_census_2021()
    men = nat.men - sum(d.men_2021 or 0 for d in ds if d.code not in missing)
    women = nat.women - sum(d.women_2021 or 0 for d in ds if d.code not in missing)
    return missing, men, women


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
