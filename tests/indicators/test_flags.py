"""Flags c / z / : / e / p / r as pure functions."""

from __future__ import annotations

from datetime import date

import polars as pl

from indicators.flags import (
    combine_flags,
    combine_flags_expr,
    flag_availability,
    flag_revised,
    month_status,
)


def test_combine_flags_order_and_precedence() -> None:
    assert combine_flags("", "") == ""
    assert combine_flags("p", "r") == "pr"
    assert combine_flags("r", "p") == "pr"
    assert combine_flags("c", "p") == "cp"
    assert combine_flags("c", "r") == "c"          # a suppressed value is not "revised"
    assert combine_flags("p", ":") == ":"
    assert combine_flags("c", "z") == "z"
    assert combine_flags(None, "p", "p") == "p"


def test_estimated_flag_sits_between_c_and_p_and_goes_with_c_z_and_not_available() -> None:
    assert combine_flags("e") == "e"
    assert combine_flags("r", "p", "e") == "epr"
    assert combine_flags("p", "e") == "ep"
    assert combine_flags("c", "e") == "c"           # nothing left to call estimated
    assert combine_flags("ce", "p") == "cp"
    assert combine_flags("e", ":") == ":"
    assert combine_flags("e", "z") == "z"


def test_vectorised_combination_agrees_with_combine_flags() -> None:
    pairs = [("e", ""), ("p", "e"), ("r", "e"), ("c", "e"), ("e", ":"), ("z", "e"),
             ("cp", "e"), ("epr", None), (None, None)]
    df = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]},
                      schema={"a": pl.String, "b": pl.String})
    got = df.select(f=combine_flags_expr(pl.col("a"), pl.col("b")))["f"].to_list()
    assert got == ["e", "ep", "er", "c", ":", "z", "cp", "epr", ""]


def dq(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"partner": pl.String, "return_type": pl.String,
                                      "period": pl.Date, "expected": pl.Boolean,
                                      "received": pl.Boolean}, orient="row")


JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def test_month_status() -> None:
    status = month_status(dq([
        ("A", "victims", JAN, True, True), ("B", "victims", JAN, True, True),
        ("A", "victims", FEB, True, True), ("B", "victims", FEB, True, False),
        ("A", "victims", MAR, True, False), ("B", "victims", MAR, True, False),
        ("C", "victims", MAR, False, False),
    ]))
    got = {(r["period"], r["provisional"], r["unreported"]) for r in status.iter_rows(named=True)}
    assert got == {(JAN, False, False), (FEB, True, False), (MAR, True, True)}


def values(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"indicator": pl.String, "period": pl.Date,
                                      "period_end": pl.Date, "value": pl.Float64,
                                      "flags": pl.String}, orient="row")


def test_availability_flags_p_and_not_available() -> None:
    status = month_status(dq([
        ("A", "victims", JAN, True, True), ("B", "victims", JAN, True, True),
        ("A", "victims", FEB, True, True), ("B", "victims", FEB, True, False),
        ("A", "victims", MAR, True, False), ("B", "victims", MAR, True, False),
    ]))
    v = values([
        ("X", JAN, date(2024, 1, 31), 5.0, ""),       # final
        ("X", FEB, date(2024, 2, 29), 3.0, ""),       # B missing: provisional
        ("X", MAR, date(2024, 3, 31), 0.0, ""),       # nobody reported: not available
        ("X", JAN, date(2024, 3, 31), 8.0, ""),       # quarter: provisional (Feb, Mar)
        ("X", JAN, date(2024, 1, 31), None, "c"),     # suppressed and final stays c
        ("X", FEB, date(2024, 2, 29), None, "c"),     # suppressed and provisional: cp
        ("Y", MAR, date(2024, 3, 31), 2.0, ""),       # other return type: untouched
    ])
    out = flag_availability(v, status, {"X": "victims", "Y": "support"})
    assert out["flags"].to_list() == ["", "p", ":", "p", "c", "cp", ""]
    assert out["value"].to_list() == [5.0, 3.0, None, 8.0, None, None, 2.0]


def test_revised_compares_with_the_previous_release() -> None:
    key = {"indicator": "X", "grain": "year", "geo": "PT", "breakdown": "_T",
           "breakdown_code": "_T"}
    current = pl.DataFrame([
        {**key, "period_label": "2022", "value": 10.0, "flags": ""},    # unchanged
        {**key, "period_label": "2023", "value": 12.0, "flags": ""},    # revised
        {**key, "period_label": "2024", "value": 7.0, "flags": "p"},    # revised, provisional
        {**key, "period_label": "2025", "value": None, "flags": "c"},   # now suppressed
        {**key, "period_label": "2026", "value": 9.0, "flags": ""},     # was suppressed
        {**key, "period_label": "2027", "value": 4.0, "flags": ""},     # new
    ])
    previous = pl.DataFrame([
        {**key, "period_label": "2022", "value": 10.0},
        {**key, "period_label": "2023", "value": 11.0},
        {**key, "period_label": "2024", "value": 6.0},
        {**key, "period_label": "2025", "value": 5.0},
        {**key, "period_label": "2026", "value": None},
    ])
    out = flag_revised(current, previous)
    assert out["flags"].to_list() == ["", "r", "pr", "c", "", ""]
    assert flag_revised(current, None).equals(current)


def test_a_revised_value_keeps_its_r_while_unchanged_and_not_after_a_new_value():
    key = {"indicator": "X", "grain": "year", "geo": "PT", "breakdown": "_T",
           "breakdown_code": "_T"}
    previous = pl.DataFrame([
        {**key, "period_label": "2022", "value": 11.0, "flags": "r"},   # revised last time
        {**key, "period_label": "2023", "value": 8.0, "flags": "pr"},   # revised, provisional
        {**key, "period_label": "2024", "value": 5.0, "flags": ""},
    ])
    current = pl.DataFrame([
        {**key, "period_label": "2022", "value": 11.0, "flags": ""},    # same data again
        {**key, "period_label": "2023", "value": None, "flags": "c"},   # now suppressed
        {**key, "period_label": "2024", "value": 5.0, "flags": ""},     # never revised
    ])
    assert flag_revised(current, previous)["flags"].to_list() == ["r", "c", ""]
