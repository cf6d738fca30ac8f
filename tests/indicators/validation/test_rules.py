"""Rejection messages of the rules (indicators/validation/rules.py) as a partner reads them:
the real cause and what to do, in Portuguese and English, naming row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.validation import Problem, format_report_text, validate_file
from tests.indicators.validation.helpers import TODAY, VICTIMS, csv_bytes, fixture_rows, write


def problems_of(tmp_path: Path, rows: list[list[str]], name: str = VICTIMS) -> list[Problem]:
    return validate_file(write(tmp_path, name, csv_bytes(rows)), today=TODAY).problems


def victims_with(row: int, column: str, value: str) -> list[list[str]]:
    """The victims fixture with one cell changed (header = row 1)."""
    rows = fixture_rows(VICTIMS)
    rows[row - 1][rows[0].index(column)] = value
    return rows


# --- duplicate_key: the whole key, never cut short -------------------------------------

def test_a_duplicate_key_is_shown_whole_in_both_languages_and_the_report(tmp_path):
    rows = fixture_rows(VICTIMS)
    rows.append(list(rows[1]))  # row 5 repeats row 2
    rows[-1][-1] = "5"
    found = problems_of(tmp_path, rows)
    assert [(p.rule, p.row) for p in found] == [("duplicate_key", 5)]
    problem = found[0]
    key = ("period=2024-03, district=PT-11, sex=F, age_group=25-34, citizenship=BR, "
           "exploitation=sexual_prostitution, status=presumed, signalled_by=ngo")
    assert problem.value == key
    assert problem.to_dict()["value"] == key
    for message in (problem.message_pt, problem.message_en):
        assert key in message and "…" not in message
    assert "linha 5" in problem.message_pt and "linha 2" in problem.message_pt
    assert "row 5" in problem.message_en and "row 2" in problem.message_en
    assert "junte as duas linhas" in problem.message_pt
    assert "merge the two rows" in problem.message_en
    report = format_report_text(VICTIMS, "0" * 64, "rejected", found)
    assert report.count(key) == 2 and "…" not in report


# --- bad_count: a thousands separator is not a decimal ---------------------------------

@pytest.mark.parametrize(("value", "digits"), [
    ("1.000", "1000"), ("12.000", "12000"), ("1.234.567", "1234567"), ("12 000", "12000")])
def test_a_count_with_a_thousands_separator_says_to_write_it_without(tmp_path, value, digits):
    found = problems_of(tmp_path, victims_with(3, "count", value))
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("bad_count", 3, "count", value)]
    assert f"não use separador de milhares: escreva {digits}" in found[0].message_pt
    assert f"do not use a thousands separator: write {digits}" in found[0].message_en
    assert "tem casas decimais" not in found[0].message_pt
    assert "it has decimals" not in found[0].message_en


@pytest.mark.parametrize("value", ["3,5", "3.0", "1,000", "1.00", "12.0000"])
def test_a_count_with_real_decimals_still_says_decimals(tmp_path, value):
    found = problems_of(tmp_path, victims_with(3, "count", value))
    assert [(p.rule, p.row, p.column) for p in found] == [("bad_count", 3, "count")]
    assert "tem casas decimais" in found[0].message_pt
    assert "it has decimals" in found[0].message_en
    assert "milhares" not in found[0].message_pt


# --- bad_period: a period written as a date is a period, not personal data --------------

@pytest.mark.parametrize(("value", "example", "date"), [
    ("01/10/2026", "2026-10", True), ("1.10.2026", "2026-10", True),
    ("2026-10-15", "2026-10", True), ("15/10/2026 00:00:00", "2026-10", True),
    ("10/2026", "2026-10", False), ("2026/10", "2026-10", False),
    ("2024-3", "2024-03", False)])
def test_a_period_written_as_a_date_asks_for_yyyy_mm(tmp_path, value, example, date):
    found = problems_of(tmp_path, victims_with(3, "period", value))
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("bad_period", 3, "period", value)]
    problem = found[0]
    assert f"period deve ser AAAA-MM, por exemplo {example}" in problem.message_pt
    assert f"period must be YYYY-MM, e.g. {example}" in problem.message_en
    assert ("é uma data" in problem.message_pt) is date
    assert ("is a date" in problem.message_en) is date
    for message in (problem.message_pt, problem.message_en):
        assert "pessoais" not in message and "personal" not in message


def test_a_period_header_written_in_portuguese_is_named_as_written(tmp_path):
    rows = victims_with(2, "period", "01/03/2024")
    rows[0][rows[0].index("period")] = "Período"
    found = problems_of(tmp_path, rows)
    assert [(p.rule, p.row, p.column) for p in found] == [("bad_period", 2, "Período")]
    assert "Período deve ser AAAA-MM, por exemplo 2024-03" in found[0].message_pt
    assert "Período must be YYYY-MM, e.g. 2024-03" in found[0].message_en


@pytest.mark.parametrize("value", ["março 2024", "ago/22"])
def test_a_period_that_is_no_date_gives_the_latest_ended_month_as_example(tmp_path, value):
    """A user review: the example was the current month, which is itself refused (rule
    period_not_ended); it is the latest month that has ended (TODAY is in June 2024)."""
    found = problems_of(tmp_path, victims_with(2, "period", value))
    assert [(p.rule, p.row) for p in found] == [("bad_period", 2)]
    assert "period deve ser AAAA-MM, por exemplo 2024-05" in found[0].message_pt
    assert "period must be YYYY-MM, e.g. 2024-05" in found[0].message_en
    assert "is not in that form" in found[0].message_en


def test_in_january_the_example_is_last_december(tmp_path):
    from datetime import date

    path = write(tmp_path, VICTIMS, csv_bytes(victims_with(2, "period", "ago/22")))
    (found,) = validate_file(path, today=date(2025, 1, 1)).problems
    assert "por exemplo 2024-12" in found.message_pt and "e.g. 2024-12" in found.message_en


def test_a_date_in_another_column_is_still_personal_data(tmp_path):
    rows = fixture_rows(VICTIMS)
    for row, extra in zip(rows, ["notas", "01/10/2026", "", ""], strict=True):
        row.append(extra)
    found = problems_of(tmp_path, rows)
    assert ("personal_data", 2, "notas") in [(p.rule, p.row, p.column) for p in found]
    found = problems_of(tmp_path, victims_with(2, "district", "01/10/2026"))
    assert [(p.rule, p.row, p.column) for p in found] == [("personal_data", 2, "district")]


def test_a_date_before_the_contract_years_in_the_period_column_is_still_personal_data(
        tmp_path):
    found = problems_of(tmp_path, victims_with(2, "period", "12/03/1985"))
    assert [(p.rule, p.row, p.column) for p in found] == [("personal_data", 2, "period")]
    assert "1985" not in found[0].message_en


# --- misnamed_column: a header that means a missing column says to rename it ------------

def renamed(old: str, new: str) -> list[list[str]]:
    rows = fixture_rows(VICTIMS)
    rows[0][rows[0].index(old)] = new
    return rows


@pytest.mark.parametrize(("header", "column"), [
    ("genero", "sex"), ("Género", "sex"), ("gender", "sex"), ("distritos", "district"),
    ("Districts", "district"), ("mes_ano", "period"), ("Periodos", "period"),
    ("contagens", "count"), ("exploitaton", "exploitation")])
def test_a_misnamed_column_is_one_problem_saying_what_to_rename_it(tmp_path, header, column):
    found = problems_of(tmp_path, renamed(column, header))
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("misnamed_column", 1, header, header)]
    problem = found[0]
    assert f"a coluna «{header}» parece ser «{column}»" in problem.message_pt
    assert f"mude o nome do cabeçalho para {column}." in problem.message_pt
    assert f'column "{header}" looks like "{column}"' in problem.message_en
    assert f"rename the header to {column}." in problem.message_en
    for message in (problem.message_pt, problem.message_en):
        assert "Remova" not in message and "Remove it" not in message
        assert "falta" not in message and "missing" not in message


def test_a_misnamed_column_in_a_portuguese_file_is_named_as_the_template_names_it(tmp_path):
    """Every column is named the contract's (the template's) way, whatever the language of
    the file's headers, so that one report never names a column two ways."""
    rows = fixture_rows(VICTIMS)
    contract_pt = {"partner": "parceiro", "period": "periodo", "district": "distrito",
                   "sex": "genero", "age_group": "grupo_etario", "citizenship": "nacionalidade",
                   "exploitation": "exploracao", "status": "estado",
                   "signalled_by": "sinalizado_por", "count": "contagem"}
    rows[0] = [contract_pt[h] for h in rows[0]]
    found = problems_of(tmp_path, rows)
    assert [(p.rule, p.column) for p in found] == [("misnamed_column", "genero")]
    assert "mude o nome do cabeçalho para sex." in found[0].message_pt


