"""What the pages return: trend points at their own period equal to the published values,
per-point flags with their reason, only published combinations (or an explained fix), one
breakdown level at a time, the map's note and defaults, and one language per page."""

from __future__ import annotations

import json
import re
from datetime import date

import plotly.utils
import pytest
from dash import dcc

from dashboards.app import download_payload
from dashboards.pages import PAGES, trends
from dashboards.pages import map as map_page
from dashboards.pages.common import NAMES_MISSING, level_codes
from indicators import release_reader as data
from indicators.i18n import fmt_period


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_trend_points_sit_in_their_own_period_and_equal_the_published_value(store, grain):
    rel = store.current()
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": grain})
    fig = trends.view(rel, p, "en").figures["trends"]
    line = fig.data[0]
    published = data.values(rel, "THB_SIGNALLED", grain, ("PT",), "_T", "_T")
    assert fig.layout.xaxis.type == "category"
    assert list(line.x) == [fmt_period(label, grain, "en") for label in published["period_label"]]
    assert list(line.y) == list(published["value"])
    if grain == "year":
        assert list(line.x) == ["2023"]  # the fixture's one complete year, at "2023"
    if grain == "quarter":
        assert list(line.x)[0] == "Q1\u00a02023"


def test_provisional_marks_only_its_own_points_and_says_which_return_is_missing(store):
    """Analysts' hovers name the missing returns; everyone else's say only that a partner's
    return for the period is missing (which partner is data quality: the analysts')."""
    rel = store.current()
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "month"})
    published = data.values(rel, "THB_SIGNALLED", "month", ("PT",), "_T", "_T")
    flags = list(published["flags"])
    dq = data.data_quality(rel)
    june = dq.filter((dq["period"] == date(2024, 6, 1)) & ~dq["received"]
                     & (dq["return_type"] == "victims"))
    assert june.height > 0
    for named in (True, False):
        line = trends.view(rel, {**p, NAMES_MISSING: named}, "en").figures["trends"].data[0]
        for flag, symbol, hover in zip(flags, list(line.marker.symbol), line.customdata,
                                       strict=True):
            assert (symbol == "circle-open") == ("p" in flag)
            if "p" not in flag:
                continue
            if named:  # fixture: in June 2024 the odd-numbered partners are missing
                assert hover[2].startswith("provisional<br>Missing returns: ")
            else:
                assert hover[2] == ("provisional<br>A partner's return for this period is "
                                    "missing")
            for partner in june["partner"]:
                assert (f"{partner} (victims, Jun 2024)" in hover[2]) == named
    assert "p" in flags[-1] and "p" not in flags[-2]


@pytest.mark.parametrize("lang,words", [
    ("pt", "Falta o reporte de um parceiro para este período"),
    ("en", "A partner's return for this period is missing")])
def test_a_view_without_the_role_names_no_partner(store, lang, words):
    """A view built without the viewer's role (as for an anonymous visitor) names no
    partner, return type or month, in either language."""
    rel = store.current()
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "month"})
    hovers = [h[2] for h in trends.view(rel, p, lang).figures["trends"].data[0].customdata]
    provisional = [h for h in hovers if "<br>" in h]
    assert provisional and all(h.endswith("<br>" + words) for h in provisional), provisional
    partners = set(data.missing_returns(rel)["partner"])
    assert not any(code in h for h in hovers for code in partners)


def test_breakdown_by_month_is_disabled_and_an_old_link_gets_a_one_click_fix(store):
    rel = store.current()
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "month",
                               "breakdown": "sex"})
    controls = trends.controls(rel, p, "en")
    options = {o["value"]: o for o in controls[2].children[1].options}
    assert options["sex"]["disabled"] is True
    assert options["sex"]["label"] == "Sex (only by quarter, year)"  # fixture: not by month
    assert options["_T"]["disabled"] is False
    shown = trends.view(rel, p, "en")
    assert "trends" not in shown.figures  # no empty axis
    notice = shown.children[0]
    assert notice.id == "combo-notice"
    fix = [c for c in notice.children if isinstance(c, dcc.Link)][0]
    # the nearest grain the option names ("only by quarter, year"), and it draws
    assert "grain=quarter" in fix.href and "breakdown=sex" in fix.href
    p_quarter = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "quarter",
                                       "breakdown": "sex"})
    assert trends.view(rel, p_quarter, "en").figures["trends"].data


