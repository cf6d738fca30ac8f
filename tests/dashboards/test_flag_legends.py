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
