"""Every place that explains flag letters explains every flag of ``indicators.flags``,
the estimated flag ``e`` included (issue 13: rates by sex on estimated populations)."""

from __future__ import annotations

from dashboards import metadata
from dashboards.pages import methodology as methodology_page
from indicators import flags, i18n
from indicators import methodology as methodology_doc
from indicators.open_data.bulk import FLAGS_LEGEND
from indicators.sdmx import codes

LETTERS = {flags.CONFIDENTIAL, flags.NOT_APPLICABLE, flags.NOT_AVAILABLE, flags.ESTIMATED,
           flags.PROVISIONAL, flags.REVISED}


def test_flag_e_means_estimated_in_both_languages() -> None:
    assert flags.ESTIMATED == "e"
    assert i18n.t("flag.e", "pt") == "estimado"
    assert i18n.t("flag.e", "en") == "estimated"
    assert i18n.flag_words("ep", "pt") == "estimado, provisório"
    assert i18n.t("me.flag_desc.e", "pt").startswith("estimado:")
    assert i18n.t("me.flag_desc.e", "en").startswith("estimated:")


def test_every_legend_lists_every_flag() -> None:
    assert set(metadata.FLAG_LETTERS) == LETTERS              # downloads' notes
    assert set(methodology_page.FLAG_LETTERS) == LETTERS      # methodology page, donor report
    assert {c for c, _, _ in FLAGS_LEGEND} == LETTERS         # open-data bundle README
    for lang in ("pt", "en"):
        assert {c for c, _ in methodology_doc.TEXT[lang]["flags"]} == LETTERS
        for key in ("rep.flags_legend", "tr.footnote"):
            assert "e = " in i18n.t(key, lang), (key, lang)


def test_sdmx_obs_status_estimated_is_e_and_provisional_wins() -> None:
    assert "E" in codes.OBS_STATUS
    assert codes.obs_status("e") == "E"
    assert codes.obs_status("er") == "E"
    assert codes.obs_status("ep") == "P"
    assert codes.obs_status("") == "A"



def test_the_flags_heading_names_the_letters_in_the_order_its_list_explains_them(store):
    """The methodology page's heading said "(p, r, e, c, z, :)" above a list in the order
    c, z, :, e, p, r; the page, the donor report and the downloads now take one order."""
    from dash import html

    from tests.dashboards.component_text import texts_of

    assert metadata.FLAG_LETTERS == methodology_page.FLAG_LETTERS == flags.LETTERS
    for lang in ("pt", "en"):
        page = html.Div(methodology_page.sections(store.current(), lang))
        heading = next(h for h in texts_of(page, html.H2) if "(" in h and ":" in h)
        listed = [code.children for code in texts_of(page, html.Dt)]
        assert heading.endswith("(" + ", ".join(listed) + ")"), (heading, listed)


def test_every_flag_legend_text_explains_its_letters_in_the_one_order():
    """The donor report's notes said "c, :, e, p, r, z" above an annex in the order
    c, z, :, e, p, r; the trends chart's notes "p, r, c, e"."""
    import re

    for lang in ("pt", "en"):
        for key in ("rep.flags_legend", "tr.footnote"):
            letters = re.findall(r"(?:^|[\s;,])([a-z:]) = ", i18n.t(key, lang))
            assert len(letters) >= 4, (key, lang, letters)
            assert letters == [f for f in flags.LETTERS if f in letters], (key, lang, letters)


def test_r_has_one_meaning_in_every_legend() -> None:
    """Trends and the open-data README said "revised since the previous release", the
    methodology "differs from the value an earlier release published (kept while it does not
    change again)": a value revised two releases ago, unchanged since, shows "r" in a release
    that changed nothing. Every legend now says what the flag means."""
    bundle = {code: (pt, en) for code, pt, en in FLAGS_LEGEND}["r"]
    doc = {lang: dict(methodology_doc.TEXT[lang]["flags"])["r"] for lang in ("pt", "en")}
    for lang, said in (("pt", "versão anterior"), ("en", "an earlier release")):
        texts = (bundle[lang == "en"], doc[lang], i18n.t("me.flag_desc.r", lang),
                 i18n.t("tr.footnote", lang).split("r = ", 1)[1])
        for text in texts:
            assert said in text, (lang, text)
            assert "previous release" not in text and "desde a" not in text, (lang, text)