def test_one_level_of_a_breakdown_at_a_time_without_duplicates(store):
    rel = store.current()
    base = {"indicator": "THB_SIGNALLED", "grain": "year", "breakdown": "exploitation"}
    names = {}
    for level in ("main", "detail"):
        p = trends.normalise(rel, {**base, "level": level})
        fig = trends.view(rel, p, "en").figures["trends"]
        names[level] = [tr.name for tr in fig.data if tr.mode == "lines+markers"]
        assert len(names[level]) == len(set(names[level]))
        assert not any(n.startswith("Portugal") for n in names[level])  # short legend
    assert names["main"] == ["Labour exploitation", "Other forms", "Sexual exploitation"]
    assert "Sexual exploitation" not in names["detail"] and len(names["detail"]) == 4
    assert level_codes("exploitation", ["SEXUAL", "sexual_online", "labour", "LABOUR"],
                       "main") == ["SEXUAL", "LABOUR"]
    p = trends.normalise(rel, {**base, "level": "main"})
    assert any(getattr(c.children[1], "id", None) == {"type": "ctl", "name": "level"}
               for c in trends.controls(rel, p, "en"))


def test_map_opens_on_rates_and_says_what_is_not_on_the_map(store):
    rel = store.current()
    p = map_page.normalise(rel, {})
    assert data.indicator_meta(rel, p["indicator"])["unit"] == "rate_100k"
    counts = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "year",
                                      "period": "2023"})
    note = map_page.outside_note(rel, counts, "persons", "en")
    published = data.values(rel, "THB_SIGNALLED", "year", ("ABROAD", "UNKNOWN", "PT"), "_T",
                            "_T", "2023")
    assert note.startswith("Not on the map:") and "abroad" in note
    national = published.filter(published["geo"] == "PT")["value"][0]
    assert f"({national:,.0f})" in note


ENGLISH_WORDS = ("the", "and", "of", "with", "provisional", "confidential", "download",
                 "partner", "missing", "year", "month", "quarter", "rate", "persons",
                 "victims", "table", "value", "area", "district", "signalled", "share",
                 "release", "breakdown", "sign in", "notes", "flag", "level", "show")
PORTUGUESE_WORDS = ("de", "da", "do", "das", "dos", "com", "não", "provisório",
                    "confidencial", "descarregar", "parceiro", "ano", "mês", "trimestre",
                    "taxa", "pessoas", "vítimas", "tabela", "valor", "distrito", "versão",
                    "desagregação", "nível", "sinalizadas", "mostrar", "notas", "em")
# Names that are the same in both languages or proper names of organisations.
ALLOWED = re.compile(r"OTSH|EEA Grants|Portugal|Observatório do Tráfico de Seres Humanos"
                     r"|Secretaria-Geral do Ministério da Administração Interna|"
                     r"www\.\S+|CC BY 4\.0|Açores|Madeira|Lisboa|Porto|Definition of '[^']*'")


def _visible_text(component) -> list[str]:
    text = json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)
    text = re.sub(r'"id": \{[^}]*\}', "", text)  # control ids are not visible text
    found = re.findall(r'"(?:children|label|text|name|title|aria-label)": "((?:[^"\\]|\\.)*)"',
                       text)
    return [json.loads(f'"{s}"') for s in found]


def _proper_names() -> re.Pattern:
    """District and partner names are the same in both languages."""
    from indicators.reference import districts, partners

    names = [d.name_pt for d in districts()] + [p.name for p in partners()]
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _words(texts: list[str]) -> set[str]:
    out: set[str] = set()
    proper = _proper_names()
    for text in texts:
        text = proper.sub(" ", ALLOWED.sub(" ", re.sub(r"<[^>]+>", " ", text)))
        text = re.sub(r"\b[A-Z][A-Z0-9_]{2,}\b", " ", text)  # codes (THB_SIGNALLED_RATE)
        out.update(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text))
    return out


