"""Helpers shared by pages: names of areas and indicators, option lists, parameter checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from dashboards import data
from dashboards.data import Release
from dashboards.figures import Point
from dashboards.i18n import code_label, flag_words, norm_lang, t
from indicators.reference import districts

GEOS_ORDER: tuple[str, ...] = tuple(d.code for d in districts())


def geo_name(code: str, lang: str) -> str:
    islands = {"PT-20": "map.azores", "PT-30": "map.madeira"}
    if code in islands:
        return t(islands[code], lang)
    for d in districts():
        if d.code == code:
            return d.name_pt
    key = f"geo.{code}"
    try:
        return t(key, lang)
    except KeyError:
        return code


def district_options(lang: str, national: bool = True) -> list[tuple[str, str]]:
    opts = [("PT", t("geo.PT", lang))] if national else []
    return opts + [(d.code, geo_name(d.code, lang)) for d in districts()]


def indicator_name(rel: Release, code: str, lang: str) -> str:
    meta = data.indicator_meta(rel, code)
    if meta is None:
        return code
    return meta["name_en"] if norm_lang(lang) == "en" else meta["name_pt"]


# The indicator a page opens with: persons signalled (the SDG 16.2.2 headline count).
HEADLINE_INDICATOR = "THB_SIGNALLED"


def indicator_options(rel: Release, lang: str, family: str = "trafficking",
                      audiences: Sequence[str] = ("public",)) -> list[tuple[str, str]]:
    frame = data.indicators(rel).filter(
        (pl.col("family") == family) & pl.col("audience").is_in(list(audiences)))
    name = "name_en" if norm_lang(lang) == "en" else "name_pt"
    rows = sorted(frame.iter_rows(named=True), key=lambda r: (
        r["code"] != HEADLINE_INDICATOR, r["kind"] != "count", r["unit"] != "persons"))
    return [(row["code"], row[name]) for row in rows]


def pick(value: Any, allowed: Sequence[str], default: str | None) -> str | None:
    return value if value in allowed else default


def points(frame: pl.DataFrame) -> tuple[Point, ...]:
    return tuple(Point(period_end=r["period_end"], label=r["period_label"], value=r["value"],
                       flags=r["flags"] or "") for r in frame.iter_rows(named=True))


def breakdown_code_label(breakdown: str, code: str, lang: str) -> str:
    return t("bd._T", lang) if breakdown == "_T" else code_label(code, lang, breakdown)


def status_words(flags: str, value: Any, lang: str) -> str:
    """The value's state in words: 'confidential', 'provisional', … or 'final'."""
    words = flag_words(flags, lang)
    if words:
        return words
    return t("flag.none", lang) if value is not None else ""
