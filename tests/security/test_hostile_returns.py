"""Every file of the hostile-return corpus (``tests/security/hostile_returns/``) through the
real ingest path (``indicators.ingest.ingest_file``: validation, quarantine or archive, load).

Per file: never an unhandled exception; rejected files name file (and row / column where
they apply) in Portuguese and English, leave the warehouse row counts as they were and are
kept byte-identical in quarantine beside their reports; accepted files add exactly the rows
written in the table below and are kept byte-identical in the archive. The expectations are
written by hand from the file contents (see the folder's README.md), not from the code.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from indicators.ingest import ingest_file
from tests.indicators.validation.helpers import TODAY, core_counts, query
from tests.orchestration.helpers import write_victims_csv

CORPUS = Path(__file__).resolve().parent / "hostile_returns"
NOT_DATA = {"README.md", "build_corpus.py"}

# name -> ("loaded", {core table: rows added}) or ("rejected", [(rule, row, column), ...]);
# row / column None = not checked (file-level problems carry neither).
V, S = "core.victims_cells", "core.support_cells"
EXPECTED: dict[str, tuple[str, object]] = {
    "enc_utf16le_bom.csv": ("rejected", [("undecodable", 1, None)]),
    "enc_utf16be_nobom.csv": ("rejected", [("undecodable", 1, None)]),
    "enc_latin1_labelled_utf8.csv": ("loaded", {V: 3}),
    "enc_utf8_header_latin1_row.csv": ("rejected", [("misnamed_column", 1, None),
                                                    ("bad_count", 5, "count")]),
    "enc_undefined_cp1252_byte.csv": ("rejected", [("undecodable", 5, None)]),
    "delim_tab.csv": ("loaded", {V: 3}),
    "delim_semicolon.csv": ("loaded", {V: 3}),
    "delim_pipe.csv": ("rejected", [("unknown_column", 1, None),
                                    ("unknown_return_type", 1, None)]),
    "delim_mixed.csv": ("rejected", [("partner_not_registered", 2, "partner"),
                                     ("empty_cell", 2, "period")]),
    "delim_sep_hint.csv": ("loaded", {V: 3}),
    "bom_utf8.csv": ("loaded", {V: 3}),
    "bom_utf8_twice.csv": ("loaded", {V: 3}),
    "trunc_mid_row.csv": ("rejected", [("empty_cell", 4, "status"),
                                       ("empty_cell", 4, "count")]),
    "trunc_mid_quote.csv": ("rejected", [("unknown_code", 4, "district"),
                                         ("empty_cell", 4, "count")]),
    "empty.csv": ("rejected", [("empty_file", None, None)]),
    "blank_lines_only.csv": ("rejected", [("empty_file", None, None)]),
    "header_only.csv": ("rejected", [("no_rows", None, None)]),
    "num_1e30.csv": ("rejected", [("bad_count", 2, "count")]),
    "num_20_digits.csv": ("rejected", [("bad_count", 2, "count")]),
    "num_over_max.csv": ("rejected", [("bad_count", 3, "count")]),
    "num_negative.csv": ("rejected", [("bad_count", 2, "count")]),
    "num_decimal.csv": ("rejected", [("bad_count", 2, "count")]),
    "num_decimal_zero.csv": ("rejected", [("bad_count", 4, "count")]),
    "num_max_allowed.csv": ("loaded", {V: 3}),
    "formula_hyperlink.csv": ("rejected", [("formula", 2, "district")]),
    "formula_plus_cmd.csv": ("rejected", [("unknown_code", 2, "sex")]),
    "formula_at_sum.csv": ("rejected", [("unknown_code", 3, "age_group")]),
    "formula_minus.csv": ("rejected", [("bad_count", 2, "count")]),
    "html_script_cell.csv": ("rejected", [("unknown_code", 2, "citizenship")]),
    "html_script_header.csv": ("rejected", [("unknown_column", 1, None),
                                            ("missing_column", 1, None)]),
    "pii_name_column.csv": ("rejected", [("unknown_column", 1, "nome")]),
    "pii_email.csv": ("rejected", [("personal_data", 3, "district")]),
    "pii_nif.csv": ("rejected", [("personal_data", 2, "citizenship")]),
    "pii_phone.csv": ("rejected", [("personal_data", 4, "signalled_by")]),
    "pii_birth_date.csv": ("rejected", [("unknown_column", 1, "data_nascimento"),
                                        ("personal_data", 2, "data_nascimento"),
                                        ("personal_data", 3, "data_nascimento"),
                                        ("personal_data", 4, "data_nascimento")]),
    "mixed_partners.csv": ("rejected", [("mixed_partners", None, None)]),
    "unknown_partner.csv": ("rejected", [("partner_not_registered", 2, "partner")]),
    "duplicated_key.csv": ("rejected", [("duplicate_key", 5, None)]),
    "duplicated_column.csv": ("rejected", [("duplicate_column", 1, "count")]),
    "zip_named.csv": ("rejected", [("not_a_csv", None, None)]),
    "binary_noise.csv": ("rejected", [("not_a_csv", None, None)]),
    "victims.exe": ("rejected", [("unsupported_file_type", None, None)]),
    "no_extension": ("rejected", [("unsupported_file_type", None, None)]),
    "xlsx_several_sheets.xlsx": ("loaded", {V: 3, S: 2}),
    "xlsx_hidden_valid_sheet.xlsx": ("loaded", {V: 3, S: 2}),
    "xlsx_hidden_data_sheet.xlsx": ("rejected", [("unknown_sheet", None, None),
                                                 ("personal_data", 2, None)]),
    "xlsx_formula_count.xlsx": ("rejected", [("formula", 4, None)]),
    "xlsx_same_type_twice.xlsx": ("rejected", [("duplicate_return_type", None, None)]),
    "csv_as_xlsx.xlsx": ("rejected", [("not_a_workbook", None, None)]),
    "truncated_workbook.xlsx": ("rejected", [("not_a_workbook", None, None)]),
}
# Raw personal data written in the corpus: it must never appear unmasked in any report.
PERSONAL_VALUES = ("maria.silva@example.pt", "123456789", "912 345 678", "17/05/1990",
                   "1985-11-02", "maria@example.pt")


def test_every_corpus_file_has_an_expectation_and_a_readme_line():
    files = {p.name for p in CORPUS.iterdir() if p.is_file()} - NOT_DATA
    assert files == set(EXPECTED)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert [name for name in sorted(files) if f"`{name}`" not in readme] == []


@pytest.fixture
def loaded_settings(settings):
    """A warehouse that already holds another partner's return, so "unchanged" means
    something."""
    first = ingest_file(write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03",
                                          [5, 6]), settings, today=TODAY)
    assert first.status == "loaded"
    return settings


def ingest_log(settings) -> list[tuple]:
    return query(settings.warehouse_path, "SELECT file_name, status FROM core.ingest_log "
                                          "ORDER BY ingest_id")


def check_rejected(outcome, name: str, data: bytes, expected: list, settings) -> None:
    assert outcome.status == "rejected", [p.message_en for p in outcome.problems]
    rules = [(p.rule, p.row, p.column) for p in outcome.problems]
    for rule, row, column in expected:
        assert any(r == rule and (row is None or w == row) and (column is None or c == column)
                   for r, w, c in rules), f"{rule} row {row} column {column} not in {rules}"
    for problem in outcome.problems:
        assert problem.message_en.startswith(f"{name}") and problem.message_pt.startswith(name)
        assert problem.message_en != problem.message_pt
        if problem.row is not None:
            assert f"row {problem.row}" in problem.message_en
            assert f"linha {problem.row}" in problem.message_pt
        if problem.column is not None:
            assert f'column "{problem.column}"' in problem.message_en
            assert f'coluna "{problem.column}"' in problem.message_pt
    stored = outcome.stored_path
    assert stored.parent == settings.quarantine_dir and stored.read_bytes() == data
    report_txt = stored.with_name(stored.name + ".report.txt").read_text(encoding="utf-8")
    report_json = stored.with_name(stored.name + ".report.json").read_text(encoding="utf-8")
    assert "PORTUGUÊS" in report_txt and "ENGLISH" in report_txt
    assert json.loads(report_json)["file"] == name
    for value in PERSONAL_VALUES:
        assert value not in report_txt and value not in report_json


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_rejected_clearly_or_loaded_whole(loaded_settings, name):
    settings = loaded_settings
    data = (CORPUS / name).read_bytes()
    inbox_copy = settings.inbox_dir / name
    shutil.copyfile(CORPUS / name, inbox_copy)
    before, log_before = core_counts(settings.warehouse_path), ingest_log(settings)

    outcome = ingest_file(inbox_copy, settings, today=TODAY)  # must not raise

    kind, expected = EXPECTED[name]
    after = core_counts(settings.warehouse_path)
    assert not inbox_copy.exists()
    assert ingest_log(settings) == [*log_before, (name, outcome.status)]
    if kind == "rejected":
        check_rejected(outcome, name, data, expected, settings)
        assert after == before
    else:
        assert outcome.status == "loaded", [p.message_en for p in outcome.problems]
        assert outcome.n_rows == sum(expected.values())
        added = {t: after[t] - before[t] for t in after if after[t] != before[t]}
        periods = len(expected)  # one month (2024-03) per return type
        assert added == {**expected, "core.submissions": periods}
        assert outcome.stored_path.is_relative_to(settings.archive_dir)
        assert outcome.stored_path.read_bytes() == data


# --------------------------------------------------------------------------- zip bombs

def _bomb(workbook: Path, target: Path, mebibytes: int, lie: bool) -> Path:
    """A real workbook with an extra member of ``mebibytes`` MiB of zeros (about 200 KB
    compressed). ``lie``: the zip headers then declare 1,000 bytes for that member."""
    shutil.copyfile(workbook, target)
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive, \
            archive.open("xl/media/image1.bin", "w", force_zip64=False) as member:
        block = b"\0" * (1 << 20)
        for _ in range(mebibytes):
            member.write(block)
    if lie:
        data = bytearray(target.read_bytes())
        real = (mebibytes << 20).to_bytes(4, "little")
        fake = (1000).to_bytes(4, "little")
        central = data.rindex(b"PK\x01\x02")  # the last entry is the bomb
        assert data[central + 24:central + 28] == real
        data[central + 24:central + 28] = fake
        local = int.from_bytes(data[central + 42:central + 46], "little")
        if data[local + 22:local + 26] == real:
            data[local + 22:local + 26] = fake
        target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("lie", [False, True], ids=["honest-headers", "lying-headers"])
def test_zip_bomb_disguised_as_a_workbook_is_quarantined(loaded_settings, lie):
    settings = loaded_settings
    path = _bomb(CORPUS / "xlsx_several_sheets.xlsx", settings.inbox_dir / "victims.xlsx",
                 192, lie)  # 192 MiB > the contract's 200,000,000 bytes
    data = path.read_bytes()
    assert len(data) < 2_000_000
    before = core_counts(settings.warehouse_path)
    outcome = ingest_file(path, settings, today=TODAY)
    assert outcome.status == "rejected"
    assert {p.rule for p in outcome.problems} <= {"workbook_too_large", "not_a_workbook"}
    assert outcome.problems and all(p.message_pt.startswith("victims.xlsx")
                                    for p in outcome.problems)
    assert core_counts(settings.warehouse_path) == before
    assert outcome.stored_path.read_bytes() == data


# --------------------------------------------------------------------------- file names

VALID = (CORPUS / "bom_utf8.csv").read_bytes()
INVALID = (CORPUS / "num_negative.csv").read_bytes()
HOSTILE_NAMES = [
    "..victims_APF_2024-03.csv",
    "..\\..\\etc\\passwd.csv",
    "a..b..\\..csv",
    "%2e%2e%2fetc%2fpasswd.csv",
    "vic\u2400tims%00.csv",
    "v" * 240 + ".csv",
    "vítimas_ÁPF_2024-03_日本語_\u202egpj.exe.csv",
    "ｖｉｃｔｉｍｓ\uff0f..\uff0fx.csv",
    "-rf --no-preserve-root.csv",
    " \t.csv",
    "CON.csv",
]


@pytest.mark.parametrize("valid", [True, False], ids=["accepted", "rejected"])
@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_partner_file_names_never_leave_their_folder(settings, name, valid):
    data = VALID if valid else INVALID
    path = settings.inbox_dir / name
    path.write_bytes(data)
    outcome = ingest_file(path, settings, today=TODAY)
    # a name starting with a dot is a hidden file: rejected with its reason (hidden_file),
    # so it goes to quarantine/ like an invalid file, under the same guarantees
    hidden = name.startswith(".")
    assert outcome.status == ("loaded" if valid and not hidden else "rejected")
    assert hidden == ("hidden_file" in {p.rule for p in outcome.problems})
    valid = valid and not hidden
    folder = settings.archive_dir if valid else settings.quarantine_dir
    stored = outcome.stored_path
    assert stored.resolve().is_relative_to(folder.resolve())
    expected_parent = folder / outcome.sha256[:2] if valid else folder
    assert stored.parent.resolve() == expected_parent.resolve()
    assert "/" not in stored.name and "\\" not in stored.name and ".." not in stored.name
    assert len(stored.name.encode()) <= 200
    assert stored.read_bytes() == data
    written = sorted(p for p in settings.data_dir.rglob("*") if p.is_file())
    assert all(p.resolve().is_relative_to(settings.data_dir.resolve()) for p in written)
    # the name as sent is kept for people (the dashboard escapes it), never as a path
    assert query(settings.warehouse_path, "SELECT file_name FROM core.ingest_log") == [(name,)]
