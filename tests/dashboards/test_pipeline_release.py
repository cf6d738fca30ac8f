"""The dashboard on a release made by the real pipeline (sample → ingest → refresh), not on a
hand-made fixture: every page shows figures, and what it names exists in the registry.

Built once per session from 18 months of the synthetic sample (about 20 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.pages import map as map_page
from dashboards.pages import methodology, overview, quality, results, trends
from indicators import release_reader as data
from indicators.registry import load_registry
from indicators.release_reader import ReleaseStore
from tests.sample_inbox import write_sample_inbox

_BUILT: dict[str, Path] = {}


def _pipeline_release(root: Path) -> Path:
    """The serving folder of a release published by ``monthly_refresh`` on the sample."""

    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import run_refresh

    data_dir = root / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OBS_DATA_DIR", str(data_dir))
        settings = load_settings().ensure_dirs()
        write_sample_inbox(settings, until="2022-06")
        report = run_refresh("2021-01-01", "2022-06-01", resources=resources_for(str(data_dir)))
    assert report.success and report.release_id, report
    return settings.serving_dir


@pytest.fixture(scope="module")
def rel(tmp_path_factory):
    if "serving" not in _BUILT:
        _BUILT["serving"] = _pipeline_release(tmp_path_factory.mktemp("pipeline"))
    store = ReleaseStore(_BUILT["serving"])
    yield store.current()
    store.close()


def test_every_headline_card_names_an_indicator_of_the_registry_and_the_release(rel):
    registry_codes = {i.code for i in load_registry().indicators}
    published = set(rel.con.sql("SELECT code FROM rel.published.indicators").pl()["code"].to_list())
    for _card, code in overview.HEADLINES:
        assert code in registry_codes and code in published, code


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_overview_shows_the_headline_figures(rel, lang):
    by_grain = {grain: {h.card: h for h in overview.headlines(rel, "PT", grain)}
                for grain in ("month", "ytd", "year")}
    for grain in ("month", "ytd"):
        # the status split (confirmed) is published by quarter and year only
        assert {"signalled", "change"} <= set(by_grain[grain]), grain
        assert by_grain[grain]["signalled"].value >= 5
    # the latest complete year carries every card: rate and shares are published by year
    assert set(by_grain["year"]) == {card for card, _ in overview.HEADLINES}
    assert by_grain["year"]["signalled"].period_label == "2021"
    table = overview.view(rel, overview.normalise(rel, {}), lang).tables["overview"]
    assert len(table.rows) == 1 + 1 + 8  # signalled by month and ytd; 8 cards by year (no "change")


def test_the_map_colours_districts(rel):
    indicators = [code for code, _ in map_page._district_indicators(rel, "en")]
    assert "THB_SIGNALLED" in indicators
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "year",
                                 "period": "2021"})
    values = [c.value for c in map_page.cells(rel, p, "en")]
    assert len(values) >= 20 and any(v is not None and v >= 5 for v in values)


def test_trends_draw_a_national_series(rel):
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "month"})
    table = trends.view(rel, p, "en").tables["trends"]
    assert len(table.rows) >= 12


def test_results_list_every_eea_indicator_of_the_registry(rel):
    eea = {i.code for i in load_registry().indicators if i.level is not None}  # EEA Grants
    assert eea
    periods = data.reporting_periods(rel)
    assert periods
    table = results.table_for(rel, periods[-1], "en")
    assert {row[-1] for row in table.rows} >= eea   # the code, last in the donor layout


def test_quality_shows_the_grid_and_the_rejected_files(rel):
    shown = quality.view(rel, quality.normalise(rel, {}), "en")
    grid = shown.tables["data_quality"]
    assert len(grid.rows) >= 8
    # the latest year by default (the sample runs to 2022-06), one year at a time
    # readable month labels ("Jan 2022"), not period codes
    assert [c for c in grid.columns if c.endswith("2022")] == [
        f"{m} 2022" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")]
    year_2021 = quality.view(rel, quality.normalise(rel, {"dqyear": "2021"}), "en")
    assert len([c for c in year_2021.tables["data_quality"].columns if c.endswith(" 2021")]) == 12
    assert year_2021.tables["data_quality"].title == "Returns by partner and month, 2021"
    rejected = " ".join(str(cell) for row in shown.tables["rejections"].rows for cell in row)
    # each rejected file by its opaque ingest number and rules: nothing from the partner's
    # file (its name, its headers or values) is published
    # (rules in words, as in the Rules column: the raw rule id is not shown)
    assert "unknown column" in rejected and "ingest #" in rejected
    assert "unknown_column" not in rejected
    assert "APF_victims_2024-03_coluna_nome.csv" not in rejected
    assert "nome" not in rejected.lower()
    # the file of an unregistered partner: its partner said in words, not a blank cell; and
    # one problem is "1 problem", not "1 problem(s)"
    for lang, unknown, reason in (
            ("en", "not identified", "1 problem; first: partner not registered, row 2"),
            ("pt", "não identificado", "1 problema; primeiro: parceiro não registado, linha 2")):
        rows = quality.rejections_table(rel, lang).rows
        assert (unknown, reason) in [(row[1], row[4]) for row in rows], lang
        assert all(row[1] for row in rows) and not any("(s)" in row[4] for row in rows)


def test_methodology_shows_the_release_wide_audit(rel):
    shown = methodology.view(rel, {}, "en")
    audit = shown.tables["disclosure_audit"]
    codes = {row[0] for row in audit.rows}
    assert {"THB_SIGNALLED", "THB_CONFIRMED", "EEA_VICTIMS_SUPPORTED"} <= codes
    text = methodology.audit_text(rel, "pt")
    assert text is not None and "0 recalculáveis" in text


def test_rates_by_sex_exist_for_every_region_and_portugal_estimated_where_flagged(rel):
    # issue 13: wherever a total rate is published, women's and men's rates are too — a
    # value or "c", never ":"; Braga, Bragança, Porto and Viana do Castelo on an estimated
    # population by sex ("e"). Signalled and presumed rates cover all 20 regions and PT.
    from indicators.reference import districts

    estimated = {"PT-03", "PT-04", "PT-13", "PT-16"}
    units = {d.code for d in districts()} | {"PT"}
    rates = [i.code for i in load_registry().derived() if i.method == "rate"]
    rows = rel.con.sql(
        "SELECT indicator, geo, breakdown_code AS code, value, flags "
        "FROM rel.published.indicator_values WHERE grain = 'year' AND period_label = '2021' "
        "AND indicator LIKE '%_RATE' AND breakdown_code IN ('_T', 'F', 'M')").pl()
    cells = {(r["indicator"], r["geo"], r["code"]): (r["value"], r["flags"] or "")
             for r in rows.iter_rows(named=True)}
    with_total = {code: {g for (i, g, c) in cells if i == code and c == "_T"} & units
                  for code in rates}
    assert with_total["THB_SIGNALLED_RATE"] == units
    assert with_total["THB_PRESUMED_RATE"] == units
    for code in rates:
        assert "PT" in with_total[code], code
        for geo in with_total[code]:
            for sex in ("F", "M"):
                value, flags = cells[(code, geo, sex)]
                assert ":" not in flags and "z" not in flags, (code, geo, sex, flags)
                assert (value is not None) != ("c" in flags), (code, geo, sex, value, flags)
                if "c" not in flags:  # a rate of 0 is exact, whatever the population
                    assert ("e" in flags) == (geo in estimated and value != 0), (
                        code, geo, sex, value, flags)
    flagged_e = {g for (_, g, c), (_, f) in cells.items() if c != "_T" and "e" in f}
    assert flagged_e and flagged_e <= estimated   # (all four unless every cell is "c")


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_methodology_states_the_release_policy(rel, lang):
    from indicators.publish import DEFAULT_RETENTION

    parts = methodology.sections(rel, lang)
    heads = [i for i, p in enumerate(parts) if getattr(p, "children", None) in
             ("Política de versões", "Release policy")]
    assert len(heads) == 1
    policy = parts[heads[0] + 1].children
    assert str(DEFAULT_RETENTION) in policy and ("«r»" in policy or '"r"' in policy)


def _district_values(rel, grains: tuple[str, ...]):
    import polars as pl

    return rel.con.sql(
        "SELECT grain, period_label, geo, breakdown, value, flags "
        "FROM rel.published.indicator_values WHERE indicator = 'THB_SIGNALLED' "
        "AND geo <> 'PT'").pl().filter(pl.col("grain").is_in(grains))


def test_districts_publish_quarters_and_year_to_date_of_the_current_year(rel):
    # issue 14: the current year (2022, January to June in this release) by district, by
    # quarter and year to date; every value is >= k, a true 0, or hidden ("c", no value)
    import polars as pl

    k = load_registry().get("THB_SIGNALLED").disclosure.threshold
    rows = _district_values(rel, ("quarter", "ytd"))
    now = rows.filter(pl.col("period_label").str.starts_with("2022"))
    assert set(now.filter(pl.col("grain") == "quarter")["period_label"]) == {"2022-Q1",
                                                                           "2022-Q2"}
    # by district the year to date is published at the end of each complete quarter (two
    # sums a month apart would reveal that month)
    assert set(now.filter(pl.col("grain") == "ytd")["period_label"]) == {"2022-01..2022-03",
                                                                       "2022-01..2022-06"}
    assert set(rows["breakdown"]) == {"_T"}              # by sex: by year only
    for r in rows.iter_rows(named=True):
        flags = r["flags"] or ""
        if r["value"] is None:
            assert "c" in flags, r
        else:
            assert "c" not in flags and (r["value"] == 0 or r["value"] >= k), r
    # useful: in the latest quarter some districts show a number above zero
    latest = now.filter((pl.col("period_label") == "2022-Q2") & (pl.col("value") > 0))
    assert latest.height >= 3, now.filter(pl.col("period_label") == "2022-Q2")
    # months are never published by district
    assert _district_values(rel, ("month", "r12")).is_empty()


def test_the_published_release_passes_the_release_wide_audit(rel):
    from indicators.release_audit import audit_release

    values = rel.con.sql("SELECT * FROM rel.published.indicator_values").pl()
    audit = audit_release(values, load_registry())
    assert audit.ok, audit.to_text()
    assert not audit.recomputable_secondary()
    quarters = values.filter((values["grain"] == "quarter") & (values["geo"] != "PT"))
    assert quarters.height > 0   # the audit saw the district quarters


def test_the_map_offers_quarter_and_year_to_date_by_district(rel):
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "quarter"})
    assert p["grain"] == "quarter" and p["period"] == "2022-Q2"   # latest quarter by default
    options = {o["value"]: o for o in map_page._grain_options(rel, "THB_SIGNALLED", "en")}
    assert not options["quarter"]["disabled"] and not options["ytd"]["disabled"]
    assert not options["year"]["disabled"]
    # months are not published by district: offered disabled, saying why
    assert options["month"]["disabled"] and "not published by district" in \
        options["month"]["label"]
    shown = [c for c in map_page.cells(rel, p, "en") if c.value is not None]
    assert any(c.value >= 5 for c in shown)
    # by district the year to date ends with a quarter: a month's end is not offered
    p = map_page.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "ytd",
                                 "period": "2022-01..2022-05"})
    assert p["period"] == "2022-01..2022-06"
    table = map_page.view(rel, p, "pt").tables["map"]
    assert len(table.rows) >= 20
    # rolling 12 months: national only, offered disabled
    assert options["r12"]["disabled"]


def test_trends_offer_quarters_for_a_district(rel):
    p = trends.normalise(rel, {"indicator": "THB_SIGNALLED", "grain": "quarter",
                               "district": "PT-11"})
    options = {o["value"]: o for o in trends._grain_options(rel, p, "en")}
    assert not options["quarter"]["disabled"] and not options["year"]["disabled"]
    assert options["month"]["disabled"] and "national only" in options["month"]["label"]
    table = trends.view(rel, p, "en").tables["trends"]
    assert len(table.rows) >= 6   # 2021-Q1 .. 2022-Q2, each a value or "c"


def test_the_overview_of_a_district_shows_its_year_to_date(rel):
    (card,) = [h for h in overview.headlines(rel, "PT-11", "ytd") if h.card == "signalled"]
    assert card.period_label.startswith("2022-01..2022-")
    assert int(card.period_label[-2:]) % 3 == 0          # the end of a complete quarter
    assert card.value is not None or "c" in card.flags
    assert overview.headlines(rel, "PT-11", "month") == []  # no months by district
    shown = overview.view(rel, overview.normalise(rel, {"district": "PT-11"}), "en")
    text = str(shown.children)
    assert "Monthly figures" in text and "by quarter, year to date" in text


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_every_areas_overview_file_is_named_by_a_period_it_holds(rel, lang):
    """Before, a district with yearly figures only (Castelo Branco: 2025 in the demo)
    downloaded as ``otsh_overview_PT-05_2026-10_…``: the release's latest month, which the
    file did not contain."""
    from dashboards import metadata
    from indicators.i18n import fmt_period, t

    checked = 0
    for geo, _name in overview.district_options(lang):
        tbl = overview.table_for(rel, geo, lang)
        if not tbl.rows:
            continue
        checked += 1
        shown = {row[tbl.columns.index(t("col.period", lang))] for row in tbl.rows}
        grain = ("ytd" if ".." in tbl.period else "quarter" if "-Q" in tbl.period else
                 "month" if len(tbl.period) == 7 else "year")
        assert fmt_period(tbl.period, grain, lang) in shown, (geo, tbl.period, shown)
        assert metadata.file_stem(rel, tbl, lang).startswith(f"otsh_overview_{geo}_")
    assert checked > 1


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_overview_download_says_its_period_in_order_and_the_pages_note(rel, lang):
    """A reviewer read "out 2026 – 2025" (newest first) in the national file's notes, and a
    district's file lacked the page's note that monthly figures are not published by
    district."""
    from indicators.i18n import fmt_period, t

    national = overview.table_for(rel, "PT", lang)
    latest = rel.info.latest_complete_period
    year = str(latest.year - 1)  # the sample ends mid-year: the last complete year
    assert national.period_words == (f"{fmt_period(year, 'year', lang)} – "
                                     f"{fmt_period(f'{latest:%Y-%m}', 'month', lang)}")
    lisboa = overview.table_for(rel, "PT-11", lang)
    assert lisboa.rows and any(t("ov.section_none", lang) in r for r in lisboa.remarks)
