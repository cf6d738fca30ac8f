"""Small reusable layout pieces: controls, tables, download buttons, figure wrappers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

from indicators.i18n import fmt_date, fmt_number, keep_numbers_whole, t
from indicators.release_reader import Release
from indicators.reports.exports import Table, column_decimals

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# Served on request only, never listed in every page (``assets_path_ignore``).
VENDOR_DIR = "vendor"
# The plotly.js dcc.Graph loads (assets/plotly_bundle.js points it there): the basic partial
# bundle, same plotly.js version as Dash's full one; where it comes from: vendor/SOURCES.md.
PLOTLY_BUNDLE = f"{VENDOR_DIR}/plotly-basic-4.1.1.min.js"
GRAPH_CONFIG = {
    "displaylogo": False, "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@dataclass
class View:
    """What a page shows: components, and the tables behind them (for downloads)."""

    children: list[Any]
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, go.Figure | str] = field(default_factory=dict)  # str: an SVG image


def ctl_id(name: str) -> dict[str, str]:
    return {"type": "ctl", "name": name}


def dropdown_labels(lang: str) -> dict[str, str]:
    """The words a dcc.Dropdown writes itself ("Search", "No options found"), in ``lang``
    (Dash's own are English only)."""
    return {key: t(f"dd.{key}", lang, num_selected="{num_selected}")
            for key in ("select_all", "deselect_all", "selected_count", "search",
                        "clear_search", "clear_selection", "no_options_found")}


def dropdown(name: str, lang: str, options: Sequence[tuple[str, str]], value: str | None,
             label_key: str) -> html.Div:
    """A labelled single-choice dropdown whose value goes to the URL parameter ``name``."""
    label_id = f"label-{name}"
    return html.Div(className="control", children=[
        html.Span(t(label_key, lang), id=label_id, className="control-label"),
        dcc.Dropdown(id=ctl_id(name), options=[{"label": lbl, "value": val}
                                               for val, lbl in options],
                     value=value, clearable=False, searchable=False,
                     labels=dropdown_labels(lang), className="control-input"),
    ])


def radio(name: str, lang: str, options: Sequence[tuple[str, str]], value: str | None,
          label_key: str) -> html.Fieldset:
    return html.Fieldset(className="control", children=[
        html.Legend(t(label_key, lang), className="control-label"),
        dcc.RadioItems(id=ctl_id(name), options=[{"label": lbl, "value": val}
                                                 for val, lbl in options],
                       value=value, inline=True, className="control-radio"),
    ])


def _display(cell: Any, lang: str, decimals: int = 0) -> str:
    """A cell as shown; a float with its column's ``decimals`` (one when any value of the
    column has a fraction: 290.0 beside 95.8, not 290), a whole float alone as whole."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, bool):
        return "✔" if cell else ""
    if isinstance(cell, int):
        return fmt_number(cell, lang)
    if isinstance(cell, float):
        return fmt_number(cell, lang, max(decimals, 0 if cell.is_integer() else 1))
    return str(cell)


def _one_value(tbl: Table, index: int) -> bool:
    """Whether column ``index`` holds one value in every row (of two or more)."""
    return len(tbl.rows) > 1 and len({row[index] for row in tbl.rows}) == 1


def _fact(name: Any, value: Any) -> html.Span:
    """One fact said once instead of on every row: "Unit: persons"."""
    return html.Span([html.Span(f"{name}: ", className="table-fact-name"), value],
                     className="table-fact")


def folded_columns(tbl: Table, facts: Sequence[str]) -> list[int]:
    """Indexes of the ``facts`` columns that hold one value in every row (of two or more):
    said once above the table instead of on every row."""
    return [i for i, name in enumerate(tbl.columns) if name in facts and _one_value(tbl, i)]


def _caption(tbl: Table, folded: Sequence[int], lang: str) -> html.Caption:
    """The title, and under it the folded facts ("Indicator: …; Unit: …")."""
    if not folded:
        return html.Caption(tbl.title)
    facts = [_fact(tbl.columns[i], _display(tbl.rows[0][i], lang)) for i in folded]
    return html.Caption([tbl.title, html.Span(facts, className="table-facts")])


def _cell(cell: Any, flags: str, lang: str, is_value: bool, value_decimals: int | None,
          label: dict[str, str], decimals: int = 0) -> html.Td:
    if is_value and cell is None and "c" in flags:
        return html.Td(html.Abbr("c", title=t("flag.c", lang)), className="num confidential",
                       **label)
    if is_value and cell is None and ":" in flags:
        return html.Td(html.Abbr(":", title=t("flag.:", lang)), className="num", **label)
    numeric = isinstance(cell, int | float) and not isinstance(cell, bool)
    shown = fmt_number(cell, lang, value_decimals) if numeric and is_value and \
        value_decimals is not None else _display(cell, lang, decimals)
    if isinstance(cell, str):
        shown = keep_numbers_whole(shown)
    return html.Td(shown, className="num" if numeric else None, **label)


def methodology_href(lang: str, base_url: str = "") -> str:
    """The address of the methodology page's section on protecting small counts (what the
    notices that say "(see Methodology)" point to), in ``lang``: from the site's root, or
    absolute on ``base_url`` ("https://otsh.example/"), as a file that leaves the site needs."""
    return f"{base_url.rstrip('/')}/methodology?lang={lang}#disclosure"


def methodology_linked(text: str, lang: str) -> list[Any]:
    """``text`` with each mention of the methodology page ("(ver Metodologia)", "(see
    Methodology)") made a link to its section on protecting small counts
    (:func:`methodology_href`); the page's own language kept."""
    word = t("page.methodology", lang)
    href = methodology_href(lang)
    out: list[Any] = []
    for i, part in enumerate(text.split(word)):
        if i:
            out.append(html.A(word, href=href, className="methodology-link"))
        if part:
            out.append(part)
    return out


