"""The release-wide audit: what a reader proves from the published values alone.

Expected intervals are worked out by hand from the relations the methodology publishes."""

from __future__ import annotations

from datetime import date

import polars as pl

from indicators.derived_values import VALUE_SCHEMA
from indicators.registry import load_registry
from indicators.release_audit import audit_frame, audit_release, publish_pinned

REGISTRY = load_registry()
SCHEMA = VALUE_SCHEMA


def row(indicator: str, label: str, value: float | None, breakdown: str = "_T",
        code: str = "_T", grain: str = "year", numerator: float | None = None) -> dict:
    year = int(label[:4])
    month = int(label[5:7]) if grain in ("month", "ytd") else 1
    return {"indicator": indicator, "grain": grain, "period": date(year, month, 1),
            "period_end": date(year, 12, 31), "period_label": label, "geo": "PT",
            "breakdown": breakdown, "breakdown_code": code, "value": value,
            "numerator": numerator, "denominator": None, "unit": "persons",
            "flags": "c" if value is None else ""}


def audit(rows: list[dict], eea: pl.DataFrame | None = None):
    return audit_release(pl.DataFrame(rows, schema=SCHEMA), REGISTRY, None, eea)


def interval(report, indicator: str, code: str = "_T", grain: str = "year"):
    found = [(c.low, c.high) for c in report.intervals
             if c.key[0] == indicator and c.key[5] == code and c.key[1] == grain]
    assert len(found) == 1, found
    return found[0]


def test_status_split_recomputes_a_hidden_secondary():
    # the outside review: THB_CONFIRMED 2025 PT sex M = 517 - 456 - 48 = 13
    report = audit([row("THB_SIGNALLED", "2025", 517.0, "sex", "M"),
                    row("THB_PRESUMED", "2025", 456.0, "sex", "M"),
                    row("THB_NOT_CONFIRMED", "2025", 48.0, "sex", "M"),
                    row("THB_CONFIRMED", "2025", None, "sex", "M")])
    assert interval(report, "THB_CONFIRMED", "M") == (13, 13)
    assert report.ok  # 13 >= k: recomputable, not a disclosure
    [cell] = report.recomputable()
    assert "517" in cell.how and "456" in cell.how and "48" in cell.how


def test_a_month_is_the_difference_of_two_year_to_date_values():
    report = audit([row("EEA_VICTIMS_SUPPORTED", "2021-01", 17.0, grain="month"),
                    row("EEA_VICTIMS_SUPPORTED", "2021-02", None, grain="month"),
                    row("EEA_VICTIMS_SUPPORTED", "2021-01..2021-02", 26.0, grain="ytd")])
    assert interval(report, "EEA_VICTIMS_SUPPORTED", grain="month") == (9, 9)


def test_two_hidden_parts_of_a_total_keep_a_wide_interval():
    report = audit([row("THB_SIGNALLED", "2024", 19.0),
                    row("THB_SIGNALLED", "2024", None, "sex", "F"),
                    row("THB_SIGNALLED", "2024", None, "sex", "M"),
                    row("THB_SIGNALLED", "2024", 0.0, "sex", "X"),
                    row("THB_SIGNALLED", "2024", 0.0, "sex", "U")])
    # F + M = 19, both hidden so both >= 1 (zeros are published): F in [1, 18]
    assert interval(report, "THB_SIGNALLED", "F") == (1, 18)
    assert report.ok and not report.recomputable()


def test_a_rate_numerator_publishes_its_count():
    rows = [row("THB_SIGNALLED", "2024", 15.0),
            row("THB_SIGNALLED", "2024", None, "sex", "F"),
            row("THB_SIGNALLED", "2024", None, "sex", "M"),
            row("THB_SIGNALLED", "2024", 0.0, "sex", "X"),
            row("THB_SIGNALLED", "2024", 0.0, "sex", "U"),
            {**row("THB_SIGNALLED_RATE", "2024", 2.3, "sex", "M", numerator=12.0),
             "unit": "rate_100k"}]
    report = audit(rows)
    assert interval(report, "THB_SIGNALLED", "F") == (3, 3)
    assert not report.ok
    assert [c.key[5] for c in report.disclosed()] == ["F"]


