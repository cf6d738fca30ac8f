"""Releases stay consistent over time (issue 19): the same data publish the same release, and
consecutive monthly releases never hide a value an earlier one published while its count is
unchanged. Real pipeline steps on the SYNTHETIC sample (12 to 15 months: about 60 s)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bench.release_series import simulate
from indicators import pipeline, warehouse
from indicators.problems import Problem, cube_problems, protect_all
from indicators.registry import load_registry
from indicators.release_audit import audit_frame, audit_release, with_earlier_releases
from tests.indicators.sample_marts import sample_marts

KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]


def _publish(settings, registry, previous):
    with warehouse.connect(settings.warehouse_path) as con:
        protected = pipeline.protect_marts(con, registry, previous, settings.data_dir)
        pipeline.keep_published_cells(con)
    return protected


def _marts_of_2021(settings, registry) -> None:
    """The sample's returns of 2021 loaded, refreshed and turned into marts."""
    sample_marts(settings, registry, seed=2021, until="2021-12")


def test_a_refresh_without_new_data_publishes_the_same_values_and_flags(settings):
    registry = load_registry()
    _marts_of_2021(settings, registry)
    first = _publish(settings, registry, None)          # the first publication
    again = _publish(settings, registry, first.indicator_values)
    assert first.audit_ok and again.audit_ok
    a = first.indicator_values.select(*KEY, "value", "flags").sort(KEY)
    b = again.indicator_values.select(*KEY, "value", "flags").sort(KEY)
    assert a.filter(pl.col("flags").str.contains("c")).height > 0  # something is protected
    assert a.equals(b), a.join(b, on=KEY, how="full").filter(
        pl.col("value").ne_missing(pl.col("value_right"))
        | pl.col("flags").ne_missing(pl.col("flags_right")))


def test_the_problems_and_their_protection_do_not_depend_on_the_order_of_the_marts(settings):
    # the citizenship hierarchy came from an unordered unique(): its code order (which
    # numbers the cells) and with it the pattern changed from run to run
    registry = load_registry()
    _marts_of_2021(settings, registry)
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        cube = con.sql("SELECT * FROM marts.victims_cube").pl()
        calendar = [f"2021-{m:02d}" for m in range(1, 13)]

    def citizenship(frame: pl.DataFrame) -> Problem:
        (problem,) = [p for p in cube_problems("marts.victims_cube", frame, calendar,
                                                   registry)
                      if p.name == "victims_citizenship_2021"]
        return problem

    orders = [cube, cube, cube.reverse(), cube.sample(fraction=1.0, shuffle=True, seed=1)]
    problems = [citizenship(frame) for frame in orders]
    codes = [p.hierarchies["citizenship"].codes() for p in problems]
    assert len(codes[0]) > 10 and all(c == codes[0] for c in codes), codes
    cells = [protect_all([p]).cells for p in problems]
    assert (cells[0]["status"] != "published").sum() > 0
    assert all(c.equals(cells[0]) for c in cells)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("series"))
    with pytest.MonkeyPatch.context() as env:  # simulate() points OBS_DATA_DIR at root;
        env.setenv("OBS_DATA_DIR", str(root))  # the context puts the old value back
        yield simulate(root, "2021-12", "2022-03")


def test_monthly_releases_never_hide_a_published_value_whose_count_is_unchanged(series):
    assert len(series) == 4
    assert sum(r.revised for r in series) > 0, "the series has no revision"
    assert [r.published_to_hidden_unchanged for r in series] == [0, 0, 0, 0]
    assert all(r.audit_ok for r in series)


def test_the_union_of_the_releases_pins_no_confidential_cell(series):
    assert [r.union_disclosed for r in series] == [0, 0, 0, 0]


def _values(rows: list[tuple[str, float | None, str]]) -> pl.DataFrame:
    return pl.DataFrame([{"indicator": "X", "grain": "year", "period_label": label, "geo": "PT",
                          "breakdown": "_T", "breakdown_code": "_T", "value": value,
                          "flags": flags} for label, value, flags in rows])


def test_an_earlier_value_is_known_only_while_the_count_is_the_same():
    now = _values([("2021", None, "c"), ("2022", None, "c"), ("2023", 9.0, "")])
    earlier = _values([("2021", 7.0, ""), ("2022", 8.0, ""), ("2023", 9.0, "")])
    truth = _values([("2021", 7.0, ""), ("2022", 6.0, ""), ("2023", 9.0, "")]).rename(
        {"value": "count"})
    out = with_earlier_releases(now, [earlier], truth).sort("period_label")
    # 2021 unchanged: the reader knows 7; 2022 revised (8 -> 6): the old 8 is not the count
    assert out["value"].to_list() == [7.0, None, 9.0]
    assert out["flags"].to_list() == ["", "c", ""]


def test_a_release_the_union_with_an_earlier_value_absent_now_discloses_is_refused(settings):
    # an earlier release published a district's year to date at April (a key this release
    # does not contain, count unchanged): with the quarters hidden now, Q1 <= that value
    from indicators.compute import count_values

    registry = load_registry()
    _marts_of_2021(settings, registry)
    first = _publish(settings, registry, None)
    with warehouse.connect(settings.warehouse_path) as con:
        cells = con.sql("SELECT * FROM protected.cells").pl()
        counts = count_values(con, registry)
    k = pl.DataFrame([(i.code, i.disclosure.threshold) for i in registry.counts()],
                     schema={"indicator": pl.String, "k": pl.Int64}, orient="row")
    small_q1 = cells.filter((pl.col("grain") == "quarter") & (pl.col("period_label") == "2021-Q1")
                            & (pl.col("geo") != "PT") & (pl.col("breakdown") == "_T")
                            & (pl.col("status") == "primary"))
    april = (counts.filter((pl.col("grain") == "ytd")
                           & (pl.col("period_label") == "2021-01..2021-04"))
             .join(small_q1.select("indicator", "geo", "breakdown"),
                   on=["indicator", "geo", "breakdown"])
             .join(k, on="indicator").filter(pl.col("value") < pl.col("k")))
    april = april.join(first.indicator_values, on=KEY, how="anti").head(1)
    assert april.height == 1, "the sample has no hidden district Q1 bounded by April"
    target = (april["indicator"][0], "quarter", "2021-Q1", april["geo"][0])
    known = first.indicator_values.filter(pl.col("value").is_not_null()).select(*KEY, "value")
    with warehouse.connect(settings.warehouse_path) as con:
        alone = pipeline.protect_marts(con, registry, first.indicator_values,
                                       settings.data_dir, earlier_values=[known])
        union = pipeline.protect_marts(
            con, registry, first.indicator_values, settings.data_dir,
            earlier_values=[pl.concat([known, april.select(*KEY, "value")])])
    assert alone.audit_ok
    # one audit, of the union, judged the release; its published audit table still counts
    # the release's own cells, as the audit of the release alone does
    assert alone.audited_values is not None
    own = audit_frame(audit_release(alone.indicator_values, registry, None,
                                    alone.eea_results))
    columns = ["indicator", "cells", "published", "suppressed"]
    assert alone.disclosure_audit.select(columns).sort("indicator").equals(
        own.select(columns).sort("indicator"))
    assert not union.audit_ok
    assert any(" ".join(target) in f and "earlier releases" in f
               for f in union.audit_failures), union.audit_failures