def source_text(lang: str, rates: bool = False, release: Release | None = None) -> str:
    """The words of :func:`source_line` after "Source:" (also written into image files)."""
    parts = [t("dl.source_text", lang)]
    if rates:
        parts.append(t("src.population", lang))
    if release is not None:
        parts.append(t("src.release", lang, release=release.release_id,
                       created=fmt_date(release.info.created_at.date(), lang)))
    return "; ".join(parts) + "."


def source_line(lang: str, rates: bool = False, release: Release | None = None) -> html.P:
    """The source of a table or chart, said under it as a statistics office does: "Fonte:
    OTSH, a partir dos reportes mensais agregados dos parceiros" (the same words as the
    downloads' notes); the population part only under rates per 100 000; the release the
    figures come from when the page knows it."""
    return html.P([html.Span(f"{t('dl.source', lang)}: ", className="source-label"),
                   source_text(lang, rates, release)], className="source-line")


def image_footer(lang: str, rates: bool = False, release: Release | None = None
                 ) -> tuple[str, ...]:
    """What an image file carries under its drawing, since it travels without the page: the
    source line and, for a synthetic release, the page banner's warning."""
    lines = [f"{t('dl.source', lang)}: {source_text(lang, rates, release)}"]
    if release is not None and release.info.synthetic:
        lines.append(t("app.synthetic", lang))
    return tuple(lines)


def has_rates(tbl: Table, lang: str) -> bool:
    """Whether any row of ``tbl`` is a rate per 100 000 (its unit cell says so)."""
    unit = t("unit.rate_100k", lang)
    return any(cell == unit for row in tbl.rows for cell in row)


