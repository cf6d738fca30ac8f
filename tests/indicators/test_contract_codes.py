"""Code lists that used to be typed in Python now come from the contract; they must agree
with the reference data and with the SQL that builds the marts."""

from __future__ import annotations

import re
from pathlib import Path

from indicators.contract import load_contract
from indicators.reference import countries, districts

SQL = Path(__file__).resolve().parents[2] / "sql" / "marts" / "victims.sql"


def test_geography_is_the_districts_then_abroad_and_unknown():
    contract = load_contract()
    assert contract.outside_districts == ("ABROAD", "UNKNOWN")
    assert contract.geo_codes == (*[d.code for d in districts()], "ABROAD", "UNKNOWN")


def test_citizenship_groups_cover_every_country_and_extra_code():
    contract = load_contract()
    assert contract.citizenship_groups == ("PT", "EU", "NON_EU", "UNKNOWN")
    spec = contract.columns["citizenship"]
    assert set(spec.extra_code_groups) == set(spec.extra_codes)
    used = {c.group for c in countries()} | set(spec.extra_code_groups.values())
    assert used <= set(contract.citizenship_groups)


def test_the_mart_sql_groups_extra_codes_as_the_contract_says():
    pairs = dict(re.findall(r"WHEN v\.citizenship = '(\w+)' THEN '(\w+)'",
                            SQL.read_text(encoding="utf-8")))
    assert pairs == load_contract().columns["citizenship"].extra_code_groups