@pytest.mark.parametrize("lang,foreign", [("pt", ENGLISH_WORDS), ("en", PORTUGUESE_WORDS)])
def test_every_page_speaks_one_language(store, lang, foreign):
    from dashboards.app import _footer, _header, full_params
    from dashboards.pages import page_for

    rel = store.current()
    leaks = {}
    for page in PAGES:
        if page.PATH == "/results":
            continue  # the donor results page belongs to the donor-report work (issue 13b)
        params = full_params(page_for(page.PATH), rel, f"?lang={lang}")
        shown = page.view(rel, params, lang)
        texts = _visible_text([shown.children, page.controls(rel, params, lang),
                               _footer(rel, lang), list(shown.figures.values())])
        # indicator definitions of the test fixture are only in their own language
        bad = _words(texts) & set(foreign)
        if bad:
            leaks[page.PATH] = sorted(bad)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("dashboards.access.current_user", lambda: None)
        mp.setattr("dashboards.access.allowed", lambda audience: True)
        mp.setattr("dashboards.access.login_href", lambda target, lang: "/login")
        header = _header("/", f"?lang={lang}", lang)
    bad = _words(_visible_text(header)) & set(foreign)
    if bad:
        leaks["header"] = sorted(bad)
    assert leaks == {}


def test_download_has_notes_rounded_values_and_readable_periods(store):
    import base64
    import io

    from openpyxl import load_workbook

    from indicators.reports.exports import split_csv

    payload = download_payload(store, "/trends", "?lang=pt&grain=quarter", "trends", "csv")
    assert payload["filename"].startswith("otsh_trends_THB_SIGNALLED_PT_2023-Q1_2024-Q2_pt_")
    rows, notes = split_csv(payload["content"])
    assert rows[1][1] == "1.º trim. 2023"  # readable period, not 2023-Q1
    labels = dict(notes)
    for key in ("Título", "Fonte", "Versão publicada", "Data da versão", "Unidades",
                "Aviso", "Licença", "Como citar", "Sinais dos valores: p", "Sinais dos valores: c"):
        assert labels.get(key), key
    rate = download_payload(store, "/map", "?lang=en&indicator=THB_SIGNALLED_RATE", "map",
                            "csv")
    values = [r[6] for r in split_csv(rate["content"])[0][1:] if r[6]]
    assert values and all(len(v.split(".")[-1]) <= 1 for v in values if "." in v)
    xlsx = download_payload(store, "/map", "?lang=en", "map", "xlsx")
    book = load_workbook(io.BytesIO(base64.b64decode(xlsx["content"])))
    assert book.sheetnames == ["map", "Notes"]
    sheet = book["map"]
    assert sheet.freeze_panes == "A4" and sheet["A3"].font.bold
    assert book["Notes"]["A1"].value == "Title"


def test_cards_never_repeat_a_sentence_nor_show_a_bare_c(store):
    from dash import html

    from dashboards.pages import overview
    from dashboards.pages.overview import Headline, reading
    from indicators.i18n import flag_words

    rel = store.current()
    for geo in ("PT", "PT-20", "PT-12"):
        shown = overview.view(rel, {"district": geo}, "pt")
        text = json.dumps(shown.children, cls=plotly.utils.PlotlyJSONEncoder)
        for section in re.findall(r'"className": "cards"(.*?)"type": "Section"', text) or [text]:
            readings = re.findall(r'"children": "([^"]*)", "className": "card-reading"', section)
            assert len(readings) == len(set(readings)), readings
        values = re.findall(r'"children": "([^"]*)", "className": "card-value[^"]*"', text)
        assert values and "c" not in values
        if geo == "PT-20":  # the Azores have confidential cards: they say so in words
            assert "confidencial" in values
    assert isinstance(shown.children[0], html.P)
    assert flag_words("cpc", "pt") == "confidencial, provisório"
    up = Headline("signalled", "THB_SIGNALLED", "persons", "2025", 12.0, "", "2024", 10.0, "")
    assert reading(up, "year", "pt") == "Aumento de 20\u00a0% face a 2024."
    hidden = Headline("signalled", "THB_SIGNALLED", "persons", "2025", None, "c", "2024", 10.0,
                      "")
    assert reading(hidden, "year", "en") == "No comparison possible (confidential value)."
