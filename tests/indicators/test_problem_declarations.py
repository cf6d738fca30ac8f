"""Protection problems declared as data (``indicators/registry/problems.toml``): the generic
builder turns a declaration into problems, the split into indicators comes from the
registry's filters, and the registry decides which breakdowns get a problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from indicators.problems import KEY, cube_problems, indicators_by_code, protect_all
from indicators.problems.building import declared_problems
from indicators.registry import Registry, RegistryError, load_registry
from indicators.registry.problem_declarations import load_declarations

REGISTRY = load_registry()
MONTHS_2021 = [f"2021-{m:02d}" for m in range(1, 13)]


def _with_breakdowns(registry: Registry, code: str, breakdowns: tuple[str, ...]) -> Registry:
    indicators = tuple(replace(i, breakdowns=breakdowns) if i.code == code else i
                       for i in registry.indicators)
    return replace(registry, indicators=indicators)


def test_the_split_into_indicators_comes_from_the_registry_filters():
    assert indicators_by_code(REGISTRY, "victims", "status") == {
        "presumed": "THB_PRESUMED", "confirmed": "THB_CONFIRMED",
        "not_confirmed": "THB_NOT_CONFIRMED"}
    # a group of the support hierarchy that is exactly the filter of migrants assisted
    assert indicators_by_code(REGISTRY, "support", "support") == {
        "MIGRATION": "EEA_MIGRANTS_ASSISTED"}
    # an indicator without a disclosure rule splits nothing (professionals trained)
    assert indicators_by_code(REGISTRY, "activities", "activity") == {
        "victim_interview": "EEA_VICTIMS_INTERVIEWED"}


def test_the_registry_breakdowns_decide_which_national_problems_exist():
    names = {d.name for d in load_declarations(REGISTRY).problems}
    assert {"victims_national_sex", "victims_national_exploitation",
            "victims_citizenship"} <= names
    # citizenship has its own declaration (countries under their group), not a national one
    assert "victims_national_citizenship" not in names
    fewer = _with_breakdowns(REGISTRY, "THB_SIGNALLED", ("_T", "sex"))
    names = {d.name for d in load_declarations(fewer).problems}
    assert "victims_national_sex" in names
    assert "victims_national_exploitation" not in names


def _victims_cube() -> pl.DataFrame:
    """Two persons a month in 2021, in Lisbon (presumed) and Porto (confirmed)."""
    rows = []
    for m in range(1, 13):
        for district, status, sex in (("PT-11", "presumed", "F"), ("PT-13", "confirmed", "M")):
            rows.append({"period": date(2021, m, 1), "district": district, "sex": sex,
                         "age_group": "25-34", "citizenship_group": "PT",
                         "exploitation": "labour", "status": status,
                         "signalled_by": "police", "citizenship": "PT", "count": 1})
    return pl.DataFrame(rows)


def test_an_unpublished_breakdown_builds_no_problem():
    cube = _victims_cube()
    names = {p.name for p in cube_problems("marts.victims_cube", cube, MONTHS_2021, REGISTRY)}
    assert "victims_citizenship_2021" in names
    no_countries = _with_breakdowns(REGISTRY, "THB_SIGNALLED",
                                    ("_T", "sex", "age_group", "citizenship_group"))
    names = {p.name for p in cube_problems("marts.victims_cube", cube, MONTHS_2021,
                                           no_countries)}
    assert "victims_citizenship_2021" not in names
    assert "victims_national_exploitation_2021" not in names
    assert {"victims_national_total_2021", "victims_district_2021",
            "victims_national_age_group_2021"} <= names


NEW_FAMILY = """
[[problem]]
name = "interviews_by_quarter_and_sex"
indicator = "EEA_VICTIMS_INTERVIEWED"
cube = "marts.activities_cube"
time = "quarter"
dimensions = ["sex"]
breakdown = "sex"
"""


def _interviews() -> pl.DataFrame:
    """Interviews of 2021: 6 women and 1 man each quarter (and trainings, not counted)."""
    rows = []
    for m in (1, 4, 7, 10):
        rows += [{"period": date(2021, m, 1), "district": "PT-11", "activity": "victim_interview",
                  "audience": "NA", "sex": sex, "count": n} for sex, n in (("F", 6), ("M", 1))]
        rows.append({"period": date(2021, m, 1), "district": "PT-11",
                     "activity": "training_session", "audience": "police", "sex": "F",
                     "count": 3})
    return pl.DataFrame(rows)


def test_a_new_declaration_is_all_a_new_problem_needs(tmp_path: Path):
    path = tmp_path / "problems.toml"
    path.write_text(NEW_FAMILY, encoding="utf-8")
    declarations = load_declarations(REGISTRY, path)
    (decl,) = declarations.problems
    (problem,) = declared_problems(decl, _interviews(), MONTHS_2021, REGISTRY, declarations)
    assert problem.name == "interviews_by_quarter_and_sex_2021"
    assert list(problem.hierarchies) == ["quarter", "sex"]
    assert problem.hierarchies["sex"].leaves() == ["F", "M", "X", "U", "NA"]
    # the indicator's filter keeps its rows only: no training session is counted
    assert problem.inner["count"].sum() == 4 * 7
    assert problem.policy.threshold == 5
    cells = protect_all([problem]).cells
    man_q2 = cells.filter((pl.col("period_label") == "2021-Q2")
                          & (pl.col("breakdown_code") == "M"))
    assert man_q2.select(*KEY, "count").row(0) == (
        "EEA_VICTIMS_INTERVIEWED", "quarter", "2021-Q2", "PT", "sex", "M", 1)
    assert man_q2["status"].item() != "published"
    year = cells.filter((pl.col("grain") == "year") & (pl.col("breakdown") == "_T"))
    assert year.select("period_label", "count", "status").row(0) == ("2021", 28, "published")


@pytest.mark.parametrize("change, error", [
    ('time = "quarter"', 'time = "week"'),
    ('dimensions = ["sex"]', 'dimensions = ["sex"]\norder = ["age_group"]'),
    ('breakdown = "sex"', 'breakdown = "sex"\nnever_published = "sometimes"'),
])
def test_a_wrong_declaration_is_refused(tmp_path: Path, change: str, error: str):
    path = tmp_path / "problems.toml"
    path.write_text(NEW_FAMILY.replace(change, error), encoding="utf-8")
    with pytest.raises(RegistryError, match="interviews_by_quarter_and_sex"):
        load_declarations(REGISTRY, path)


def test_an_unknown_indicator_is_refused(tmp_path: Path):
    path = tmp_path / "problems.toml"
    path.write_text(NEW_FAMILY.replace("EEA_VICTIMS_INTERVIEWED", "NO_SUCH"), encoding="utf-8")
    with pytest.raises(KeyError, match="NO_SUCH"):
        load_declarations(REGISTRY, path)


def test_headline_indicators_are_declared_and_checked(tmp_path: Path):
    from indicators.registry.problem_declarations import headline_monthly

    assert headline_monthly() == ("THB_SIGNALLED",)
    path = tmp_path / "problems.toml"
    path.write_text('headline_monthly = ["NO_SUCH"]\n' + NEW_FAMILY, encoding="utf-8")
    with pytest.raises(KeyError, match="NO_SUCH"):
        load_declarations(REGISTRY, path)