def table(tbl: Table, lang: str, flag_column: str | None = None,
          value_columns: Sequence[str] = (), value_decimals: int | None = None,
          caption: bool = True, facts: Sequence[str] = (), source: bool = True,
          rates: bool | None = None, release: Release | None = None) -> html.Div:
    """An accessible HTML table (caption, th scope). In ``value_columns`` an empty value whose
    row flag (``flag_column``) contains ``c`` shows as an abbreviation "c" → confidential.
    ``caption=False`` under a heading that already says the title: the table is named by
    ``aria-label`` instead of a visible caption repeating the heading. ``facts``: columns
    that, when one value fills every row (the indicator, the unit...), are said once in the
    caption and left out of the rows (on every screen); the downloads keep every column.
    A value in the table's :attr:`Table.value_column` takes its row's decimals
    (:meth:`Table.decimals_at`: a rate 27.0 beside a count 12), as the downloads write it;
    ``value_decimals`` is for tables without them.
    ``source``: the source line under the table (:func:`source_line`; ``False`` only for
    tables that are not statistics, such as the list of indicators), naming the population
    when ``rates`` (by default: when a row's unit is a rate per 100 000) and ``release``."""
    flag_index = tbl.columns.index(flag_column) if flag_column in tbl.columns else None
    value_idx = {tbl.columns.index(c) for c in value_columns if c in tbl.columns}
    folded = folded_columns(tbl, facts) if caption else []
    shown = [i for i in range(len(tbl.columns)) if i not in folded]
    # Other columns with one value in every row: on a phone's card layout they are left out
    # so each card shows what differs.
    constant = {i for i in shown if _one_value(tbl, i)}
    decimals = {i: column_decimals(tbl, i) for i in shown}
    body = []
    for at, row in enumerate(tbl.rows):
        flags = str(row[flag_index]) if flag_index is not None and row[flag_index] else ""
        cells = []
        for index in shown:
            label = {"data-label": str(tbl.columns[index])}  # the phone's card layout
            if index in constant:
                label["data-constant"] = "1"
            elif index == flag_index and not flags:  # no flag: the card says nothing here
                label["data-no-flag"] = "1"
            own = tbl.decimals_at(at, index)  # the row's unit decides, as in the downloads
            cells.append(_cell(row[index], flags, lang, index in value_idx or own is not None,
                               value_decimals if own is None else own, label,
                               decimals[index]))
        body.append(html.Tr(cells))
    head = html.Thead(html.Tr([html.Th(tbl.columns[i], scope="col") for i in shown]))
    named = {"children": [_caption(tbl, folded, lang), head, html.Tbody(body)]} if caption \
        else {"children": [head, html.Tbody(body)], "aria-label": tbl.title}
    return html.Div(className="table-wrap", tabIndex=0, role="region",
                    **{"aria-label": tbl.title},
                    children=[phone_facts(body), html.Table(className="data", **named),
                              source_line(lang, has_rates(tbl, lang) if rates is None
                                          else rates, release) if source else None])


def table_of(wrap: html.Div) -> html.Table:
    """The ``html.Table`` inside what :func:`table` returns."""
    return next(c for c in wrap.children if isinstance(c, html.Table))


def phone_facts(rows: list[html.Tr]) -> html.P | None:
    """The columns a phone's cards leave out (cells marked ``data-constant``: one value in
    every row, such as the baseline of every result), said once above the cards as the first
    row shows them; hidden on wider screens, where the columns show. A page that changes how
    cells show (results: plain years) builds this again from its rows."""
    if not rows:
        return None
    facts = [_fact(getattr(cell, "data-label"), cell.children) for cell in rows[0].children
             if getattr(cell, "data-constant", None) and cell.children not in ("", None)]
    return html.P(facts, className="table-facts phone-facts") if facts else None


def downloads(name: str, lang: str, png_hint: bool = False) -> html.Div:
    children: list[Any] = [
        html.Button(t("dl.csv", lang), id={"type": "dl", "table": name, "fmt": "csv"},
                    className="btn", n_clicks=0),
        html.Button(t("dl.xlsx", lang), id={"type": "dl", "table": name, "fmt": "xlsx"},
                    className="btn", n_clicks=0),
    ]
    if png_hint:
        children.append(html.Span(t("dl.png", lang), className="hint"))
    return html.Div(className="downloads", role="group", **{"aria-label": t("dl.group", lang)},
                    children=children)


def graph(graph_id: str | dict, figure: go.Figure, alt: str, title: str = "", *, lang: str,
          rates: bool = False, release: Release | None = None) -> html.Figure:
    """A chart, with its source line under it (:func:`source_line`: the population when
    ``rates``); ``title`` is also shown as text above it on phones (where the chart's own
    title would be cut or run under the toolbar)."""
    return html.Figure(className="chart", children=[
        html.P(title, className="chart-title", **{"aria-hidden": "true"}) if title else None,
        dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG,
                  style={"height": f"{figure.layout.height or 440}px"}),
        source_line(lang, rates, release),
        html.Figcaption(alt, className="visually-hidden"),
    ])