def test_achieved_to_date_is_a_sum_the_reader_knows():
    # results start 2021-01; achieved at 2021-02 = January + February
    rows = [row("EEA_VICTIMS_SUPPORTED", "2021-01", None, grain="month"),
            row("EEA_VICTIMS_SUPPORTED", "2021-02", 40.0, grain="month")]
    eea = pl.DataFrame([{"indicator": "EEA_VICTIMS_SUPPORTED", "reporting_period": "2021-02",
                         "breakdown": "_T", "breakdown_code": "_T", "achieved": 43.0}])
    assert audit(rows).ok
    report = audit(rows, eea)
    assert interval(report, "EEA_VICTIMS_SUPPORTED", grain="month") == (3, 3)
    assert not report.ok


def test_persons_without_migration_support_are_unknown_not_zero():
    report = audit([row("EEA_VICTIMS_SUPPORTED", "2024", 20.0),
                    row("EEA_MIGRANTS_ASSISTED", "2024", None)])
    # supported = migrants + persons without migration support (never published, >= 0)
    assert interval(report, "EEA_MIGRANTS_ASSISTED") == (1, 20)


def test_pinned_secondaries_are_published_and_the_summary_has_no_true_values():
    values = [row("THB_SIGNALLED", "2025", 517.0, "sex", "M"),
              row("THB_PRESUMED", "2025", 456.0, "sex", "M"),
              row("THB_NOT_CONFIRMED", "2025", 48.0, "sex", "M"),
              row("THB_CONFIRMED", "2025", None, "sex", "M")]
    key = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
    truth = pl.DataFrame(values, schema=SCHEMA).select(key).with_columns(
        count=pl.Series([517, 456, 48, 13]),
        status=pl.Series(["published"] * 3 + ["secondary"]))
    report = audit_release(pl.DataFrame(values, schema=SCHEMA), REGISTRY, truth)
    assert [c.true for c in report.recomputable_secondary()] == [13]
    cells = publish_pinned(truth, report.recomputable_secondary())
    assert cells["status"].to_list() == ["published"] * 4
    summary = audit_frame(report)
    whole = summary.filter(pl.col("indicator") == "_ALL").row(0, named=True)
    assert (whole["suppressed"], whole["primary"], whole["secondary"]) == (1, 0, 1)
    per = summary.filter(pl.col("indicator") != "_ALL")
    assert per["primary"].null_count() == per.height  # never per indicator


def test_an_audit_repeated_on_the_same_values_gives_the_same_answer_without_leaking_truth():
    # one refresh audits the same release three times (kept once per content); the true
    # counts of one call must not appear in another call, and other values are audited anew
    rows = [row("THB_SIGNALLED", "2025", 517.0, "sex", "M"),
            row("THB_PRESUMED", "2025", 456.0, "sex", "M"),
            row("THB_NOT_CONFIRMED", "2025", 48.0, "sex", "M"),
            row("THB_CONFIRMED", "2025", None, "sex", "M")]
    values = pl.DataFrame(rows, schema=SCHEMA)
    truth = values.select("indicator", "grain", "period_label", "geo", "breakdown",
                          "breakdown_code").with_columns(count=pl.lit(13, pl.Int64))
    with_truth = audit_release(values, REGISTRY, truth)
    assert [c.true for c in with_truth.intervals] == [13]
    again = audit_release(values.reverse(), REGISTRY)
    assert [(c.low, c.high, c.true) for c in again.intervals] == [(13, 13, None)]
    rows[0]["value"] = 520.0
    changed = audit(rows)
    assert interval(changed, "THB_CONFIRMED", "M") == (16, 16)


class _NoVerdictFirst:
    """A stand-in solver whose first solve ends without a verdict (HiGHS ``kUnknown`` after
    a warm start) and whose solve from scratch finds the optimum 7."""

    def __init__(self) -> None:
        import highspy

        self.S = highspy.HighsModelStatus
        self.status = self.S.kNotset
        self.cleared = False

    def run(self) -> None:
        self.status = self.S.kOptimal if self.cleared else self.S.kUnknown

    def getModelStatus(self):  # noqa: N802 - the HiGHS API
        return self.status

    def clearSolver(self) -> None:  # noqa: N802
        self.cleared = True

    def getSolution(self):  # noqa: N802
        return type("Solution", (), {"col_value": [7.0]})()

    def getInfo(self):  # noqa: N802
        return type("Info", (), {"objective_function_value": 7.0})()


def test_a_solve_without_a_verdict_is_solved_again_from_scratch():
    from indicators.release_audit import _run

    solver = _NoVerdictFirst()
    assert _run(solver, 1.0, 0) == (7.0, True)
    assert solver.cleared
