"""Loading: versioned, idempotent, all or nothing, and nothing ever lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil

import pytest

import indicators.ingest as ingest
from indicators.ingest import ingest_file, ingest_paths, safe_name
from tests.indicators.validation.helpers import (
    FIXTURES,
    SUPPORT,
    TODAY,
    VICTIMS,
    core_counts,
    csv_bytes,
    fixture_rows,
    query,
    write,
)


def victims_csv(counts: list[int], period: str = "2024-03") -> bytes:
    rows = fixture_rows(VICTIMS)
    for row, count in zip(rows[1:], counts, strict=True):
        row[1], row[-1] = period, str(count)
    return csv_bytes(rows)


def test_accepted_file_is_archived_by_hash_logged_and_loaded(settings):
    data = (FIXTURES / VICTIMS).read_bytes()
    path = write(settings.inbox_dir, VICTIMS, data)
    arrival = dt.datetime(2024, 4, 12, 9, 30, tzinfo=dt.UTC)
    os.utime(path, (arrival.timestamp(), arrival.timestamp()))

    outcome = ingest_file(path, settings, today=TODAY)

    sha = hashlib.sha256(data).hexdigest()
    assert outcome.status == "loaded"
    assert outcome.versions == {"victims/2024-03": 1}
    assert outcome.stored_path == settings.archive_dir / sha[:2] / f"{sha}_{VICTIMS}"
    assert outcome.stored_path.read_bytes() == data
    assert not path.exists()
    log = query(settings.warehouse_path,
                "SELECT file_name, sha256, partner, return_types, periods, n_rows, status, "
                "stored_path, received_at FROM core.ingest_log")
    assert log == [(VICTIMS, sha, "APF", ["victims"], [dt.date(2024, 3, 1)], 3, "loaded",
                    f"archive/{sha[:2]}/{sha}_{VICTIMS}", dt.datetime(2024, 4, 12, 9, 30))]
    cells = query(settings.warehouse_path,
                  "SELECT district, sex, count, version FROM core.victims ORDER BY district")
    assert cells == [("PT-08", "F", 0, 1), ("PT-11", "F", 2, 1), ("PT-13", "M", 1, 1)]


def test_resubmission_supersedes_and_keeps_the_earlier_version(settings):
    first = ingest_file(write(settings.inbox_dir, "march.csv", victims_csv([2, 1, 0])),
                        settings, today=TODAY)
    second = ingest_file(write(settings.inbox_dir, "march-fixed.csv", victims_csv([3, 1, 1])),
                         settings, today=TODAY)
    assert (first.versions, second.versions) == ({"victims/2024-03": 1},
                                                 {"victims/2024-03": 2})
    subs = query(settings.warehouse_path,
                 "SELECT version, superseded_at IS NOT NULL FROM core.submissions "
                 "ORDER BY version")
    assert subs == [(1, True), (2, False)]
    current = query(settings.warehouse_path,
                    "SELECT sum(count)::INT, min(version), max(version) FROM core.victims")
    assert current == [(5, 2, 2)]
    earlier = query(settings.warehouse_path,
                    "SELECT sum(c.count)::INT FROM core.victims_cells c "
                    "JOIN core.submissions s USING (submission_id) WHERE s.version = 1")
    assert earlier == [(3,)]


def test_resubmitting_one_period_leaves_the_other_periods_alone(settings):
    rows = fixture_rows(VICTIMS)
    rows[3][1] = "2024-04"  # rows 2-3 March, row 4 April
    ingest_file(write(settings.inbox_dir, "q.csv", csv_bytes(rows)), settings, today=TODAY)
    april = [rows[0], rows[3][:-1] + ["7"]]
    ingest_file(write(settings.inbox_dir, "april.csv", csv_bytes(april)), settings,
                today=TODAY)
    current = query(settings.warehouse_path,
                    "SELECT strftime(period, '%Y-%m'), version, sum(count)::INT "
                    "FROM core.victims GROUP BY ALL ORDER BY 1")
    assert current == [("2024-03", 1, 3), ("2024-04", 2, 7)]


def test_other_partners_and_return_types_are_separate_submissions(settings):
    ingest_file(write(settings.inbox_dir, "v.csv", victims_csv([2, 1, 0])), settings,
                today=TODAY)
    ingest_file(write(settings.inbox_dir, "s.csv", (FIXTURES / SUPPORT).read_bytes()),
                settings, today=TODAY)
    dgs = fixture_rows(VICTIMS)
    for row in dgs[1:]:
        row[0] = "DGS"
    ingest_file(write(settings.inbox_dir, "d.csv", csv_bytes(dgs)), settings, today=TODAY)
    subs = query(settings.warehouse_path,
                 "SELECT partner, return_type, version FROM core.current_submissions "
                 "ORDER BY 1, 2")
    assert subs == [("APF", "support", 1), ("APF", "victims", 1), ("DGS", "victims", 1)]


def test_same_file_twice_is_a_duplicate_and_changes_nothing(settings):
    data = victims_csv([2, 1, 0])
    ingest_file(write(settings.inbox_dir, "a.csv", data), settings, today=TODAY)
    before = core_counts(settings.warehouse_path)
    cells_before = query(settings.warehouse_path, "SELECT * FROM core.victims ORDER BY ALL")

    again = write(settings.inbox_dir, "a (copy).csv", data)
    outcome = ingest_file(again, settings, today=TODAY)

    assert outcome.status == "duplicate"
    assert "already loaded" in outcome.message and "já carregado" in outcome.message
    assert core_counts(settings.warehouse_path) == before
    assert query(settings.warehouse_path, "SELECT * FROM core.victims ORDER BY ALL") \
        == cells_before
    assert not again.exists()
    assert outcome.stored_path.parent == settings.archive_dir / "duplicates"
    assert outcome.stored_path.read_bytes() == data
    statuses = query(settings.warehouse_path,
                     "SELECT status FROM core.ingest_log ORDER BY ingest_id")
    assert statuses == [("loaded",), ("duplicate",)]


def test_error_inside_the_transaction_rolls_everything_back(settings, monkeypatch):
    from indicators.faults import FAULT_ENV

    path = write(settings.inbox_dir, "a.csv", victims_csv([2, 1, 0]))
    # an error after the cells were inserted, before COMMIT (a full disk)
    monkeypatch.setenv(FAULT_ENV, "ingest:before-commit=enospc")
    with pytest.raises(OSError):
        ingest_file(path, settings, today=TODAY)
    assert path.exists()  # still in the inbox
    assert core_counts(settings.warehouse_path)["core.submissions"] == 0
    assert query(settings.warehouse_path, "SELECT count(*) FROM core.ingest_log") == [(0,)]

    monkeypatch.undo()
    assert ingest_file(path, settings, today=TODAY).status == "loaded"
    assert core_counts(settings.warehouse_path)["core.victims_cells"] == 3


def test_crash_after_commit_before_leaving_the_inbox_is_recognised_on_rerun(settings,
                                                                             monkeypatch):
    path = write(settings.inbox_dir, "a.csv", victims_csv([2, 1, 0]))
    monkeypatch.setattr(ingest, "_remove_source", lambda *args: None)
    assert ingest_file(path, settings, today=TODAY).status == "loaded"
    assert path.exists()
    monkeypatch.undo()
    assert ingest_file(path, settings, today=TODAY).status == "duplicate"
    assert core_counts(settings.warehouse_path)["core.submissions"] == 1


def test_folder_is_processed_in_arrival_order(settings):
    older = write(settings.inbox_dir, "z-first.csv", victims_csv([1, 1, 1]))
    newer = write(settings.inbox_dir, "a-second.csv", victims_csv([4, 4, 4]))
    write(settings.inbox_dir, ".DS_Store", b"ignored")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_000_100, 1_700_000_100))
    outcomes = ingest_paths([settings.inbox_dir], settings, today=TODAY)
    assert [(o.file_name, o.status) for o in outcomes] == [("z-first.csv", "loaded"),
                                                            ("a-second.csv", "loaded")]
    assert query(settings.warehouse_path, "SELECT sum(count)::INT FROM core.victims") == [(12,)]
    assert (settings.inbox_dir / ".DS_Store").exists()


LITTER = (".DS_Store", "Thumbs.db", "desktop.ini", "._APF_victims.csv", "~$APF_victims.xlsx",
          ".~lock.APF_victims.csv#", ".APF_victims.csv.swp", ".#APF_victims.csv",
          "APF_victims.csv.part", "APF_victims.csv.filepart", ".APF_victims.csv.Xy12Ab",
          "~WRL0001.tmp")


def test_os_and_editor_litter_is_left_alone_by_the_inbox_scan(settings):
    for name in LITTER:
        write(settings.inbox_dir, name, b"litter")
    write(settings.inbox_dir / ".Trash-1000", "old.csv", victims_csv([1, 1, 1]))
    write(settings.inbox_dir, VICTIMS, victims_csv([1, 1, 1]))
    outcomes = ingest_paths([settings.inbox_dir], settings, today=TODAY)
    assert [(o.file_name, o.status) for o in outcomes] == [(VICTIMS, "loaded")]
    assert all((settings.inbox_dir / name).read_bytes() == b"litter" for name in LITTER)
    assert query(settings.warehouse_path,
                 "SELECT count(*)::INT FROM core.ingest_log") == [(1,)]


def test_a_hidden_return_is_rejected_with_its_reason_not_skipped_in_silence(settings):
    """``.returns.csv`` (valid content) is quarantined with a PT/EN report saying to remove
    the dot; nothing of it is loaded, and its bytes are kept."""
    content = victims_csv([4, 4, 4])
    write(settings.inbox_dir, ".returns.csv", content)
    write(settings.inbox_dir, SUPPORT, (FIXTURES / SUPPORT).read_bytes())
    outcomes = {o.file_name: o for o in ingest_paths([settings.inbox_dir], settings,
                                                     today=TODAY)}
    assert outcomes[SUPPORT].status == "loaded"
    hidden = outcomes[".returns.csv"]
    assert hidden.status == "rejected"
    assert [p.rule for p in hidden.problems] == ["hidden_file"]
    assert "1 problema/1 problem:" in hidden.message  # not "problema(s)"
    assert hidden.stored_path.parent == settings.quarantine_dir
    assert hidden.stored_path.read_bytes() == content
    report = hidden.report_path.read_text(encoding="utf-8")
    assert 'rename it without the dot (for example "returns.csv")' in report
    assert 'mude-lhe o nome, sem o ponto (por exemplo "returns.csv")' in report
    assert query(settings.warehouse_path, "SELECT count(*)::INT FROM core.victims") == [(0,)]
    assert query(settings.warehouse_path, "SELECT status, reasons->>'$[0].rule' FROM "
                 "core.ingest_log WHERE file_name = '.returns.csv'") == [
        ("rejected", "hidden_file")]


def test_file_outside_the_inbox_is_copied_into_the_archive_and_left_in_place(settings,
                                                                             tmp_path):
    content = (FIXTURES / VICTIMS).read_bytes()
    source = write(tmp_path / "elsewhere", VICTIMS, content)
    outcome = ingest_file(source, settings, today=TODAY)
    assert outcome.status == "loaded"
    assert settings.archive_dir in outcome.stored_path.parents
    assert outcome.stored_path.read_bytes() == content
    assert source.read_bytes() == content  # the user's file is where it was, unchanged
    again = ingest_file(source, settings, today=TODAY)  # re-loading it: a duplicate, kept
    assert again.status == "duplicate" and source.read_bytes() == content


def test_rejected_file_outside_the_inbox_is_copied_to_quarantine_and_left_in_place(
        settings, tmp_path):
    source = write(tmp_path / "shared-drive", "bad.csv", b"partner,period\nX,2024-01\n")
    outcome = ingest_file(source, settings, today=TODAY)
    assert outcome.status == "rejected"
    assert settings.quarantine_dir in outcome.stored_path.parents
    assert source.exists()


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\evil.csv", "evil.csv"),
    ("Relatório Março 2024.csv", "Relatório_Março_2024.csv"),
    ("a\x00b\nc.csv", "abc.csv"),
    ("..", "file"),
    ("", "file"),
])
def test_safe_names_never_leave_the_folder(name, expected):
    assert safe_name(name) == expected


def test_rejected_file_quarantine_name_and_log(settings):
    shutil.copy(FIXTURES / VICTIMS, settings.inbox_dir / "bad.csv")
    (settings.inbox_dir / "bad.csv").write_bytes(
        (FIXTURES / VICTIMS).read_bytes().replace(b"PT-11", b"PT-99"))
    outcome = ingest_file(settings.inbox_dir / "bad.csv", settings, today=TODAY)
    assert outcome.status == "rejected"
    stamp, sha12, rest = outcome.stored_path.name.split("_", 2)
    assert len(stamp) == 15 and stamp[8] == "T" and len(sha12) == 12 and rest == "bad.csv"
    reasons = query(settings.warehouse_path,
                    "SELECT reasons->>'$[0].rule', reasons->>'$[0].value' FROM core.ingest_log")
    assert reasons == [("unknown_code", "PT-99")]


@pytest.mark.parametrize(("name", "types", "months"), [
    ("APF_victims_2024-03_rev1.csv", ["victims"], [dt.date(2024, 3, 1)]),
    ("ONINHO_support_2024-12.xlsx", ["support"], [dt.date(2024, 12, 1)]),
    ("FMS_2024-13_support.csv", ["support"], []),      # no month 13
    ("notes about victims.txt", ["victims"], []),
    ("bad.csv", [], []),
])
def test_a_file_name_claims_return_types_and_months(name, types, months):
    assert ingest.claimed_by_name(name) == (types, months)


def test_rejected_file_counts_against_the_month_its_name_claims(settings):
    path = write(settings.inbox_dir, "APF_victims_2024-03.csv",
                 (FIXTURES / VICTIMS).read_bytes().replace(b"PT-11", b"PT-99"))
    assert ingest_file(path, settings, today=TODAY).status == "rejected"
    logged = query(settings.warehouse_path,
                   "SELECT partner, return_types, periods FROM core.ingest_log")
    assert logged == [("APF", ["victims"], [dt.date(2024, 3, 1)])]


@pytest.mark.parametrize(("broken", "pt", "en"), [
    (1, "1 célula com contagem ou período inválido", "1 cell with an invalid count or period"),
    (2, "2 células com contagem ou período inválido",
     "2 cells with an invalid count or period")])
def test_the_contract_check_counts_invalid_cells_in_the_singular_and_plural(
        settings, broken, pt, en):
    import duckdb

    from indicators.pipeline import contract_problems

    ingest_file(write(settings.inbox_dir, VICTIMS, victims_csv([1, 2, 3])), settings,
                today=TODAY)
    con = duckdb.connect(str(settings.warehouse_path))
    try:
        con.execute("UPDATE core.victims_cells SET count = 200000 WHERE count <= ?", [broken])
        assert f"victims: {pt} / {en}" in contract_problems(con, settings)
    finally:
        con.close()


def test_the_contract_check_names_unknown_codes_per_column(settings):
    import duckdb

    from indicators.pipeline import contract_problems

    ingest_file(write(settings.inbox_dir, VICTIMS, victims_csv([1, 2, 3])), settings,
                today=TODAY)
    con = duckdb.connect(str(settings.warehouse_path))
    try:
        assert contract_problems(con, settings) == []
        con.execute("UPDATE core.victims_cells SET sex = 'X9' WHERE count = 2")
        con.execute("UPDATE core.victims_cells SET age_group = 'A9' WHERE count = 3")
        problems = contract_problems(con, settings)
        assert "victims.sex: códigos desconhecidos / unknown codes ['X9']" in problems
        assert "victims.age_group: códigos desconhecidos / unknown codes ['A9']" in problems
        assert not [p for p in problems if p.startswith(("victims.district", "support."))]
    finally:
        con.close()
