"""Sample files as partners send them: formats, arrival times, revisions, invalid files."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from indicators.sample import (
    INVALID_README,
    SYNTHETIC_README,
    generate_returns,
    plan_sample,
    write_sample,
)
from indicators.validation import validate_file
from observatory.cli import main

TODAY = date(2026, 11, 28)
NAME = re.compile(r"^[A-Z]+(_(victims|support|activities))?_\d{4}-\d{2}(_rev\d)?\.(csv|xlsx)$")


@pytest.fixture(scope="module")
def plan():
    return plan_sample(5, "2021-01", "2022-12", today=TODAY)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sample")
    write_sample(root / "inbox", root / "invalid", seed=3, until="2021-06", today=TODAY)
    return root / "inbox", root / "invalid"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files_and_other_seed_differs(tmp_path, written) -> None:
    inbox, invalid = written
    write_sample(tmp_path / "a", tmp_path / "ai", seed=3, until="2021-06", today=TODAY)
    assert _files(tmp_path / "a") == _files(inbox)
    assert _files(tmp_path / "ai") == _files(invalid)
    write_sample(tmp_path / "b", tmp_path / "bi", seed=4, until="2021-06", today=TODAY)
    other = _files(tmp_path / "b")
    common = set(other) & set(_files(inbox))
    assert any(other[n] != _files(inbox)[n] for n in common)


def test_file_names_formats_and_encodings_are_as_partners_send(written) -> None:
    inbox, _ = written
    files = _files(inbox)
    data = files
    assert all(NAME.match(n) for n in data), [n for n in data if not NAME.match(n)]
    assert any(n.startswith("OTSH_victims_2021-04") for n in data)
    xlsx = [n for n in data if n.endswith(".xlsx")]
    csvs = [b for n, b in data.items() if n.endswith(".csv")]
    assert xlsx and all(data[n][:2] == b"PK" for n in xlsx)
    assert any(b.startswith(b"\xef\xbb\xbf") for b in csvs)  # UTF-8 with BOM
    # Windows-1252: "Período" written as a single byte 0xED, not valid UTF-8.
    cp1252 = [b for b in csvs if b.startswith(b"Parceiro;Per\xedodo;")]
    assert cp1252 and all(b"\r\n" in b for b in cp1252)
    with pytest.raises(UnicodeDecodeError):
        cp1252[0].decode("utf-8")
    assert any(b.startswith(b"\xef\xbb\xbfparceiro;periodo;distrito;") for b in csvs)
    assert any(b.startswith(b"partner,period,district,") for b in csvs)


def test_files_are_labelled_synthetic_in_both_languages(written) -> None:
    inbox, invalid = written
    assert not (inbox / SYNTHETIC_README).exists()  # a marker, not a partner return
    readme = (inbox.parent / SYNTHETIC_README).read_text(encoding="utf-8")
    assert "DADOS SINTÉTICOS" in readme and "SYNTHETIC DATA" in readme
    listing = (invalid / INVALID_README).read_text(encoding="utf-8")
    invalid_files = sorted(p.name for p in invalid.glob("*.csv"))
    assert len(invalid_files) == 6
    for name in invalid_files:
        assert re.search(rf"^{re.escape(name)}: .+ / .+$", listing, re.MULTILINE), name


def test_mtime_is_the_simulated_arrival_after_the_month_ends(written) -> None:
    inbox, _ = written
    for path in inbox.iterdir():
        period = re.search(r"_(\d{4}-\d{2})", path.name).group(1)
        year, month = (int(x) for x in period.split("-"))
        month_end = date(year + month // 12, month % 12 + 1, 1)
        delay = (datetime.fromtimestamp(path.stat().st_mtime).date() - month_end).days + 1
        if "_rev" not in path.name:
            assert 3 <= delay <= 10 or 30 <= delay <= 90, (path.name, delay)


def test_late_missing_and_revised_returns(plan) -> None:
    names = [f.name for f in plan.files]
    assert names == sorted(names)
    assert plan.late and plan.missing and plan.revised
    by_name = {f.name: f for f in plan.files}
    for name in plan.late:
        item = by_name[name]
        month_end = date(int(item.periods[0][:4]), int(item.periods[0][5:]), 1)
        assert (item.arrived.date() - month_end).days >= 29 + 28  # 30-90 days after month end
    for missing_partner, missing_period in plan.missing:
        assert not any(f.partner == missing_partner and missing_period in f.periods
                       for f in plan.files)
    for name in plan.revised:
        assert name.rsplit(".", 1)[0].endswith("_rev1")
        revised = by_name[name]
        original_name = name.replace("_rev1", "")
        if original_name not in by_name:  # an XLSX partner: the revision holds one sheet
            continue
        original = by_name[original_name]
        assert original_name < name
        assert revised.arrived > original.arrived
        assert revised.content != original.content


def test_revised_csv_counts_differ_slightly(plan) -> None:
    by_name = {f.name: f for f in plan.files}
    revised_csv = [n for n in plan.revised if n.endswith(".csv")]
    assert revised_csv
    for name in revised_csv:
        item = by_name[name]
        first = by_name[name.replace("_rev1", "")]
        separator = ";" if b";" in first.content.splitlines()[0] else ","
        encoding = "cp1252" if b"\xed" in first.content[:40] else "utf-8-sig"
        a = pl.read_csv(io.StringIO(first.content.decode(encoding)), separator=separator)
        b = pl.read_csv(io.StringIO(item.content.decode(encoding)), separator=separator)
        diff = abs(a[a.columns[-1]].sum() - b[b.columns[-1]].sum())
        assert 0 < diff <= 6 or a.height != b.height


def test_every_sample_file_validates_and_every_invalid_file_is_rejected(written) -> None:
    inbox, invalid = written
    for path in sorted(inbox.iterdir()):
        result = validate_file(path, today=TODAY)
        assert result.ok, (path.name, [p.message_en for p in result.problems])
    expected = {
        "APF_victims_2024-03_coluna_nome.csv": "unknown_column",
        "ONINHO_support_2024-03_email.csv": "personal_data",
        "OTSH_victims_2024-03_contagem_decimal.csv": "bad_count",
        "OTSH_victims_2027-02_futuro.csv": "period_in_future",
        "XPTO_victims_2024-03_parceiro_desconhecido.csv": "partner_not_registered",
        "FMS_support_2024-03_duplicado.csv": "duplicate_key",
    }
    assert sorted(p.name for p in invalid.glob("*.csv")) == sorted(expected)
    for name, rule in expected.items():
        result = validate_file(invalid / name, today=TODAY)
        assert not result.ok
        assert rule in {p.rule for p in result.problems}, (name, result.problems)


def test_validated_tables_carry_the_generated_counts(written) -> None:
    inbox, _ = written
    returns = generate_returns(3, "2021-01", "2021-06")
    checked = 0
    for path in sorted(inbox.glob("*_2021-03*")):
        if "_rev" in path.name:
            continue
        result = validate_file(path, today=TODAY)
        for return_type, table in result.tables.items():
            partner = path.name.split("_")[0]
            expected = returns[(partner, return_type, "2021-03")]
            assert table.height == expected.height
            assert table["count"].sum() == expected["count"].sum()
            checked += 1
    assert checked >= 8


def test_cli_writes_into_the_data_folder_and_says_synthetic(settings, capsys) -> None:
    assert main(["sample", "--until", "2021-02", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC DATA" in out and "DADOS SINTÉTICOS" in out
    assert (settings.data_dir / SYNTHETIC_README).exists()
    assert list(settings.inbox_dir.glob("OTSH_victims_2021-0*.csv"))
    assert len(list((settings.data_dir / "sample-invalid").glob("*.csv"))) == 6
    assert main(["sample", "--until", "2019-13"]) == 2


def test_releases_know_the_data_are_synthetic_from_the_marker_or_the_environment(
        settings, tmp_path) -> None:
    from indicators.pipeline import is_synthetic

    assert not is_synthetic(settings.data_dir, env={})
    assert main(["sample", "--until", "2021-01", "--seed", "9"]) == 0
    assert is_synthetic(settings.data_dir, env={})
    assert not is_synthetic(tmp_path / "elsewhere", env={})
    assert is_synthetic(tmp_path / "elsewhere", env={"OBS_SYNTHETIC": "1"})


def test_a_revision_always_changes_its_return_even_an_empty_one() -> None:
    import random

    from indicators.sample import _revise

    empty = pl.DataFrame({"district": ["PT-11"], "count": [0]})
    small = pl.DataFrame({"district": ["PT-11", "PT-13"], "count": [0, 1]})
    for seed in range(200):
        for frame in (empty, small):
            assert not _revise(random.Random(seed), frame).equals(frame), seed


def test_the_sample_partners_send_exactly_the_returns_the_registry_expects() -> None:
    """Otherwise every sample month would stay provisional, waiting for a return that the
    simulated partner never sends (or a return would arrive that nobody expects)."""
    from indicators import sample_profiles
    from indicators.registry import load_expected

    expected = {(e.partner, e.return_type) for e in load_expected().entries}
    sent = {(code, return_type) for code, profile in sample_profiles.PROFILES.items()
            for return_type in profile.sends}
    assert sent == expected


def test_on_time_sample_returns_arrive_by_the_registry_due_date() -> None:
    from indicators.registry import load_expected
    from indicators.sample import ON_TIME_DAYS

    assert ON_TIME_DAYS[1] <= load_expected().due_days


def test_no_invalid_file_arrived_before_its_period(written) -> None:
    """A user review read "Received at 10 Apr 2024" for the file of a period three months
    from today: each invalid file arrives after its period begins, the future one today."""
    _, invalid = written
    for path in invalid.glob("*.csv"):
        period = re.search(r"_(\d{4}-\d{2})_", path.name).group(1)
        arrived = datetime.fromtimestamp(path.stat().st_mtime).date()
        if "futuro" in path.name:
            assert arrived == TODAY, path.name
        else:
            assert arrived >= date(*(int(x) for x in period.split("-")), 1), path.name
