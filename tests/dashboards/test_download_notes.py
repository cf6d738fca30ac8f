"""A download says what the page says beside its table (a user review: the map's CSV named
no population source for its rates, and left out the note "District rates leave out persons
signalled abroad or in an unknown district"): the source line with the population under
rates, and the page's remarks (the map's persons not on the map, trends' periods left out)."""

from __future__ import annotations

import pytest

from dashboards import metadata
from dashboards.pages import map as map_page
from indicators.i18n import t
from indicators.release_reader import ReleaseStore


def _notes(rel, table, lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for label, text in metadata.notes(rel, table, lang):
        out.setdefault(label, []).append(text)
    return out


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_map_of_rates_names_the_population_and_carries_the_note(store: ReleaseStore, lang):
    rel = store.current()
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED_RATE", "grain": "year"})
    shown = map_page.view(rel, p, lang)
    table = shown.tables["map"]
    notes = _notes(rel, table, lang)
    (source,) = notes[t("dl.source", lang)]
    assert t("src.population", lang) in source
    said = map_page.outside_note(rel, p, "rate_100k", lang)
    assert said and notes[t("dl.note", lang)] == [said]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_map_of_counts_names_no_population(store: ReleaseStore, lang):
    rel = store.current()
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "year"})
    table = map_page.view(rel, p, lang).tables["map"]
    (source,) = _notes(rel, table, lang)[t("dl.source", lang)]
    assert t("src.population", lang) not in source
    assert t("map.outside", lang).split(":")[0] in _notes(rel, table, lang)[t("dl.note", lang)][0]


def _castelo_branco_from_its_second_quarter(release, compare: str):
    """Castelo Branco's first quarter of persons signalled left out of the release (as
    protection leaves a small count out); the trends table of Castelo Branco (and
    ``compare``) by quarter, and the national first and last quarters."""
    import duckdb

    from dashboards.pages import trends

    con = duckdb.connect(str(release))
    first, last = con.execute(
        "SELECT min(period_label), max(period_label) FROM published.indicator_values "
        "WHERE indicator = 'THB_SIGNALLED' AND grain = 'quarter' AND geo = 'PT'").fetchone()
    con.execute("DELETE FROM published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
                "AND grain = 'quarter' AND geo = 'PT-05' AND period_label = ?", [first])
    con.close()
    store = ReleaseStore(release.parent)
    try:
        rel = store.current()
        p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "quarter",
                                   "district": "PT-05", "compare": compare})
        table = trends.view(rel, p, "en").tables["trends"]
        return table, _notes(rel, table, "en"), first, last
    finally:
        store.close()


def test_trends_periods_left_out_travel_with_the_download(release):
    _table, notes, _first, _last = _castelo_branco_from_its_second_quarter(release, "none")
    (remark,) = notes["Note"]
    assert remark.startswith("No value for Castelo Branco for ") and "national total" in remark


def test_the_period_of_a_trends_download_spans_every_line(release):
    """A user review: Beja beside Portugal, Beja's first year left out, gave a file named and
    noted 2022-2025 although it held Portugal's 2021."""
    from dashboards.app import _period_text
    from indicators.i18n import fmt_period

    table, _notes_, first, last = _castelo_branco_from_its_second_quarter(release, "PT")
    assert table.period == f"{first}_{last}"
    assert _period_text(table, "en") == (f"{fmt_period(first, 'quarter', 'en')} – "
                                         f"{fmt_period(last, 'quarter', 'en')}")


# --- where the methodology is, and where the figures come from, in the files themselves ---
# A user review: a downloaded CSV said "(see Methodology)" with no address, and a saved PNG of
# the trend chart said nothing of its source, release or confidential values.

def _download(client, search: str, fmt: str = "csv", host: str = "localhost"):
    """The trends download through the test client (the browser's callback request to
    ``host``): the CSV's notes rows, or the XLSX bytes."""
    import base64

    from bench.fixtures.callbacks import download_body
    from indicators.reports.exports import split_csv

    answer = client.post("/_dash-update-component", headers={"Host": host},
                         json=download_body("/trends", "trends", fmt, search)).get_json()
    data = answer["response"]["download"]["data"]
    if fmt == "xlsx":
        return base64.b64decode(data["content"])
    return split_csv(data["content"])[1]


def test_a_csv_download_gives_the_methodology_s_absolute_address(release, settings):
    """Its "(see Methodology)" remark and its own note name the absolute address of the
    methodology's section on protecting small counts, on the server that served the file."""
    from dashboards.app import create_app

    _castelo_branco_from_its_second_quarter(release, "none")  # a remark "(see Methodology)"
    client = create_app(settings).server.test_client()
    search = "?lang=en&indicator=THB_SIGNALLED&grain=quarter&district=PT-05"
    notes = dict(_download(client, search))
    address = "http://localhost/methodology?lang=en#disclosure"
    assert notes[t("dl.methodology", "en")] == address
    assert f"(see Methodology: {address})" in notes["Note"]
    pt = dict(_download(client, search.replace("lang=en", "lang=pt")))
    assert pt[t("dl.methodology", "pt")] == "http://localhost/methodology?lang=pt#disclosure"


def test_the_address_follows_the_host_that_served_the_download(release, settings):
    import io

    import openpyxl

    from dashboards.app import create_app

    client = create_app(settings).server.test_client()
    book = openpyxl.load_workbook(io.BytesIO(_download(client, "?lang=pt", "xlsx",
                                                       host="otsh.example.org")))
    texts = [cell for row in book[t("dl.notes", "pt")].iter_rows(values_only=True)
             for cell in row]
    assert "http://otsh.example.org/methodology?lang=pt#disclosure" in texts


def test_notes_without_a_server_leave_the_remarks_as_they_are(release):
    """Built outside a request (no ``base_url``): no address, no methodology row."""
    _table, notes, _first, _last = _castelo_branco_from_its_second_quarter(release, "none")
    assert t("dl.methodology", "en") not in notes
    assert "(see Methodology)" in notes["Note"][0]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_trend_chart_carries_its_source_line(store: ReleaseStore, lang):
    """The figure itself (hence its PNG) says the page's source line under the plot: the same
    words, release included (:func:`components.image_footer`), in small grey text."""
    from dashboards import components, figures
    from dashboards.pages import trends

    rel = store.current()
    for query, rates in (({"grain": "month"}, False),
                         ({"indicator": "THB_SIGNALLED_RATE", "grain": "year"}, True)):
        fig = trends.view(rel, trends.normalise(rel, query), lang).figures["trends"]
        (note,) = [a for a in fig.layout.annotations if a.name == "source"]
        said = " ".join(components.image_footer(lang, rates, rel))
        assert note.text.replace("<br>", " ") == said
        assert said.startswith(f"{t('dl.source', lang)}: "
                               f"{components.source_text(lang, rates, rel)}")
        assert rel.release_id in note.text
        assert note.font.size < 12 and note.yref == "paper" and note.y == 0 \
            and note.yanchor == "top"  # small, under the plot
        lines = figures.source_lines(components.image_footer(lang, rates, rel))
        assert note.text.count("<br>") == len(lines) - 1
        assert all(len(line) <= figures.SOURCE_CHARS for line in lines)  # fits a phone
