"""The numerators of the published shares are kept published where a pattern exists: beside
1 .. k-1 persons of other or unknown sex the engine needs a third hidden cell in the national
sex split, and without the mark it picked the smaller of women and men (women in the sample:
the share of women and girls was suppressed in three of five years)."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from indicators.compute import compute_all, count_values
from indicators.flags import month_status
from indicators.problems import build_problems, build_published_values, protect_all
from indicators.registry import load_registry
from indicators.release_audit import audit_release
from tests.indicators.test_compute import add_submission, expectations, months, victim

REGISTRY = load_registry()
FEMALE = ((pl.col("indicator") == "THB_SIGNALLED") & (pl.col("grain") == "year")
          & (pl.col("period_label") == "2024") & (pl.col("geo") == "PT")
          & (pl.col("breakdown") == "sex") & (pl.col("breakdown_code") == "F"))


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory):
    """2024 in Porto: 6 women and 10 men presumed every month (72 and 120 in the year), 2
    persons of other sex in March and 1 of unknown sex in June: 195 persons."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("w") / "w.duckdb"))
    from indicators.warehouse import ensure_schema

    ensure_schema(con)
    for month in months("2024-01", "2024-12"):
        rows = [victim(district="PT-13", sex="F", count=6),
                victim(district="PT-13", sex="M", count=10)]
        if month == "2024-03":
            rows.append(victim(district="PT-13", sex="X", count=2))
        if month == "2024-06":
            rows.append(victim(district="PT-13", sex="U", count=1))
        add_submission(con, "OTSH", "victims", month, rows)
    compute_all(con, REGISTRY, expectations(("OTSH", "victims"), first="2024-01"))
    yield con, build_problems(con, REGISTRY)
    con.close()


def _values(con: duckdb.DuckDBPyConnection, cells: pl.DataFrame) -> pl.DataFrame:
    status = month_status(con.sql("SELECT * FROM marts.data_quality").pl())
    return build_published_values(cells, REGISTRY, count_values(con, REGISTRY), status,
                                  "r1", None)


def test_women_are_published_and_so_is_their_share(problems) -> None:
    con, built = problems
    cells = protect_all(built).cells
    values = _values(con, cells)
    national_sex = values.filter(
        (pl.col("indicator") == "THB_SIGNALLED") & (pl.col("grain") == "year")
        & (pl.col("geo") == "PT") & (pl.col("breakdown") == "sex"))
    by_code = dict(zip(national_sex["breakdown_code"], national_sex["value"], strict=True))
    assert by_code["F"] == 72.0
    # other and unknown sex (2 and 1) stay suppressed, and so does a third cell: men
    assert by_code["X"] is None and by_code["U"] is None and by_code["M"] is None
    share = values.filter((pl.col("indicator") == "THB_SHARE_FEMALE")
                          & (pl.col("period_label") == "2024") & (pl.col("geo") == "PT"))
    assert share["value"].to_list() == [pytest.approx(72 / 195 * 100)]
    assert audit_release(values, REGISTRY, cells).ok


def test_a_share_numerator_the_last_release_hid_stays_hidden(problems) -> None:
    # stable suppression wins over the mark (issue 19): a refresh on the same data does not
    # flip women to published and men to hidden
    _, built = problems
    first = protect_all(built).cells
    hid_women = first.with_columns(status=pl.when(FEMALE).then(pl.lit("secondary"))
                                   .otherwise(pl.col("status")))
    again = protect_all(built, previous=hid_women).cells
    assert again.filter(FEMALE)["status"].to_list() == ["secondary"]