@pytest.mark.parametrize("header", ["Distrito", " DISTRITO ", "Mês", "mes", "Sexo", "Período"])
def test_accepted_spellings_of_a_column_need_no_renaming(tmp_path, header):
    column = {"distrito": "district", "mes": "period", "sexo": "sex", "periodo": "period"}[
        header.strip().lower().replace("ê", "e").replace("í", "i")]
    assert problems_of(tmp_path, renamed(column, header)) == []


def test_without_a_likely_match_the_plain_unknown_and_missing_messages_stay(tmp_path):
    found = problems_of(tmp_path, renamed("sex", "observacoes"))
    assert [(p.rule, p.column or p.value) for p in found] == [
        ("unknown_column", "observacoes"), ("missing_column", "sex")]
    assert "Remova-a" in found[0].message_pt and "Remove it" in found[0].message_en


def test_a_synonym_of_a_column_already_there_is_an_unknown_column(tmp_path):
    rows = fixture_rows(VICTIMS)
    for row in rows:
        row.append(row[rows[0].index("sex")])
    rows[0][-1] = "genero"
    found = problems_of(tmp_path, rows)
    assert [(p.rule, p.column) for p in found] == [("unknown_column", "genero")]


# --- unknown_code: a district written by its name says which code to use ----------------

@pytest.mark.parametrize(("value", "code", "name_pt", "name_en"), [
    ("Lisboa", "PT-11", "Lisboa", "Lisboa"), ("LISBOA", "PT-11", "Lisboa", "Lisboa"),
    ("evora", "PT-07", "Évora", "Évora"), ("Setubal", "PT-15", "Setúbal", "Setúbal"),
    ("Açores", "PT-20", "Região Autónoma dos Açores", "Autonomous Region of the Azores"),
    ("autonomous region of madeira", "PT-30", "Região Autónoma da Madeira",
     "Autonomous Region of Madeira")])
