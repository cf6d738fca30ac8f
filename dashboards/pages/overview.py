"""Overview: headline figures for the latest complete month and the year to date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dash import html

from dashboards.components import (
    View,
    downloads,
    dropdown,
    methodology_linked,
    table,
)
from dashboards.figures import Point
from dashboards.pages.common import (
    GEOS_ORDER,
    district_options,
    geo_name,
    left_out_points,
    pick,
    points,
    round_as_shown,
)
from dashboards.sparklines import SPARK_HEIGHT, sparkline_src
from indicators import release_reader as data
from indicators.i18n import (
    fmt_pct,
    fmt_period,
    fmt_value,
    round_half_up,
    status_words,
    t,
    unit_decimals,
)
from indicators.release_reader import Release
from indicators.reports.exports import Table, span_words

PATH = "/"
TITLE_KEY = "page.overview"
AUDIENCE = "public"
PARAMS = ("district",)
CONTROL_KEYS: tuple[str, ...] = ()
SPARK_MONTHS = 18

# Headline card -> indicator code in the registry (edit here if the registry renames one).
HEADLINES: tuple[tuple[str, str], ...] = (
    ("signalled", "THB_SIGNALLED"),
    ("confirmed", "THB_CONFIRMED"),
    ("rate", "THB_SIGNALLED_RATE"),
    ("change", "THB_SIGNALLED"),  # % change of persons signalled vs the previous year
    ("share_minors", "THB_SHARE_MINORS"),
    ("share_women_girls", "THB_SHARE_FEMALE"),
    ("share_foreign", "THB_SHARE_FOREIGN"),
    ("share_sexual", "THB_SHARE_SEXUAL"),
    ("share_online_sexual", "THB_SHARE_ONLINE"),
)

# Sections of cards: (grain, heading key).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("month", "ov.latest"), ("ytd", "ov.ytd"), ("year", "ov.year"))


@dataclass(frozen=True)
class Headline:
    card: str
    indicator: str
    unit: str
    period_label: str
    value: float | None
    flags: str
    previous_label: str | None
    previous: float | None
    previous_flags: str


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    codes = [c for c, _ in district_options("pt")]
    return {"district": pick(params.get("district"), codes, "PT")}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    return [dropdown("district", lang, district_options(lang), p["district"], "ctl.district")]


def _row(rel: Release, indicator: str, grain: str, label: str, geo: str) -> dict | None:
    frame = data.values(rel, indicator, grain, (geo,), "_T", "_T", label)
    rows = frame.to_dicts()
    return rows[0] if rows else None


def _label(grain: str, end: date, first: date | None = None) -> str:
    if grain == "month":
        return f"{end:%Y-%m}"
    return f"{first:%Y-%m}..{end:%Y-%m}"


def headlines(rel: Release, geo: str, grain: str) -> list[Headline]:
    """Headline values for the latest complete month (grain 'month'), the year to date
    ('ytd'; by district to the end of the latest complete quarter) or the latest complete
    year ('year'), each with the same period of the previous year. A card whose indicator is
    not published at that grain is left out (the registry publishes shares, rates and most
    district figures by year)."""
    latest = rel.info.latest_complete_period or rel.info.latest_period
    if latest is None:
        return []
    prev = date(latest.year - 1, latest.month, 1)
    if grain == "month":
        label, prev_label = _label("month", latest), _label("month", prev)
    elif grain == "year":  # the latest complete calendar year (shares, rates, districts)
        year = latest.year if latest.month == 12 else latest.year - 1
        label, prev_label = str(year), str(year - 1)
    else:
        if geo != "PT":  # by district, the year to date ends with a complete quarter
            latest = date(latest.year, latest.month - latest.month % 3, 1) \
                if latest.month >= 3 else None
            if latest is None:
                return []
            prev = date(latest.year - 1, latest.month, 1)
        label = _label("ytd", latest, date(latest.year, 1, 1))
        prev_label = _label("ytd", prev, date(prev.year, 1, 1))
    out = []
    for card, code in HEADLINES:
        now = _row(rel, code, grain, label, geo)
        if now is None:
            continue
        before = _row(rel, code, grain, prev_label, geo)
        out.append(Headline(
            card=card, indicator=code, unit=now["unit"], period_label=label,
            value=now["value"], flags=now["flags"] or "",
            previous_label=prev_label if before else None,
            previous=before["value"] if before else None,
            previous_flags=(before["flags"] or "") if before else ""))
    return out


def change_pct(h: Headline) -> float | None:
    if h.value is None or h.previous is None or h.previous == 0:
        return None
    return (h.value - h.previous) / h.previous * 100


def reading(h: Headline, grain: str, lang: str) -> str:
    """One plain sentence per card, generated from the numbers; never the same sentence on
    two cards (the change card gives the previous value, the count card the change)."""
    prev = fmt_period(h.previous_label, grain, lang) if h.previous_label else ""
    if h.card == "change":
        if h.previous_label is None:
            return t("ov.read.noprev", lang)
        if h.previous is None:
            return t("ov.read.nocompare", lang)
        return t("ov.read.previous", lang, prev=prev, value=fmt_value(h.previous, h.unit, lang))
    if h.previous_label is None:
        return t("ov.read.noprev", lang)
    if h.value is None or h.previous is None:
        hidden = "c" in h.flags or "c" in h.previous_flags
        return t("ov.read.nocompare" if hidden else "ov.read.nocompare_na", lang)
    if h.card.startswith("share_") or h.card == "rate":
        return t("ov.read.previous", lang, prev=prev, value=fmt_value(h.previous, h.unit, lang))
    pct = change_pct(h)
    if pct is None:  # the previous period was 0
        if h.value == 0:
            return t("ov.read.flat", lang, prev=prev)
        return t("ov.read.previous", lang, prev=prev, value=fmt_value(h.previous, h.unit, lang))
    if round_half_up(pct) == 0:
        return t("ov.read.flat", lang, prev=prev)
    key = "ov.read.up" if pct > 0 else "ov.read.down"
    return t(key, lang, pct=fmt_pct(abs(pct), lang), prev=prev)


def spark_points(rel: Release, h: Headline, geo: str, grain: str) -> tuple[Point, ...]:
    """The card's own series: same indicator, area and grain (year to date: the same months
    of each year), the latest SPARK_MONTHS months or every year."""
    frame = data.values(rel, h.indicator, grain, (geo,), "_T", "_T")
    gaps = left_out_points(rel, h.indicator, grain, geo, "_T", frame)  # a gap, not a join
    series = tuple(sorted(points(frame) + gaps, key=lambda p: p.period_end))
    ends = {p.label: p.period_end for p in series}
    if h.period_label in ends:  # end at the card's own period
        series = tuple(p for p in series if p.period_end <= ends[h.period_label])
    if grain == "ytd":
        months = h.period_label.split("..")[-1][5:]
        series = tuple(p for p in series if p.label.split("..")[-1][5:] == months)
    return series[-SPARK_MONTHS:] if grain == "month" else series


def _card_value(h: Headline, lang: str) -> tuple[str, bool]:
    """The headline number, or the word "confidential" (never a bare giant "c")."""
    if h.card == "change":
        pct = change_pct(h)
        shown = fmt_pct(pct, lang) if pct is not None else None
        if pct is not None and pct > 0:
            shown = "+" + shown
    else:
        shown = fmt_value(h.value, h.unit, lang) if h.value is not None else None
    if shown is None:
        confidential = "c" in h.flags or "c" in h.previous_flags
        return (t("ov.confidential", lang) if confidential else "—"), confidential
    return shown, False


def _card(rel: Release, h: Headline, geo: str, grain: str, lang: str) -> html.Article:
    shown, confidential = _card_value(h, lang)
    flags = h.flags + ("c" if h.card == "change" and "c" in h.previous_flags else "")
    name = t(f"ov.card.{h.card}", lang)
    trend: list[Any] = []
    if h.card != "change":
        pts = spark_points(rel, h, geo, grain)
        trend = [spark(pts, name, h.unit, lang, grain)]
        if pts:
            first, last = (pts[0].label[:4], pts[-1].label.split("..")[-1][:4]) \
                if grain == "ytd" else (fmt_period(pts[0].label, grain, lang),
                                        fmt_period(pts[-1].label, grain, lang))
            trend.append(html.P(t("ov.spark_span", lang, start=first, end=last),
                                className="spark-span"))
    return html.Article(className="card", children=[
        html.H3(name, className="card-title"),
        html.P(shown, className="card-value" + (" confidential" if confidential else "")),
        html.P(status_words(flags, h.value, lang), className="card-flag"),
        *trend,
        html.P(reading(h, grain, lang), className="card-reading"),
    ])


def sparkline_alt(pts: Sequence[Point], name: str, unit: str, lang: str,
                  grain: str = "month") -> str:
    """The text alternative of a sparkline: its span, first and last, lowest and highest
    published values, and how many periods are confidential."""
    kind = t(f"ov.trend_kind.{grain}", lang)
    known = [p for p in pts if p.value is not None]
    if not known:
        return t("ov.trend_none", lang, name=name, kind=kind)
    values = [p.value for p in known]
    text = t("ov.trend_alt", lang, name=name, kind=kind,
             start=fmt_period(pts[0].label, grain, lang),
             end=fmt_period(pts[-1].label, grain, lang),
             first=fmt_value(known[0].value, unit, lang),
             last=fmt_value(known[-1].value, unit, lang),
             low=fmt_value(min(values), unit, lang), high=fmt_value(max(values), unit, lang))
    confidential = sum(1 for p in pts if p.value is None and "c" in p.flags)
    return f"{text} {t('ov.trend_conf', lang, n=confidential)}" if confidential else text


def spark(pts: Sequence[Point], name: str, unit: str, lang: str,
          grain: str = "month") -> html.Div:
    """A card's small trend: a static SVG image (built on the server, no plotly.js) labelled
    for screen readers by its wrapper. Its height is fixed, so the card does not jump."""
    return html.Div(role="img", className="sparkline-wrap",
                    **{"aria-label": sparkline_alt(pts, name, unit, lang, grain)},
                    children=html.Img(src=sparkline_src(pts), alt="", className="sparkline",
                                      height=SPARK_HEIGHT, draggable="false"))


def table_for(rel: Release, geo: str, lang: str) -> Table:
    cols = (t("col.period", lang), t("col.indicator", lang), t("col.geo", lang),
            t("col.value", lang), t("col.unit", lang), t("col.flags", lang),
            t("col.flag_text", lang))
    rows, decimals, labels, empty = [], [], [], []
    for grain, _key in SECTIONS:
        shown = headlines(rel, geo, grain)
        if not shown:
            empty.append(grain)
        for h in shown:
            if h.card == "change":
                continue
            labels.append(h.period_label)
            decimals.append(unit_decimals(h.unit))
            rows.append((fmt_period(h.period_label, grain, lang), t(f"ov.card.{h.card}", lang),
                         geo_name(geo, lang), round_as_shown(h.value, h.unit),
                         t(f"unit.{h.unit}", lang), h.flags,
                         status_words(h.flags, h.value, lang)))
    # rows run newest first (month, year to date, year): the file is named by the newest
    # period (a district with yearly figures only by its year, not by the release's latest
    # month), and the period in words runs from the oldest row to the newest
    words = span_words(rows[-1][0], rows[0][0]) if rows else ""
    return Table(name="overview", title=t("ov.table", lang), columns=cols, rows=tuple(rows),
                 period=labels[0] if labels else "", value_column=t("col.value", lang),
                 period_words=words,
                 remarks=(none_note(geo, empty, lang),) if empty and rows else (),
                 subject=(geo,),
                 value_decimals=tuple(decimals),
                 indicators=tuple(dict.fromkeys(code for _c, code in HEADLINES)))


def none_note(geo: str, empty: Sequence[str], lang: str) -> str:
    """What the page says of the grains with nothing published for ``geo`` (no monthly
    figures by district; for some districts not even the year to date)."""
    text = t("ov.section_none", lang) if geo != "PT" else t("no_data", lang)
    if geo != "PT" and "ytd" in empty:  # the note says districts have it: not this one
        text = f"{text} {t('ov.section_none_ytd', lang, district=geo_name(geo, lang))}"
    return text


def _sections(rel: Release, geo: str, lang: str) -> list[Any]:
    """One section of cards per grain; grains with nothing published for the area share ONE
    explained note under a heading (no monthly figures by district)."""
    out: list[Any] = []
    empty: list[str] = []
    for grain, key in SECTIONS:
        hs = headlines(rel, geo, grain)
        if not hs:
            empty.append(grain)
            continue
        heading = t(key, lang, period=fmt_period(hs[0].period_label, grain, lang))
        out.append(html.Section(className="cards-section", children=[
            html.H2(heading),
            html.Div(className="cards", children=[_card(rel, h, geo, grain, lang) for h in hs]),
        ]))
    if empty:
        text = none_note(geo, empty, lang)
        out.insert(0, html.Section(className="cards-section", id="no-cards", children=[
            html.H2(t("ov.section_none_title" if "ytd" in empty else "ov.section_none_month",
                      lang)), html.P(methodology_linked(text, lang), className="notice")]))
    return out


def display_table(tbl: Table, lang: str, release: Release | None = None) -> html.Div:
    """The table with each value as its card shows it (a share "4,0", not "4": the row's
    decimals, :meth:`Table.decimals_at`), and its source line (with ``release``)."""
    return table(tbl, lang, flag_column=t("col.flags", lang),
                 value_columns=(t("col.value", lang),), release=release)


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    geo = p["district"]
    sections: list[Any] = [html.P(t("ov.scope", lang, geo=geo_name(geo, lang)), className="lead")]
    if geo == "PT":
        sections.append(key_findings(rel, lang))
    sections += _sections(rel, geo, lang)
    sections.append(html.P(t("ov.spark_legend", lang), className="footnote",
                           id="spark-legend"))
    tbl = table_for(rel, geo, lang)
    sections += [
        html.P(t("ov.caveat", lang), className="caveat"),
        display_table(tbl, lang, rel),
        downloads("overview", lang),
    ]
    return View(children=sections, tables={"overview": tbl})


def key_findings(rel: Release, lang: str) -> html.Section:
    """A few sentences generated from the release: the latest complete year nationally, its
    change, the largest shares and the highest district rate."""
    items: list[str] = []
    year = {h.card: h for h in headlines(rel, "PT", "year")}
    total = year.get("signalled")
    if total is not None and total.value is not None:
        prev = total.previous_label or ""
        pct = change_pct(total)
        if pct is None:
            change = t("ov.find.change_none", lang)
        elif round_half_up(pct) == 0:
            change = t("ov.find.change_same", lang, prev=prev)
        else:
            change = t("ov.find.change_up" if pct > 0 else "ov.find.change_down", lang,
                       pct=fmt_pct(abs(pct), lang), prev=prev)
        items.append(t("ov.find.total", lang, period=total.period_label,
                       value=fmt_value(total.value, total.unit, lang), change=change))
    for card in ("share_women_girls", "share_foreign", "share_minors"):
        h = year.get(card)
        if h is not None and h.value is not None:
            items.append(t("ov.find.share", lang, name=t(f"ov.card.{card}", lang),
                           value=fmt_value(h.value, h.unit, lang)))
    top = _top_district_rate(rel, total.period_label if total else None)
    if top is not None:
        items.append(t("ov.find.top_district", lang, district=geo_name(top[0], lang),
                       value=fmt_value(top[1], "rate_100k", lang)))
    if any("p" in h.flags for h in year.values()):
        items.append(t("ov.find.provisional", lang))
    return html.Section(className="findings", id="key-findings", children=[
        html.H2(t("ov.findings", lang)), html.Ul([html.Li(text) for text in items])])


def _top_district_rate(rel: Release, year: str | None) -> tuple[str, float] | None:
    code = dict(HEADLINES)["rate"]
    if year is None:
        return None
    frame = data.values(rel, code, "year", GEOS_ORDER, "_T", "_T", year)
    known = [(r["geo"], r["value"]) for r in frame.iter_rows(named=True) if r["value"] is not None]
    return max(known, key=lambda item: item[1]) if known else None
