"""The published contract document is generated from the contract and never drifts."""

from __future__ import annotations

from indicators.contract.document import DOCUMENT_PATH, render_contract_markdown
from observatory.cli import main


def test_committed_document_equals_the_generated_text() -> None:
    committed = DOCUMENT_PATH.read_text(encoding="utf-8")
    assert committed == render_contract_markdown(), (
        "docs/contract.md is out of date with indicators/contract/v1.toml or the reference "
        "lists; regenerate it with: .venv/bin/observatory contract --out docs/contract.md"
    )


def test_document_names_every_return_column_and_code_in_both_languages() -> None:
    text = render_contract_markdown()
    for heading in ("`victims`", "`support`", "`activities`"):
        assert f"`{heading.strip('`')}` — " in text
    victims_columns = ["partner", "period", "district", "sex", "age_group", "citizenship",
                       "exploitation", "status", "signalled_by", "count"]
    for column in victims_columns:
        assert f"| `{column}` |" in text
    # A sample of codes with their labels, in Portuguese and English.
    assert "| `labour` | Exploração laboral | Labour exploitation |" in text
    assert "| `voluntary_return` | Retorno voluntário | Voluntary return |" in text
    assert "| `PT-04` | Bragança | Bragança |" in text
    assert "| `PT-20` | Região Autónoma dos Açores | Autonomous Region of the Azores |" in text
    assert "| `ABROAD` |" in text and "| `STATELESS` |" in text
    assert "| `BR` | Brasil | Brazil |" in text
    assert "| `NADHEIM` |" in text
    assert "Só em / only in `activities`: `NA`." in text


def test_document_states_the_rules_partners_must_follow() -> None:
    text = render_contract_markdown()
    assert "Nenhuma linha descreve uma pessoa." in text
    assert "No row describes a person." in text
    assert "Windows-1252" in text and "ponto e vírgula" in text and "semicolon" in text
    assert "XLSX" in text
    assert "20 MB" in text and "200 MB" in text
    assert "0 to 100000" in text and "2021-01" in text
    assert "e-mail" in text and "NIF" in text


def test_cli_writes_the_document(tmp_path, capsys) -> None:
    out = tmp_path / "contract.md"
    assert main(["contract", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_contract_markdown()
    assert main(["contract"]) == 0
    assert capsys.readouterr().out.endswith(render_contract_markdown())


def test_document_lists_the_contract_s_accepted_file_types() -> None:
    text = render_contract_markdown()
    assert "- Tipos de ficheiro aceites: `.csv`, `.xlsx`; qualquer outro é recusado." in text
    assert "- File types accepted: `.csv`, `.xlsx`; any other is refused." in text
    assert "`.txt`" not in text


def test_the_contract_gives_the_dashboards_upload_limit_too():
    """A partner read "20 MB per file" in the contract and met a 700 KB limit on the
    dashboard's upload page: the contract now says both, and what to do."""
    from indicators.contract.document import render_contract_markdown
    from indicators.submissions import UPLOAD_MAX_BYTES

    text = render_contract_markdown()
    kb = UPLOAD_MAX_BYTES // 1024
    assert f"«Enviar» do painel, {kb} KB por ficheiro" in text
    assert f"\"Submit\" page, {kb} KB per file" in text
