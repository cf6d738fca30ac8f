"""Methodology, generated from the indicator registry published with the release."""

from __future__ import annotations

import re
from typing import Any

from dash import html

from dashboards.components import View, downloads, table
from indicators import release_reader as data
from indicators.i18n import fmt_number, t
from indicators.publish import DEFAULT_RETENTION
from indicators.release_reader import Release
from indicators.reports.annex import FLAG_LETTERS, disclosure_text, indicators_table
from indicators.reports.exports import Table

PATH = "/methodology"
TITLE_KEY = "page.methodology"
AUDIENCE = "public"
PARAMS: tuple[str, ...] = ()
CONTROL_KEYS: tuple[str, ...] = ()


def normalise(rel: Release, params: dict[str, Any]) -> dict[str, Any]:
    return {}


def controls(rel: Release, p: dict[str, Any], lang: str) -> list[Any]:
    return []





def audit_table(rel: Release, lang: str) -> Table | None:
    """Per indicator: cells, published, suppressed, narrowest interval a reader can prove."""
    frame = data.disclosure_audit(rel)
    if frame.is_empty():
        return None
    cols = (t("col.code", lang), t("col.cells", lang), t("col.published", lang),
            t("col.suppressed", lang), t("col.narrowest", lang))
    rows = tuple(
        (r["indicator"], fmt_number(r["cells"], lang), fmt_number(r["published"], lang),
         fmt_number(r["suppressed"], lang),
         "" if r["narrowest_low"] is None else
         f"[{fmt_number(r['narrowest_low'], lang)}, {fmt_number(r['narrowest_high'], lang)}]")
        for r in frame.filter(frame["indicator"] != "_ALL").iter_rows(named=True))
    return Table(name="disclosure_audit", title=t("me.audit_table", lang), columns=cols,
                 rows=rows)


def audit_text(rel: Release, lang: str) -> str | None:
    frame = data.disclosure_audit(rel)
    whole = frame.filter(frame["indicator"] == "_ALL") if not frame.is_empty() else frame
    if whole.is_empty():
        return None
    r = whole.row(0, named=True)
    k = rel.info.disclosure_threshold
    return t("me.audit_text", lang, k_minus=k - 1, cells=fmt_number(r["cells"], lang),
             suppressed=fmt_number(r["suppressed"], lang), primary=fmt_number(r["primary"], lang),
             secondary=fmt_number(r["secondary"], lang),
             recomputable=fmt_number(r["recomputable"], lang),
             seconds=fmt_number(r["seconds"], lang, 1))


def _flag_text(letter: str, lang: str) -> Any:
    """A flag's description; ``e`` points to the populations section of this page (not to
    "the methodology", which the reader is on)."""
    if letter != "e":
        return t(f"me.flag_desc.{letter}", lang)
    return [t("me.flag_desc.e_here", lang), " ",
            html.A(t("me.population_title", lang), href="#populations"), ")"]


def partner_line(name: str, code: str, returns: str) -> str:
    """``Name (CODE) — returns``; the code is not repeated when the name already says it."""
    named = re.search(rf"\b{re.escape(code)}\b", name) is not None
    return f"{name}{'' if named else f' ({code})'} — {returns}"


def returns_sent(partner: str, allowed: frozenset[str]) -> list[str]:
    """The return types ``partner`` sends (is or was expected to send: the expected-returns
    registry), not every type it may send (``allowed``, all three for every partner)."""
    from indicators.registry import load_expected

    sent = {e.return_type for e in load_expected().entries if e.partner == partner}
    return sorted(sent or allowed)


def sections(rel: Release, lang: str) -> list[Any]:
    """The methodology text (also used as the annex of the donor report)."""
    return [
        html.P(t("me.intro", lang, release=rel.release_id)),
        html.H2(t("me.caveat_title", lang)), html.P(t("me.caveat", lang), className="caveat"),
        html.H2(t("me.disclosure", lang), id="disclosure"), html.P(disclosure_text(rel, lang)),
        *([html.H2(t("me.audit", lang)), html.P(text)]
          if (text := audit_text(rel, lang)) else []),
        html.H2(t("me.releases", lang), id="releases"),
        html.P(t("me.releases_text", lang, retention=DEFAULT_RETENTION)),
        html.H2(t("me.flags", lang, letters=", ".join(FLAG_LETTERS))),
        html.Dl(className="flags", children=[
            item for letter in FLAG_LETTERS for item in
            (html.Dt(html.Code(letter)), html.Dd(_flag_text(letter, lang)))]),
        html.P(t("me.population", lang)),
    ]


def about_sections(rel: Release, lang: str) -> list[Any]:
    """Partners, release calendar, revisions, suppression in plain words, populations behind
    each rate, contact and how to cite."""
    from dashboards.metadata import cite
    from dashboards.pages.common import return_type_label
    from indicators.reference import partners

    return [
        html.H2(t("me.partners", lang)), html.P(t("me.partners_intro", lang)),
        html.Ul(id="partners", children=[html.Li(partner_line(
            p.name, p.code, ", ".join(return_type_label(r, lang)
                                      for r in returns_sent(p.code, p.returns))))
            for p in partners()]),
        html.H2(t("me.calendar", lang)), html.P(t("me.calendar_text", lang)),
        html.H2(t("me.revisions", lang)), html.P(t("me.revisions_text", lang)),
        html.P(t("me.suppression_plain", lang)),
        html.H2(t("me.population_title", lang), id="populations"),
        html.Ul([html.Li(t(k, lang)) for k in ("me.pop_district", "me.pop_national",
                                              "me.pop_sex")]),
        html.H2(t("me.contact", lang)), html.P(t("me.contact_text", lang)),
        html.H2(t("me.cite", lang)),
        html.P(cite(rel, t("app.title", lang), lang), id="how-to-cite", className="notice"),
    ]


def view(rel: Release, p: dict[str, Any], lang: str) -> View:
    tbl = indicators_table(rel, lang)
    children = [*sections(rel, lang), *about_sections(rel, lang),
                html.H2(tbl.title), table(tbl, lang, caption=False, source=False),
                downloads("indicators", lang)]
    tables = {"indicators": tbl}
    audit = audit_table(rel, lang)
    if audit is not None:
        children += [html.H2(audit.title), table(audit, lang, caption=False, source=False),
                     downloads("disclosure_audit", lang)]
        tables["disclosure_audit"] = audit
    return View(children=children, tables=tables)
