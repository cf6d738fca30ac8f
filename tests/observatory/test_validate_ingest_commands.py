"""`observatory validate` and `observatory ingest`: output and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date

import duckdb

from observatory.cli import main
from tests.indicators.validation.helpers import (
    FIXTURES,
    SUPPORT,
    VICTIMS,
    core_counts,
    write,
)

BAD = (FIXTURES / VICTIMS).read_bytes().replace(b"PT-13,M", b"PT-13,Q")  # row 3, sex "Q"


def test_validate_valid_file_prints_a_summary_and_exits_0(capsys):
    assert main(["validate", str(FIXTURES / VICTIMS), "--today", "2024-06-15"]) == 0
    out = capsys.readouterr().out
    assert VICTIMS in out and "APF" in out and "victims" in out
    assert "2024-03" in out and "3 linhas/3 rows" in out


def test_validate_invalid_file_lists_every_problem_in_both_languages(tmp_path, capsys):
    path = write(tmp_path, "bad.csv", BAD)
    assert main(["validate", str(path), "--today", "2024-06-15"]) == 1
    out = capsys.readouterr().out
    assert 'bad.csv, linha 3, coluna "sex": "Q" não é um código válido' in out
    assert 'bad.csv, row 3, column "sex": "Q" is not a valid code' in out
    assert path.read_bytes() == BAD  # untouched


def test_validate_json_output(tmp_path, capsys):
    path = write(tmp_path, "bad.csv", BAD)
    assert main(["validate", "--json", str(FIXTURES / VICTIMS), str(path),
                 "--today", "2024-06-15"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in report] == ["valid", "invalid"]
    assert report[0]["rows"] == {"victims": 3}
    assert [(p["rule"], p["row"], p["column"], p["value"]) for p in report[1]["problems"]] \
        == [("unknown_code", 3, "sex", "Q")]


def test_validate_missing_file_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2


def test_ingest_inbox_reports_each_file_and_exits_0_despite_rejections(settings, capsys):
    shutil.copy(FIXTURES / VICTIMS, settings.inbox_dir / VICTIMS)
    shutil.copy(FIXTURES / SUPPORT, settings.inbox_dir / SUPPORT)
    write(settings.inbox_dir, "bad.csv", BAD)
    assert main(["ingest", "--today", "2024-06-15"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert sum(line.startswith("carregado/loaded") for line in lines) == 2
    rejected = [line for line in lines if line.startswith("rejeitado/rejected")]
    assert len(rejected) == 1 and "bad.csv" in rejected[0] and "report.txt" in rejected[0]
    assert "loaded 2, rejeitados/rejected 1" in out
    assert str(settings.warehouse_path) in out
    victims_line = next(line for line in lines if line.strip().startswith("victims"))
    assert "3" in victims_line.split("cells")[1]  # 3 current victims cells
    assert core_counts(settings.warehouse_path)["core.support_cells"] == 2
    assert list(settings.inbox_dir.iterdir()) == []


def test_ingest_strict_exits_1_when_a_file_is_rejected(settings, capsys):
    write(settings.inbox_dir, "bad.csv", BAD)
    assert main(["ingest", "--strict", "--today", "2024-06-15"]) == 1


def test_ingest_twice_says_duplicate(settings, capsys):
    write(settings.inbox_dir, "a.csv", (FIXTURES / VICTIMS).read_bytes())
    main(["ingest", "--today", "2024-06-15"])
    write(settings.inbox_dir, "a.csv", (FIXTURES / VICTIMS).read_bytes())
    capsys.readouterr()
    assert main(["ingest", "--today", "2024-06-15"]) == 0
    assert "duplicado/duplicate" in capsys.readouterr().out


def test_ingest_exits_2_when_the_warehouse_is_locked(settings):
    write(settings.inbox_dir, "a.csv", (FIXTURES / VICTIMS).read_bytes())
    holder = duckdb.connect(str(settings.warehouse_path))  # another writer holds the lock
    try:
        result = subprocess.run(
            [sys.executable, "-m", "observatory.cli", "ingest", "--today", "2024-06-15"],
            env={**os.environ, "OBS_DATA_DIR": str(settings.data_dir)},
            capture_output=True, text=True, timeout=120)
    finally:
        holder.close()
    assert result.returncode == 2
    assert "operational error" in result.stderr
    assert (settings.inbox_dir / "a.csv").exists()


def test_ingest_of_a_path_outside_the_inbox_copies_and_says_so(settings, tmp_path, capsys):
    shared = tmp_path / "shared-drive"
    shared.mkdir()
    shutil.copy(FIXTURES / VICTIMS, shared / VICTIMS)
    assert main(["ingest", str(shared / VICTIMS), "--today", "2024-06-15"]) == 0
    out = capsys.readouterr().out
    assert "1 file outside the inbox: copied, the original was left where it was" in out
    assert "1 ficheiro fora da caixa de entrada: copiado, o original ficou onde estava" in out
    assert "(s)" not in out
    assert (shared / VICTIMS).read_bytes() == (FIXTURES / VICTIMS).read_bytes()


def test_validate_takes_a_folder_and_files_one_result_each_and_fails_if_any_fails(
        tmp_path, capsys):
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(FIXTURES / VICTIMS, folder / VICTIMS)
    write(folder, "bad.csv", BAD)
    write(folder, ".DS_Store", b"litter")  # OS litter: not a return, not checked
    shutil.copy(FIXTURES / SUPPORT, tmp_path / SUPPORT)
    assert main(["validate", str(folder), str(tmp_path / SUPPORT),
                 "--today", "2024-06-15"]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if not line.startswith("  ")]
    assert lines == [
        f"inválido/invalid  {folder / 'bad.csv'}: 1 problema/1 problem",
        lines[1], lines[2],
        "3 ficheiros: 2 válidos, 1 inválido / 3 files: 2 valid, 1 invalid"]
    assert lines[1].startswith(f"válido/valid  {folder / VICTIMS}: ")
    assert lines[1].endswith("3 linhas/3 rows")
    assert lines[2].startswith(f"válido/valid  {tmp_path / SUPPORT}: ")
    assert ".DS_Store" not in out


def test_validate_of_valid_files_in_a_folder_exits_0(tmp_path, capsys):
    shutil.copy(FIXTURES / VICTIMS, tmp_path / VICTIMS)
    shutil.copy(FIXTURES / SUPPORT, tmp_path / SUPPORT)
    assert main(["validate", str(tmp_path), "--today", "2024-06-15"]) == 0
    assert "2 ficheiros: 2 válidos, 0 inválidos" in capsys.readouterr().out


def test_validate_checks_the_other_files_when_one_path_is_missing(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["validate", str(tmp_path / "nope.csv"), str(FIXTURES / VICTIMS),
                 str(empty), "--today", "2024-06-15"]) == 2
    captured = capsys.readouterr()
    assert f"file not found: {tmp_path / 'nope.csv'}" in captured.err
    assert f"folder holds no file: {empty}" in captured.err
    assert f"válido/valid  {FIXTURES / VICTIMS}: " in captured.out


def test_validate_names_a_hidden_file_as_the_inbox_would_reject_it(tmp_path, capsys):
    shutil.copy(FIXTURES / VICTIMS, tmp_path / ".returns.csv")
    assert main(["validate", str(tmp_path / ".returns.csv"), "--today", "2024-06-15"]) == 1
    out = capsys.readouterr().out
    assert "[hidden_file] EN: .returns.csv: the name starts with a dot" in out
    assert "[hidden_file] PT: .returns.csv: o nome começa por um ponto" in out


def test_validate_refuses_a_txt_file_with_the_upload_s_rule_and_message(settings, capsys):
    # a valid CSV under a name the contract does not accept: validate, the inbox ingest and
    # the dashboard's upload all refuse it, with the one unsupported_file_type message
    from indicators import submissions

    path = write(settings.data_dir, "victims.txt", (FIXTURES / VICTIMS).read_bytes())
    assert main(["validate", str(path), "--today", "2024-06-15", "--json"]) == 1
    [result] = json.loads(capsys.readouterr().out)
    [problem] = result["problems"]
    assert (problem["rule"], problem["value"]) == ("unsupported_file_type", ".txt")
    upload = submissions.receive(path.read_bytes(), "victims.txt", user="pia", partner="APF",
                                 settings=settings, today=date(2024, 6, 15))
    [refused] = upload.problems
    assert (refused.message_pt, refused.message_en) == (problem["message_pt"],
                                                        problem["message_en"])
    assert path.read_bytes() == (FIXTURES / VICTIMS).read_bytes()  # untouched


def test_the_accepted_file_types_are_the_contract_s_and_each_has_a_reader():
    from indicators.contract import load_contract
    from indicators.validation.readers import CSV_SUFFIXES, XLSX_SUFFIXES

    assert load_contract().file_types == (".csv", ".xlsx")
    assert set(load_contract().file_types) <= set(CSV_SUFFIXES + XLSX_SUFFIXES)
