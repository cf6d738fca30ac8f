"""Trends: time series by month, quarter or year, with breakdowns and a comparison area.

Each value sits at its own period (a category axis of readable labels). The controls offer
only the combinations the release publishes (breakdowns by year; by district only the total
and sex); a combination that is not published (e.g. from an old link) is explained, with a
link that fixes it, instead of an empty chart. A breakdown shows one level of its hierarchy
at a time (groups or details), never a group beside its own parts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from dash import dcc, html

from dashboards.components import (
    View,
    downloads,
    dropdown,
    graph,
    image_footer,
    methodology_linked,
    radio,
    table,
)
from dashboards.figures import MAX_LINES, Series, trend_figure
from dashboards.pages.common import (
    LEVELS,
    NAMES_MISSING,
    breakdown_code_label,
    district_options,
    geo_name,
    has_levels,
    indicator_name,
    indicator_options,
    left_out_labels,
    left_out_points,
    level_codes,
    pick,
    points,
    provisional_note,
    round_as_shown,
)
from indicators import release_reader as data
from indicators.i18n import breakdown_label, fmt_period, status_words, t, tn, unit_decimals
from indicators.release_reader import Release
from indicators.reports.exports import Table, span_words

PATH = "/trends"
TITLE_KEY = "page.trends"
AUDIENCE = "public"
PARAMS = ("indicator", "grain", "breakdown", "level", "district", "compare")
CONTROL_KEYS = ("indicator", "grain", "breakdown", "district", "compare")
TREND_GRAINS = ("month", "quarter", "year")
GRAPH_ID = "trend-graph"
# the view reads the role (dashboards.app.page_view): analysts' hovers name missing returns
VIEWER_PARAMS = (NAMES_MISSING,)


def _dimensions(rel: Release, indicator: str) -> list[str]:
    dims: list[str] = []
    for breakdown, _code in data.breakdowns(rel, indicator):
        if breakdown not in dims:
            dims.append(breakdown)
    return dims


def _codes(rel: Release, indicator: str, breakdown: str) -> list[str]:
    return [c for b, c in data.breakdowns(rel, indicator) if b == breakdown]


def _geos(p: dict[str, Any]) -> list[str]:
    return [p["district"]] + ([p["compare"]] if p["compare"] != "none" else [])


def published(rel: Release, indicator: str, grain: str, breakdown: str, geo: str) -> bool:
    """Is ``breakdown`` of ``indicator`` published at ``grain`` for ``geo``?"""
    return (grain, geo == "PT", breakdown) in data.combinations(rel, indicator)


def published_grains(rel: Release, indicator: str, breakdown: str, geos: list[str]
                     ) -> list[str]:
    """The grains (TREND_GRAINS' order) at which ``breakdown`` of ``indicator`` is published
    for every area of ``geos``."""
    return [g for g in TREND_GRAINS
            if all(published(rel, indicator, g, breakdown, geo) for geo in geos)]


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    inds = [c for c, _ in indicator_options(rel, "pt")]
    indicator = pick(params.get("indicator"), inds, inds[0] if inds else None)
    geos = [c for c, _ in district_options("pt")]
    district = pick(params.get("district"), geos, "PT")
    if indicator is None:
        return {"indicator": None, "grain": "month", "breakdown": "_T", "level": "main",
                "district": district, "compare": "none"}
    grains = [g for g in TREND_GRAINS if g in data.grains(rel, indicator)]
    compare = pick(params.get("compare"), ["none", *geos], "none" if district == "PT" else "PT")
    if compare == district:
        compare = "none"
    breakdown = pick(params.get("breakdown"), _dimensions(rel, indicator), "_T")
    geos = _geos({"district": district, "compare": compare})
    # without a grain asked (the menu keeps the district from another page): the first one
    # published for the areas and breakdown, not an empty chart with a notice
    default = (published_grains(rel, indicator, breakdown, geos) or grains or ["month"])[0]
    return {"indicator": indicator, "grain": pick(params.get("grain"), grains, default),
            "breakdown": breakdown, "level": pick(params.get("level"), LEVELS, "main"),
            "district": district, "compare": compare}


def _breakdown_options(rel: Release, p: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Every breakdown; those not published at the chosen grain and areas are disabled and
    say where they are published."""
    out = []
    for dim in _dimensions(rel, p["indicator"]):
        ok = all(published(rel, p["indicator"], p["grain"], dim, g) for g in _geos(p))
        label = breakdown_label(dim, lang)
        if not ok:
            label = f"{label} ({_where_published(rel, p, dim, lang)})"
        out.append({"label": label, "value": dim, "disabled": not ok})
    return out


def _grain_options(rel: Release, p: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The indicator's grains; those without values for the chosen breakdown and areas are
    disabled and say why (by district: no months; persons signalled by quarter and year)."""
    out = []
    for grain in (g for g in TREND_GRAINS if g in data.grains(rel, p["indicator"])):
        ok = all(published(rel, p["indicator"], grain, p["breakdown"], g) for g in _geos(p))
        label = t(f"grain.{grain}", lang)
        if not ok:
            national = published(rel, p["indicator"], grain, p["breakdown"], "PT")
            label = f"{label} ({t('tr.only_national' if national else 'tr.not_this', lang)})"
        out.append({"label": label, "value": grain, "disabled": not ok})
    return out


def _where_published(rel: Release, p: dict[str, Any], dim: str, lang: str) -> str:
    grains = published_grains(rel, p["indicator"], dim, _geos(p))
    if grains:
        return t("tr.only_at", lang, grains=", ".join(t(f"grain.{g}", lang).lower()
                                                      for g in grains))
    return t("tr.only_national", lang)


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    if p["indicator"] is None:
        return []
    grain = dropdown("grain", lang, [], p["grain"], "ctl.grain")
    grain.children[1].options = _grain_options(rel, p, lang)
    bd = dropdown("breakdown", lang, [], p["breakdown"], "ctl.breakdown")
    bd.children[1].options = _breakdown_options(rel, p, lang)
    out = [
        dropdown("indicator", lang, indicator_options(rel, lang), p["indicator"], "ctl.indicator"),
        grain, bd,
    ]
    if p["breakdown"] != "_T" and has_levels(p["breakdown"],
                                             _codes(rel, p["indicator"], p["breakdown"])):
        out.append(radio("level", lang, [(lv, t(f"level.{lv}", lang)) for lv in LEVELS],
                         p["level"], "ctl.level"))
    out += [
        dropdown("district", lang, district_options(lang), p["district"], "ctl.district"),
        dropdown("compare", lang, [("none", t("ctl.none", lang)), *district_options(lang)],
                 p["compare"], "ctl.compare"),
    ]
    return out


def _top_codes(rel: Release, p: dict[str, Any], codes: list[str]) -> list[str]:
    """At most MAX_LINES categories: the largest by their published total over the series."""
    if len(codes) <= MAX_LINES:
        return codes
    frame = data.values(rel, p["indicator"], p["grain"], (p["district"],), p["breakdown"])
    totals = {c: sum(v for v in frame.filter(frame["breakdown_code"] == c)["value"]
                     if v is not None) for c in codes}
    keep = set(sorted(codes, key=lambda c: -totals[c])[:MAX_LINES])
    return [c for c in codes if c in keep]


def series(rel: Release, p: dict[str, Any], lang: str, top: bool = False
           ) -> list[tuple[str, str, str, Series]]:
    """(geo, breakdown, code, Series) for every line (``top``: at most MAX_LINES codes)."""
    geos = _geos(p)
    codes = level_codes(p["breakdown"], _codes(rel, p["indicator"], p["breakdown"]),
                        p["level"]) if p["breakdown"] != "_T" else ["_T"]
    if top:
        codes = _top_codes(rel, p, codes)
    split = p["breakdown"] != "_T" and len(geos) > 1  # small multiples, one panel per area
    out = []
    for geo in geos:
        frame = data.values(rel, p["indicator"], p["grain"], (geo,), p["breakdown"])
        gaps = left_out_points(rel, p["indicator"], p["grain"], geo, p["breakdown"], frame)
        for code in codes:
            part = frame.filter(frame["breakdown_code"] == code)
            if part.is_empty():
                continue
            name = geo_name(geo, lang) if p["breakdown"] == "_T" else \
                breakdown_code_label(p["breakdown"], code, lang)
            pts = tuple(_readable(rel, p, pt, lang) for pt in sorted(
                points(part) + gaps, key=lambda pt: pt.period_end))
            out.append((geo, p["breakdown"], code, Series(
                name=name, points=pts, group=geo_name(geo, lang) if split else "")))
    return out


def _readable(rel: Release, p: dict[str, Any], pt: Any, lang: str) -> Any:
    note = provisional_note(rel, p["indicator"], pt.start or pt.period_end,
                            pt.period_end, lang, named=bool(p.get(NAMES_MISSING))) \
        if "p" in pt.flags else ""
    return replace(pt, shown=fmt_period(pt.label, p["grain"], lang), note=note)


def _fix(rel: Release, p: dict[str, Any], lang: str) -> html.Div:
    """Why nothing is drawn, and a link that shows the nearest published combination."""
    dim = p["breakdown"]
    grains = published_grains(rel, p["indicator"], dim, _geos(p))
    base = {"lang": lang, "indicator": p["indicator"], "breakdown": dim, "level": p["level"],
            "district": p["district"], "compare": p["compare"]}
    fix = {**base, "grain": "year", "district": "PT", "compare": "none"}
    key = "tr.not_published_total" if dim == "_T" else "tr.not_published"
    return _notice(t(key, lang, breakdown=breakdown_label(dim, lang),
                     grain=t(f"grain.{p['grain']}", lang).lower(),
                     where=_where_published(rel, p, dim, lang)),
                   {**base, "grain": p["grain"]}, grains, fix, lang)


def nearest_grain(grains: list[str], asked: str) -> str:
    """The grain of ``grains`` (non-empty) closest to ``asked`` in TREND_GRAINS' order, the
    coarser on a tie (by month: the quarter if there is one, else the year)."""
    at = TREND_GRAINS.index(asked)
    return min(grains, key=lambda g: (abs(TREND_GRAINS.index(g) - at),
                                      -TREND_GRAINS.index(g)))


def _notice(text: str, base: dict[str, Any], grains: list[str], national: dict[str, Any],
            lang: str) -> html.Div:
    """Why nothing is drawn (``text``), and a link: the grain of ``grains`` nearest the one
    asked, with the same choice (``base``, the asked grain in it), else ``national``."""
    from urllib.parse import urlencode

    if grains:
        grain = nearest_grain(grains, base["grain"])
        fix, link = {**base, "grain": grain}, t("tr.fix_grain", lang,
                                                grain=t(f"grain.{grain}", lang).lower())
    else:
        fix, link = national, t("tr.fix_national", lang)
    return html.Div(className="notice", id="combo-notice", role="status", children=[
        html.P(methodology_linked(text, lang)),
        dcc.Link(link, href=f"{PATH}?{urlencode(fix)}", id="combo-fix", className="btn-link"),
    ])


def _nothing_drawn(rel: Release, p: dict[str, Any], lang: str) -> html.Div:
    """Why the chart would be empty although the combination exists (protection left every
    period of the areas shown out of the release, e.g. a small district's quarters), and a
    link to the nearest grain with values. An empty chart with a 0-4 axis would read as "no
    data" or hint at small counts."""
    grains = [g for g in TREND_GRAINS if g in data.grains(rel, p["indicator"]) and any(
        not data.values(rel, p["indicator"], g, (geo,), p["breakdown"]).is_empty()
        for geo in _geos(p))]
    base = {"lang": lang, "indicator": p["indicator"], "breakdown": p["breakdown"],
            "level": p["level"], "district": p["district"], "compare": p["compare"]}
    national = {**base, "grain": "year", "breakdown": "_T", "district": "PT", "compare": "none"}
    where = " / ".join(geo_name(g, lang) for g in _geos(p))
    text = t("tr.none_published", lang, area=where,
             grain=t(f"grain.{p['grain']}", lang).lower())
    return _notice(text, {**base, "grain": p["grain"]}, grains, national, lang)


def left_out(rel: Release, p: dict[str, Any]) -> list[str]:
    """Period labels (sorted) where the total of the indicator is published for one of the
    areas shown but its breakdown is not, under any category (:func:`left_out_labels`)."""
    if p["breakdown"] == "_T":
        return []
    missing: set[str] = set()
    for geo in _geos(p):
        split = data.values(rel, p["indicator"], p["grain"], (geo,), p["breakdown"])
        missing |= left_out_labels(rel, p["indicator"], p["grain"], geo, p["breakdown"],
                                   split)[1]
    return sorted(missing)


def left_out_areas(rel: Release, p: dict[str, Any]) -> dict[str, list[str]]:
    """Area shown (not Portugal) -> period labels (sorted) where the national total is
    published but the area's is not (:func:`left_out_labels`; e.g. a district's confirmed
    victims of a year, or its quarters)."""
    if p["breakdown"] != "_T":
        return {}
    out = {}
    for geo in (g for g in _geos(p) if g != "PT"):
        shown = data.values(rel, p["indicator"], p["grain"], (geo,), "_T")
        gaps = sorted(left_out_labels(rel, p["indicator"], p["grain"], geo, "_T", shown)[1])
        if gaps:
            out[geo] = gaps
    return out


def _left_out_text(rel: Release, p: dict[str, Any], lang: str) -> str:
    """The notices of :func:`left_out` and :func:`left_out_areas` ("" when none)."""
    def periods(labels: list[str]) -> str:
        return ", ".join(fmt_period(label, p["grain"], lang) for label in labels)

    notes = [tn("tr.left_out_area", len(labels), lang, area=geo_name(geo, lang),
                periods=periods(labels)) for geo, labels in left_out_areas(rel, p).items()]
    gaps = left_out(rel, p)
    if gaps:
        notes.append(tn("tr.left_out", len(gaps), lang, periods=periods(gaps),
                        breakdown=breakdown_label(p["breakdown"], lang)))
    return " ".join(notes)


def years_by_other_grains(rel: Release, p: dict[str, Any],
                          lines: list[tuple[str, str, str, Series]]) -> tuple[list[int], list[int]]:
    """(years the chart has at the asked grain, years the release publishes the same areas
    and breakdown at another grain only), each sorted. E.g. the persons of a status by
    quarter: a year where a quarter's split is small is published by year only
    (``small_quarterly_split``), and without a word the chart would simply have one year."""
    if p["grain"] == "year":
        return [], []
    shown = {pt.period_end.year for *_, line in lines for pt in line.points}
    other = data.values(rel, p["indicator"], None, tuple(_geos(p)), p["breakdown"])
    if other.is_empty():
        return sorted(shown), []
    # a period ending after the asked grain's last complete one is not reached yet (the
    # months of a quarter not complete)
    reached = last_complete(p["grain"], other["period_end"].max())
    other = other.filter((other["grain"] != p["grain"]) & (other["period_end"] <= reached))
    elsewhere = {d.year for d in other["period_end"]}
    return sorted(shown), sorted(elsewhere - shown)


def last_complete(grain: str, end: date) -> date:
    """The end of the last period of ``grain`` ending on or before ``end`` (a month's last
    day): for quarters the last quarter end, for the other grains ``end`` itself.

    >>> last_complete("quarter", date(2026, 11, 30)), last_complete("quarter", date(2027, 1, 31))
    (datetime.date(2026, 9, 30), datetime.date(2026, 12, 31))
    """
    if grain != "quarter":
        return end
    after = end + timedelta(days=1)  # the day before the quarter holding the next day starts
    return date(after.year, after.month - (after.month - 1) % 3, 1) - timedelta(days=1)


def _grain_years_text(rel: Release, p: dict[str, Any],
                      lines: list[tuple[str, str, str, Series]], lang: str) -> str:
    """The notice of :func:`years_by_other_grains` ("" when every year is there)."""
    shown, missing = years_by_other_grains(rel, p, lines)
    if not missing or not shown:
        return ""
    return t("tr.other_grain_years", lang, grain=t(f"grain.{p['grain']}", lang).lower(),
             shown=", ".join(map(str, shown)), years=", ".join(map(str, missing)))


def _columns(lang: str) -> tuple[str, ...]:
    return (t("col.indicator", lang), t("col.period", lang), t("col.geo_code", lang),
            t("col.geo", lang), t("col.breakdown", lang), t("col.category", lang),
            t("col.value", lang), t("col.unit", lang), t("col.flags", lang),
            t("col.flag_text", lang))


def fact_columns(lang: str) -> tuple[str, ...]:
    """Columns said once above the table when every row has the same (one area, no
    breakdown...); the downloads keep them on every row."""
    return tuple(t(f"col.{name}", lang) for name in ("indicator", "geo_code", "geo",
                                                      "breakdown", "category", "unit"))


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    if p["indicator"] is None:
        return View(children=[html.P(t("no_data", lang))])
    meta = data.indicator_meta(rel, p["indicator"]) or {}
    unit = meta.get("unit", "persons")
    ind = indicator_name(rel, p["indicator"], lang)
    where = " / ".join(geo_name(g, lang) for g in _geos(p))
    title = t("tr.title", lang, indicator=ind, geo=where)
    if p["breakdown"] != "_T":
        title = f"{title} — {breakdown_label(p['breakdown'], lang)}"
    empty = Table(name="trends", title=title, columns=_columns(lang), rows=())
    if not all(published(rel, p["indicator"], p["grain"], p["breakdown"], g) for g in _geos(p)):
        return View(children=[_fix(rel, p, lang)], tables={"trends": empty})
    lines = series(rel, p, lang)
    if not any(s.points for *_, s in lines):
        return View(children=[_nothing_drawn(rel, p, lang)], tables={"trends": empty})
    drawn = series(rel, p, lang, top=True)
    rates = unit == "rate_100k"
    # the source line in the chart too: its PNG travels without the page
    fig = trend_figure([s for *_, s in drawn], unit, lang, title,
                       source=image_footer(lang, rates, rel))
    rows = []
    for geo, breakdown, code, line in lines:
        for pt in line.points:
            rows.append((ind, pt.shown, geo, geo_name(geo, lang),
                         breakdown_label(breakdown, lang),
                         breakdown_code_label(breakdown, code, lang),
                         round_as_shown(pt.value, unit), t(f"unit.{unit}", lang), pt.flags,
                         t("tr.left_out_status", lang) if pt.left_out
                         else status_words(pt.flags, pt.value, lang)))
    left = " ".join(x for x in (_grain_years_text(rel, p, lines, lang),
                                 _left_out_text(rel, p, lang)) if x)
    remarks = (left,) if left else ()  # on the page and in its downloads
    # every line's periods (the national line may start before the district's)
    labels = sorted(pt.label for *_, s in lines for pt in s.points)
    period = f"{labels[0]}_{labels[-1]}" if labels else ""
    ends = [fmt_period(label, p["grain"], lang) for label in labels[:1] + labels[-1:]]
    words = span_words(*ends) if labels else ""
    tbl = Table(name="trends", title=title, columns=_columns(lang), rows=tuple(rows),
                period=period, indicators=(p["indicator"],), value_column=t("col.value", lang),
                subject=(p["indicator"], *_geos(p),
                         p["breakdown"] if p["breakdown"] != "_T" else "",
                         p["level"] if p["breakdown"] != "_T" and p["level"] != "main" else ""),
                value_decimals=(unit_decimals(unit),) * len(rows),
                remarks=remarks, period_words=words)
    children: list[Any] = [graph(GRAPH_ID, fig, t("tr.alt", lang), title, lang=lang,
                                 rates=rates, release=rel)]
    shown_codes = {c for _g, _b, c, _s in drawn}
    all_codes = {c for _g, _b, c, _s in lines}
    if len(all_codes) > len(shown_codes):
        children.append(html.P(t("tr.top", lang, n=len(shown_codes), total=len(all_codes)),
                               className="hint", id="trend-top"))
    if remarks:
        children.append(html.P(methodology_linked(remarks[0], lang), className="hint",
                               id="trend-left-out"))
    children += [
        html.P(t("tr.footnote", lang), className="footnote", id="trend-footnote"),
        downloads("trends", lang, png_hint=True),
        table(tbl, lang, flag_column=t("col.flags", lang), value_columns=(t("col.value", lang),),
              facts=fact_columns(lang), rates=rates, release=rel),
    ]
    return View(children=children, tables={"trends": tbl}, figures={"trends": fig})