def test_a_district_written_by_its_name_says_which_code_to_use(tmp_path, value, code,
                                                               name_pt, name_en):
    """A user review: "Lisboa" got only a list of codes ("permitidos: PT-01, PT-02, …")."""
    found = problems_of(tmp_path, victims_with(2, "district", value))
    assert [(p.rule, p.row, p.column, p.value) for p in found] == [
        ("unknown_code", 2, "district", value)]
    assert f"use {code} para {name_pt}" in found[0].message_pt
    assert f"use {code} for {name_en}" in found[0].message_en


def test_the_allowed_districts_are_listed_with_their_names(tmp_path):
    (problem,) = problems_of(tmp_path, victims_with(2, "district", "Lisbon district"))
    assert "use PT-" not in problem.message_pt + problem.message_en  # no name matched
    for message in (problem.message_pt, problem.message_en):
        assert "PT-01 = Aveiro" in message and "PT-11 = Lisboa" in message
    assert "PT-20 = Região Autónoma dos Açores" in problem.message_pt
    assert "PT-20 = Autonomous Region of the Azores" in problem.message_en
    assert "UNKNOWN = Desconhecido" in problem.message_pt
    assert "UNKNOWN = Unknown" in problem.message_en
    assert "…" not in problem.message_en  # every district, none cut off
