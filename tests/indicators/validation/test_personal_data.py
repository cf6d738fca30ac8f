"""The personal-data detectors: what they catch, and no contract code ever caught."""

from __future__ import annotations

import pytest

from indicators.contract import load_contract
from indicators.validation.personal_data import detect, mask, nif_is_valid


@pytest.mark.parametrize(("nif", "valid"), [
    ("123456789", True),    # 9*1+8*2+...+2*8 = 156; 156 mod 11 = 2; 11-2 = 9
    ("123456780", False),
    ("501964843", True),    # a public company NIF format: check digit 3
    ("501964840", False),
    ("412345678", False),   # first digit 4 is not issued
])
def test_nif_check_digit(nif, valid):
    assert nif_is_valid(nif) is valid


@pytest.mark.parametrize(("value", "kind"), [
    ("contacto: ana.s@mail.pt", "email"),
    ("961234567", "phone"),
    ("00351 912 345 678", "phone"),
    ("+33 1 23 45 67 89", "phone"),
    ("501964843", "nif"),
    ("21234567890", "niss"),
    ("123456789ZZ1", "cc"),
    ("nascida a 3/7/1990", "date"),
    ("1990/07/03", "date"),
])
def test_detects(value, kind):
    found = detect(value)
    assert found is not None and found[0] == kind


def test_no_contract_code_count_or_period_looks_like_personal_data():
    contract = load_contract()
    for name, spec in contract.returns.items():
        for column in spec.columns:
            for code in contract.allowed_codes(column, name) or ():
                assert detect(code, column=column) is None, (column, code)
    for count in (0, 7, 99, 1234, 65432, 100000):
        assert detect(str(count), column="count") is None
    for period in ("2021-01", "2024-12", "2024-03-01", "2024-03-01 00:00:00"):
        assert detect(period, column="period") is None


def test_a_first_of_month_date_outside_the_period_column_is_still_a_date():
    assert detect("2024-03-01", column="district")[0] == "date"


def test_mask_keeps_the_first_character_and_the_shape_only():
    assert mask("ana@mail.pt") == "a**@****.**"
    assert mask("912 345 678") == "9** *** ***"


@pytest.mark.parametrize("value", ["01/10/2026", "2026-10-15", "1.10.2026", "2021/01/31"])
def test_a_date_of_the_contract_years_in_the_period_column_is_a_month_not_personal_data(
        value):
    assert detect(value, column="period", first_year=2021) is None
    assert detect(value, column="district", first_year=2021)[0] == "date"
    assert detect(value)[0] == "date"


def test_an_older_date_in_the_period_column_is_still_a_date():
    assert detect("12/03/1985", column="period", first_year=2021)[0] == "date"
    assert detect("nascida a 3/7/2022", column="period", first_year=2021)[0] == "date"
