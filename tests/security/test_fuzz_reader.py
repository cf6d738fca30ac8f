"""Property-based fuzzing (hypothesis) of the CSV reader and the validator, and of the
file-name sanitiser.

Properties: for any bytes, and for valid returns mutated at random (cells replaced by
hostile text, cells dropped, rows repeated, delimiters swapped, BOMs, truncation,
re-encoding), reading and validating return a result (tables or problems) and never raise;
a file that is accepted satisfies the contract (whole counts 0..max_count, known codes,
periods from first_period to the reference month, registered partner); every problem names
the file in both languages. ``safe_name`` never yields a name that leaves its folder.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.contract import load_contract
from indicators.ingest import safe_name
from indicators.reference import partners
from indicators.validation import validate_file
from indicators.validation.readers import read_csv

TODAY = date(2024, 6, 15)
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

HEADER = ["partner", "period", "district", "sex", "age_group", "citizenship", "exploitation",
          "status", "signalled_by", "count"]
ROWS = [
    ["APF", "2024-03", "PT-11", "F", "25-34", "BR", "sexual_prostitution", "presumed", "ngo", "2"],
    ["APF", "2024-03", "PT-13", "M", "18-24", "RO", "labour", "confirmed", "police", "1"],
    ["APF", "2024-02", "PT-08", "F", "18-24", "PT", "sexual_online", "presumed", "hotline", "0"],
]
HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "-1", "1e30", "99999999999999999999", "2.5", "0,0", "=1+1",
                     "+cmd|' /C calc'!A0", "@SUM(A1)", "<script>alert(1)</script>", '"', '""',
                     "a,b", "a;b", "a\tb", "\r\n", "\x00", "\ufeff", "APF", "OTSH", "2024-13",
                     "2020-12", "2099-01", "2024-03-01", "maria@example.pt", "123456789",
                     "912 345 678", "17/05/1990", "UNKNOWN", "unknown", "f", "pt-11", "100000",
                     "100001", "007", "٣", "１", "NaN", "inf", "None", "null"]),
)


def validate_bytes(data: bytes, suffix: str = ".csv"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz_return{suffix}"
        path.write_bytes(data)
        return validate_file(path, today=TODAY)


def assert_contract(validated) -> None:
    """An accepted file's tables hold only what the contract allows."""
    contract = load_contract()
    registered = {p.code for p in partners()}
    first = date.fromisoformat(contract.first_period + "-01")
    assert validated.tables and validated.partner in registered
    for return_type, table in validated.tables.items():
        spec = contract.returns[return_type]
        assert table.columns == list(spec.columns)
        assert table.schema["count"] == pl.Int64 and table.schema["period"] == pl.Date
        assert table.null_count().row(0) == (0,) * table.width
        counts = table.get_column("count")
        assert counts.min() >= 0 and counts.max() <= contract.max_count
        periods = table.get_column("period")
        assert periods.min() >= first and periods.max() <= date(TODAY.year, TODAY.month, 1)
        assert set(table.get_column("partner").unique()) == {validated.partner}
        for column in spec.columns:
            allowed = contract.allowed_codes(column, return_type)
            if allowed is not None and column not in ("period", "count"):
                assert set(table.get_column(column).unique()) <= set(allowed), column
        assert not table.select(spec.key_columns).is_duplicated().any()


def assert_result(validated) -> None:
    if validated.ok:
        assert_contract(validated)
    else:
        assert not validated.tables
        for problem in validated.problems:
            assert problem.message_en.startswith(validated.name)
            assert problem.message_pt.startswith(validated.name)


def test_the_unmutated_return_is_accepted():
    """Guards the properties below: the base they mutate is itself valid."""
    lines = "\r\n".join(",".join(r) for r in [HEADER, *ROWS]) + "\r\n"
    validated = validate_bytes(lines.encode())
    assert validated.ok and validated.n_rows == 3
    assert_contract(validated)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data):
    read = read_csv(data, "fuzz.csv")
    assert isinstance(read.sheets, list) and isinstance(read.problems, list)
    validated = validate_bytes(data)
    assert_result(validated)
    if not read.sheets and not read.problems:  # nothing readable at all: said so
        assert [p.rule for p in validated.problems] == ["empty_file"]


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".csv", ".txt", ".xlsx", ".CSV", ""]))
def test_arbitrary_bytes_under_any_file_type_never_raise(data, suffix):
    assert_result(validate_bytes(data, suffix))


MUTATION = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 3), st.integers(0, 9), HOSTILE_TEXT),
    st.tuples(st.just("drop"), st.integers(0, 3), st.integers(0, 9)),
    st.tuples(st.just("repeat"), st.integers(1, 3)),
    st.tuples(st.just("extra"), st.integers(0, 3), HOSTILE_TEXT),
)


@st.composite
def near_valid_csv(draw) -> bytes:
    rows = [list(HEADER)] + [list(r) for r in ROWS]
    for mutation in draw(st.lists(MUTATION, max_size=4)):
        kind = mutation[0]
        if kind == "cell":
            _, r, c, value = mutation
            if c < len(rows[r]):
                rows[r][c] = value
        elif kind == "drop":
            _, r, c = mutation
            if c < len(rows[r]):
                del rows[r][c]
        elif kind == "repeat":
            rows.append(list(rows[mutation[1]]))
        else:
            rows[mutation[1]].append(mutation[2])
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    cells = [[f'"{v}"' if quote else v for v in row] for row in rows]
    text = newline.join(delimiter.join(row) for row in cells) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    cut = draw(st.none() | st.integers(0, len(data)))
    return data if cut is None else data[:cut]


@FUZZ
@given(near_valid_csv())
def test_mutated_returns_are_rejected_or_accepted_within_the_contract(data):
    assert_result(validate_bytes(data))


@FUZZ
@given(st.text(max_size=300))
def test_safe_name_never_leaves_its_folder(name):
    safe = safe_name(name)
    assert safe and len(safe) <= 120
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert ".." not in safe and not safe.startswith(".")
    base = Path("/srv/obs/quarantine")
    assert (base / safe).resolve().parent == base


def test_safe_name_on_names_that_cannot_exist_on_disk():
    assert safe_name("../../etc/passwd.csv") == "passwd.csv"
    assert safe_name("..\\..\\windows\\system32\\x.csv") == "x.csv"
    assert safe_name("a\x00b.csv") == "ab.csv"
    assert safe_name("/") == "file"
    assert safe_name("..") == "file"
    assert len(safe_name("x" * 5000 + ".csv")) == 120
    assert safe_name("x" * 5000 + ".csv").endswith(".csv")
