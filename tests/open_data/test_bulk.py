"""`observatory export`: one zip per release with every table the audience may read as CSV,
the SDMX files, the methodology and a README (licence, citation, flags)."""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from pathlib import Path

import duckdb
import pytest
import sdmx

from indicators.release_files import release_file
from observatory.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _export(series, monkeypatch, tmp_path, *extra: str) -> tuple[int, Path]:
    monkeypatch.setenv("OBS_DATA_DIR", str(series.data_dir))
    code = main(["export", "--output", str(tmp_path), *extra])
    return code, tmp_path


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_export_of_a_past_release_holds_its_tables_sdmx_methodology_and_readme(
        series, monkeypatch, tmp_path):
    first = series.release_ids[0]
    code, out = _export(series, monkeypatch, tmp_path, "--release", first)
    assert code == 0
    files = _entries(out / f"otsh_{first}.zip")
    assert set(files) == {"README.md", "methodology.md", "tables/release_info.csv",
                          "tables/release_history.csv", "tables/indicators.csv",
                          "tables/indicator_values.csv", "tables/not_published.csv",
                          "sdmx/otsh_structure.xml", "sdmx/otsh_data.csv"}
    readme = files["README.md"].decode()
    assert first in readme and "CC BY 4.0" in readme and "SYNTHETIC" in readme
    assert "`c`" in readme and "`p`" in readme and "Citar / how to cite" in readme
    assert "`tables/not_published.csv` — " in readme
    assert files["methodology.md"].decode() == (ROOT / "docs" / "methodology.md").read_text(
        encoding="utf-8")
    con = duckdb.connect(str(release_file(series.serving_dir, first)), read_only=True)
    try:
        expected = {tuple(str(c) for c in r[:7]): (r[7], r[8]) for r in con.sql(
            "SELECT v.indicator, grain, period, period_end, geo, breakdown, breakdown_code, "
            "value, flags FROM published.indicator_values v JOIN published.indicators i "
            "ON i.code = v.indicator WHERE i.audience = 'public'").fetchall()}
    finally:
        con.close()
    rows = list(csv.DictReader(io.StringIO(files["tables/indicator_values.csv"].decode())))
    got = {(r["indicator"], r["grain"], r["period"], r["period_end"], r["geo"], r["breakdown"],
            r["breakdown_code"]): (float(r["value"]) if r["value"] else None, r["flags"])
           for r in rows}
    assert got == expected
    assert {r["release_id"] for r in rows} == {first}


def test_sdmx_files_in_the_zip_are_read_by_sdmx1(series, monkeypatch, tmp_path):
    _export(series, monkeypatch, tmp_path)
    files = _entries(tmp_path / f"otsh_{series.release_ids[-1]}.zip")
    (tmp_path / "s.xml").write_bytes(files["sdmx/otsh_structure.xml"])
    (tmp_path / "d.csv").write_bytes(files["sdmx/otsh_data.csv"])
    flow = sdmx.read_sdmx(tmp_path / "s.xml").dataflow["DF_OTSH_INDICATORS"]
    data = sdmx.read_sdmx(tmp_path / "d.csv", structure=flow)
    table_rows = files["tables/indicator_values.csv"].decode().count("\n") - 1
    assert sum(len(ds.obs) for ds in data.data) == table_rows > 0


def test_audiences_and_determinism(series, monkeypatch, tmp_path):
    _export(series, monkeypatch, tmp_path / "a", "--audience", "analyst")
    _export(series, monkeypatch, tmp_path / "b", "--audience", "analyst")
    name = f"otsh_{series.release_ids[-1]}.zip"
    first, second = (tmp_path / d / name for d in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()
    files = _entries(first)
    assert {"tables/eea_results.csv", "tables/data_quality.csv", "tables/rejections.csv",
            "tables/source_returns.csv"} <= set(files)
    provenance = files["tables/source_returns.csv"].decode().splitlines()
    assert provenance[0] == "partner,return_type,period,version"
    assert "file_name" not in files["tables/rejections.csv"].decode().splitlines()[0]


def test_every_entry_is_a_regular_file_readable_by_everyone(series, monkeypatch, tmp_path):
    _export(series, monkeypatch, tmp_path)
    with zipfile.ZipFile(tmp_path / f"otsh_{series.release_ids[-1]}.zip") as archive:
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert modes and all(stat.S_ISREG(m) and stat.S_IMODE(m) == 0o644
                         for m in modes.values()), {n: oct(m) for n, m in modes.items()}


def test_unknown_release_is_refused(series, monkeypatch, tmp_path, capsys):
    code, out = _export(series, monkeypatch, tmp_path, "--release",
                        "20990101T000000000000Z-abcdef")
    assert code == 1 and not list(out.iterdir())
    assert "unknown release" in capsys.readouterr().err
