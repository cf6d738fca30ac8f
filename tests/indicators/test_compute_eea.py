"""EEA Grants indicators computed from hand-made support and activities returns."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from indicators.compute import compute_all
from indicators.eea_results import ON_TRACK, results_table
from indicators.registry import load_registry
from indicators.warehouse import ensure_schema
from tests.indicators.test_compute import add_submission, expectations, months, value


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """2021 (12 months), partner APF, support and activities returns.

    Support, March 2021: new cases 6 F 25-34 shelter, 4 M 12-17 voluntary_return,
    3 F 18-24 asylum; ongoing 9 F 25-34 psychological (not a new case).
    Support, July 2021: new cases 5 F 0-11 regularisation.
    Activities, May 2021: 2 training sessions (health), 25 professionals trained (health, F),
    15 professionals trained (police, M), 1 guideline developed, 1 guideline tested,
    3 awareness sessions (education), 120 persons reached (general public, F), 80 (M),
    7 victims interviewed (F). Other months: empty returns.
    """
    con = duckdb.connect(str(tmp_path_factory.mktemp("eea") / "w.duckdb"))
    ensure_schema(con)
    support = {"2021-03": [("PT-11", "F", "25-34", "shelter", "new", 6),
                           ("PT-11", "M", "12-17", "voluntary_return", "new", 4),
                           ("PT-13", "F", "18-24", "asylum", "new", 3),
                           ("PT-13", "F", "25-34", "psychological", "ongoing", 9)],
               "2021-07": [("PT-08", "F", "0-11", "regularisation", "new", 5)]}
    activities = {"2021-05": [("PT-11", "training_session", "health", "NA", 2),
                              ("PT-11", "professional_trained", "health", "F", 25),
                              ("PT-11", "professional_trained", "police", "M", 15),
                              ("PT-11", "guideline_developed", "other", "NA", 1),
                              ("PT-11", "guideline_tested", "other", "NA", 1),
                              ("PT-13", "awareness_session", "education", "NA", 3),
                              ("PT-13", "person_reached", "general_public", "F", 120),
                              ("PT-13", "person_reached", "general_public", "M", 80),
                              ("PT-13", "victim_interview", "other", "F", 7)]}
    for month in months("2021-01", "2021-12"):
        add_submission(con, "APF", "support", month, support.get(month, []))
        add_submission(con, "APF", "activities", month, activities.get(month, []))
    compute_all(con, load_registry(), expectations(("APF", "support"), ("APF", "activities"),
                                                   first="2021-01"))
    out = con.sql("SELECT * FROM marts.indicator_values").pl()
    con.close()
    return out


def test_victims_supported_new_cases(values: pl.DataFrame) -> None:
    v = "EEA_VICTIMS_SUPPORTED"
    assert value(values, v, "year", "2021") == (18, "")             # 6 + 4 + 3 + 5
    assert value(values, v, "month", "2021-03") == (13, "")         # ongoing excluded
    assert value(values, v, "year", "2021", breakdown="sex", code="F") == (14, "")
    assert value(values, v, "year", "2021", breakdown="age_group", code="Y_LT18") == (9, "")
    assert value(values, v, "year", "2021", breakdown="support", code="shelter") == (6, "")
    assert value(values, v, "year", "2021", breakdown="support", code="MIGRATION") == (12, "")


def test_migrants_assisted(values: pl.DataFrame) -> None:
    v = "EEA_MIGRANTS_ASSISTED"
    assert value(values, v, "year", "2021") == (12, "")             # 4 + 3 + 5
    assert value(values, v, "year", "2021", breakdown="sex", code="M") == (4, "")
    assert value(values, v, "ytd", "2021-01..2021-06") == (7, "")


def test_activities_outputs(values: pl.DataFrame) -> None:
    assert value(values, "EEA_TRAINING_SESSIONS", "year", "2021") == (2, "")
    assert value(values, "EEA_PROFESSIONALS_TRAINED", "year", "2021") == (40, "")
    assert value(values, "EEA_PROFESSIONALS_TRAINED", "year", "2021", breakdown="sex",
                 code="F") == (25, "")
    assert value(values, "EEA_PROFESSIONALS_TRAINED", "year", "2021", breakdown="audience",
                 code="police") == (15, "")
    assert value(values, "EEA_GUIDELINES_DEVELOPED", "year", "2021") == (1, "")
    assert value(values, "EEA_GUIDELINES_TESTED", "quarter", "2021-Q2") == (1, "")
    assert value(values, "EEA_AWARENESS_SESSIONS", "month", "2021-05") == (3, "")
    assert value(values, "EEA_PERSONS_REACHED", "year", "2021") == (200, "")
    assert value(values, "EEA_VICTIMS_INTERVIEWED", "year", "2021") == (7, "")


def test_results_from_computed_values(values: pl.DataFrame) -> None:
    out = results_table(values, load_registry(), date(2021, 12, 1))
    row = out.filter((pl.col("indicator") == "EEA_TRAINING_SESSIONS")
                     & (pl.col("breakdown") == "_T")).row(0, named=True)
    # 2 sessions of a target of 80 by 2024: 12 of 48 months -> E = 20; 2 < 18 -> at risk
    assert (row["achieved"], row["pct_of_target"], row["expected_to_date"],
            row["status"]) == (2, pytest.approx(2.5), pytest.approx(20.0), "at_risk")
    guides = out.filter((pl.col("indicator") == "EEA_GUIDELINES_DEVELOPED")
                        & (pl.col("breakdown") == "_T")).row(0, named=True)
    # 1 of 4: E = 1 -> on track
    assert (guides["achieved"], guides["status"]) == (1, ON_TRACK)
