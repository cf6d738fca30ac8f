"""A rejection lists the expected columns as the file names them: Portuguese headers get the
Portuguese column names (the contract's aliases), English headers the contract names."""

from __future__ import annotations

from pathlib import Path

from indicators.validation import validate_file
from tests.indicators.validation.helpers import TODAY, VICTIMS, csv_bytes, fixture_rows, write

PT_HEADERS = {"partner": "parceiro", "period": "periodo", "district": "distrito",
              "sex": "sexo", "age_group": "grupo_etario", "citizenship": "nacionalidade",
              "exploitation": "exploracao", "status": "estado",
              "signalled_by": "sinalizado_por", "count": "contagem"}


def _problem(tmp_path: Path, header: list[str], rows: list[list[str]], rule: str):
    path = write(tmp_path, "victims.csv", csv_bytes([header, *rows]))
    return next(p for p in validate_file(path, today=TODAY).problems if p.rule == rule)


def test_portuguese_file_is_told_the_portuguese_column_names(tmp_path):
    header, *rows = fixture_rows(VICTIMS)
    pt = [PT_HEADERS[h] for h in header]
    problem = _problem(tmp_path, [*pt, "nome"], [[*r, "x"] for r in rows], "unknown_column")
    expected = ", ".join(pt)
    assert f"Colunas esperadas: {expected}." in problem.message_pt
    assert f"Expected columns: {expected}." in problem.message_en
    missing = _problem(tmp_path, [h for h in pt if h != "nacionalidade"],
                       [[v for h, v in zip(pt, r, strict=True) if h != "nacionalidade"]
                        for r in rows], "missing_column")
    assert 'falta a coluna "nacionalidade"' in missing.message_pt
    assert f"colunas {expected}." in missing.message_pt


def test_english_file_is_told_the_contract_column_names(tmp_path):
    header, *rows = fixture_rows(VICTIMS)
    problem = _problem(tmp_path, [*header, "nome"], [[*r, "x"] for r in rows],
                       "unknown_column")
    assert f"Colunas esperadas: {', '.join(header)}." in problem.message_pt
