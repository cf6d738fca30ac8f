"""The release-wide audit of what a reader holding every retained release knows
(``with_earlier_releases``): values published earlier whose keys the current release no longer
contains are still in the reader's hands.

Expected intervals are worked out by hand from the relation year = its quarters."""

from __future__ import annotations

from datetime import date

import polars as pl

from indicators.derived_values import VALUE_SCHEMA
from indicators.registry import load_registry
from indicators.release_audit import audit_release, with_earlier_releases
from indicators.release_union import release_view

REGISTRY = load_registry()
KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
SCHEMA = VALUE_SCHEMA


def row(label: str, value: float | None) -> dict:
    grain = "quarter" if "Q" in label else "year"
    quarter = int(label[-1]) if grain == "quarter" else 1
    return {"indicator": "THB_SIGNALLED", "grain": grain,
            "period": date(int(label[:4]), 3 * quarter - 2, 1),
            "period_end": date(int(label[:4]), 12, 31), "period_label": label, "geo": "PT",
            "breakdown": "_T", "breakdown_code": "_T", "value": value, "numerator": None,
            "denominator": None, "unit": "persons", "flags": "c" if value is None else ""}


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA)


def truth(counts: dict[str, int]) -> pl.DataFrame:
    return frame([row(label, float(n)) for label, n in counts.items()]).select(
        *KEY, pl.col("value").cast(pl.Int64).alias("count"))


# an earlier release published the first three quarters of 2022 (the year was current); the
# release now publishes the year and its last quarter only, the quarter hidden (true count 2)
EARLIER = frame([row("2022-Q1", 6.0), row("2022-Q2", 5.0), row("2022-Q3", 7.0)])
NOW = frame([row("2022", 20.0), row("2022-Q4", None)])


def q4(report) -> tuple[float, float]:
    [cell] = [c for c in report.intervals if c.key[2] == "2022-Q4"]
    return cell.low, cell.high


def test_the_current_release_alone_keeps_the_hidden_quarter_wide():
    report = audit_release(NOW, REGISTRY, None)
    # Q4 = 20 - Q1 - Q2 - Q3 with the other quarters unknown: Q4 in [1, 20]
    assert q4(report) == (1, 20)
    assert report.ok


def test_an_earlier_value_whose_key_is_absent_now_still_pins_a_hidden_cell():
    counts = truth({"2022": 20, "2022-Q1": 6, "2022-Q2": 5, "2022-Q3": 7, "2022-Q4": 2})
    union = audit_release(with_earlier_releases(NOW, [EARLIER], counts), REGISTRY, counts)
    # the reader holds Q1..Q3 from the earlier release: Q4 = 20 - 6 - 5 - 7 = 2 < k
    assert q4(union) == (2, 2)
    assert [c.key[2] for c in union.disclosed()] == ["2022-Q4"]


def test_an_absent_earlier_value_whose_count_changed_is_not_known_now():
    # Q3 revised from 7 to 8: the earlier 7 is knowledge of the old count only
    counts = truth({"2022": 20, "2022-Q1": 6, "2022-Q2": 5, "2022-Q3": 8, "2022-Q4": 1})
    union = audit_release(with_earlier_releases(NOW, [EARLIER], counts), REGISTRY, counts)
    # Q4 = 20 - 6 - 5 - Q3 with Q3 unknown: Q4 in [1, 9]
    assert q4(union) == (1, 9)
    assert union.ok


def test_a_cell_the_union_discloses_makes_the_release_audit_fail():
    # the audit of the release alone passes; the pipeline audits the union and reads it as
    # the release's audit (release_view), so that the repair rounds and the gate see it
    counts = truth({"2022": 20, "2022-Q1": 6, "2022-Q2": 5, "2022-Q3": 7, "2022-Q4": 2})
    alone = audit_release(NOW, REGISTRY, counts)
    judged = with_earlier_releases(NOW, [EARLIER], counts)
    merged = release_view(audit_release(judged, REGISTRY, counts), NOW, judged, REGISTRY)
    assert alone.ok and not merged.ok
    [cell] = merged.disclosed()
    assert cell.key[2] == "2022-Q4" and (cell.low, cell.high) == (2, 2)
    assert "earlier releases" in cell.how and "20" in cell.how
    assert merged.cells == alone.cells  # the release's own cell counts are kept


def test_the_pipeline_knows_the_counts_of_cells_no_problem_protects_now():
    # Q1..Q3 are in no protection problem now (only in the marts' counts): their true counts
    # still tell that the earlier values are the counts of today
    from indicators.pipeline import _true_counts

    cells = truth({"2022": 20, "2022-Q4": 2})
    marts = frame([row("2022-Q1", 6.0), row("2022-Q2", 5.0), row("2022-Q3", 8.0)])
    union = audit_release(with_earlier_releases(NOW, [EARLIER], _true_counts(cells, marts)),
                          REGISTRY, cells)
    # Q1, Q2 unchanged and known; Q3 revised (7 -> 8) unknown: Q4 = 20 - 11 - Q3 in [1, 9]
    assert q4(union) == (1, 9)
    marts = marts.with_columns(value=pl.when(pl.col("period_label") == "2022-Q3")
                               .then(7.0).otherwise(pl.col("value")))
    union = audit_release(with_earlier_releases(NOW, [EARLIER], _true_counts(cells, marts)),
                          REGISTRY, cells)
    assert q4(union) == (2, 2) and not union.ok
