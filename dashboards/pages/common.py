"""Helpers shared by pages: names of areas and indicators, option lists, parameter checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl

from dashboards.figures import Point
from indicators import release_reader as data
from indicators.i18n import (
    TEXT,
    code_label,
    fmt_period,
    norm_lang,
    round_half_up,
    t,
    unit_decimals,
)
from indicators.reference import districts
from indicators.release_reader import Release

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
    """(code, name) of the release's indicators of ``family`` for ``audiences``: the headline
    first, then the registry's order (counts, rates, changes, shares), in every language."""
    from indicators.registry import load_registry

    frame = data.indicators(rel).filter(
        (pl.col("family") == family) & pl.col("audience").is_in(list(audiences)))

    registry = load_registry()
    name = "name_en" if norm_lang(lang) == "en" else "name_pt"
    rows = sorted(frame.iter_rows(named=True), key=lambda r: (
        r["code"] != HEADLINE_INDICATOR, registry.order_key(r["code"])))
    return [(row["code"], row[name]) for row in rows]


def pick(value: Any, allowed: Sequence[str], default: str | None) -> str | None:
    return value if value in allowed else default


def points(frame: pl.DataFrame) -> tuple[Point, ...]:
    return tuple(Point(period_end=r["period_end"], label=r["period_label"], value=r["value"],
                       flags=r["flags"] or "", start=r.get("period"))
                 for r in frame.iter_rows(named=True))


def left_out_labels(rel: Release, indicator: str, grain: str, geo: str, breakdown: str,
                    frame: pl.DataFrame) -> tuple[pl.DataFrame, set[str]]:
    """The total ``geo``'s values of ``breakdown`` (``frame``) are part of (the national
    total for an area's total, the area's total for a breakdown), and the labels of the
    periods where the release publishes that total but leaves ``frame`` out
    (:func:`indicators.release_reader.left_out`). An area's period counts only where the
    release publishes other areas (the year to date by area is published at the end of a
    quarter only: the months between are not left out)."""
    if breakdown == "_T":
        totals = data.values(rel, indicator, grain, ("PT",), "_T")
        gaps = data.left_out(totals, frame, (geo,), data.area_period_labels(rel, indicator,
                                                                          grain))
    else:
        totals = data.values(rel, indicator, grain, (geo,), "_T")
        gaps = data.left_out(totals, frame)
    return totals, {label for _, label, _ in gaps}


def left_out_points(rel: Release, indicator: str, grain: str, geo: str, breakdown: str,
                    frame: pl.DataFrame) -> tuple[Point, ...]:
    """A point without value (``left_out``) for each period of :func:`left_out_labels`
    (none for Portugal's total, nor for a line the release never publishes at ``grain``):
    charts keep the period and break the line there instead of joining the periods around
    it; tables say "not published" in its row."""
    if (breakdown == "_T" and geo == "PT") or frame.is_empty():
        return ()
    totals, missing = left_out_labels(rel, indicator, grain, geo, breakdown, frame)
    return tuple(replace(pt, value=None, flags="", left_out=True)
                 for pt in points(totals) if pt.label in missing)


def breakdown_code_label(breakdown: str, code: str, lang: str) -> str:
    return t("bd._T", lang) if breakdown == "_T" else code_label(code, lang, breakdown)


# --- breakdown levels (one level of a hierarchy at a time) ----------------------------------

LEVELS: tuple[str, ...] = ("main", "detail")


def _hierarchy(breakdown: str) -> dict[str, str]:
    from indicators.registry import load_registry

    return load_registry().hierarchies.get(breakdown, {})


def has_levels(breakdown: str, codes: Sequence[str]) -> bool:
    """True when the published codes hold both a group (``SEXUAL``) and its parts."""
    tree = _hierarchy(breakdown)
    return any(c in tree for c in codes) and any(c in tree.values() for c in codes)


def level_codes(breakdown: str, codes: Sequence[str], level: str) -> list[str]:
    """The codes of ONE level: ``main`` = groups and codes outside the hierarchy; ``detail``
    = parts and codes outside it. A group never stands beside its own parts."""
    tree = _hierarchy(breakdown)
    if not has_levels(breakdown, codes):
        return list(codes)
    parents = set(tree.values())
    if level == "detail":
        return [c for c in codes if c not in parents]
    return [c for c in codes if c not in tree]


# --- why a value is provisional -------------------------------------------------------------

def source_return(indicator: str) -> str | None:
    """The partner return an indicator is computed from (registry), if known."""
    from indicators.registry import load_registry

    try:
        return load_registry().get(indicator).source_return
    except KeyError:
        return None


# A view parameter set by the server from the signed-in role, never read from the address:
# may the viewer read WHICH partner's return is missing (data quality: analysts only)?
NAMES_MISSING = "names_missing"


def names_missing(role: str) -> bool:
    """Whether ``role`` reads the partners whose returns are missing (analysts; the public,
    donors and partners read only that a partner's return is missing)."""
    from indicators.users import role_allows

    return role_allows(role, "analyst")


def provisional_note(rel: Release, indicator: str, start: Any, end: Any, lang: str,
                     named: bool = False, limit: int = 4) -> str:
    """Why a value is provisional: the expected returns not received in the months of
    [start, end]. ``named`` (analysts): "Missing returns: APAV (victims, Mar 2024), …";
    otherwise only that a partner's return for the period is missing (no partner, return
    type or month: data quality is the analysts')."""
    frame = data.missing_returns(rel)
    wanted = source_return(indicator)
    frame = frame.filter((pl.col("period") >= start) & (pl.col("period") <= end))
    if wanted is not None:
        frame = frame.filter(pl.col("return_type") == wanted)
    if frame.is_empty():
        return ""
    if not named:
        return t("tr.missing_unnamed", lang)
    items = [f"{r['partner']} ({return_type_label(r['return_type'], lang)}, "
             f"{fmt_period(format(r['period'], '%Y-%m'), 'month', lang)})"
             for r in frame.iter_rows(named=True)]
    more = len(items) - limit
    text = ", ".join(items[:limit]) + (t("tr.more", lang, n=more) if more > 0 else "")
    return t("tr.missing", lang, returns=text)


def return_type_label(code: str, lang: str) -> str:
    key = f"rt.{code}"
    return t(key, lang) if key in TEXT else code


def round_as_shown(value: float | None, unit: str) -> float | None:
    """A value rounded as the screen shows it (counts whole, rates and shares 1 decimal)."""
    if value is None:
        return None
    decimals = unit_decimals(unit)
    rounded = round_half_up(value, decimals)
    return rounded if decimals else int(rounded)
