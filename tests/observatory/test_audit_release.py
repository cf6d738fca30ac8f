"""`observatory audit-release`: the outsider's view of a release refuses a corrupted one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from indicators.publish import publish_release
from indicators.registry import load_registry
from indicators.settings import load_settings
from observatory.cli import main
from tests.orchestration.helpers import protected_release, value_row


@pytest.fixture
def release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean release: F = 3 (primary) protected by hiding M = 12 with it."""
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings().ensure_dirs()
    rows = [value_row("THB_SIGNALLED", "_T", "_T", 15.0),
            value_row("THB_SIGNALLED", "sex", "F", None, flags="c"),
            value_row("THB_SIGNALLED", "sex", "M", None, flags="c"),
            value_row("THB_SIGNALLED", "sex", "X", 0.0),
            value_row("THB_SIGNALLED", "sex", "U", 0.0)]
    return publish_release(settings, protected_release(rows), load_registry()).path


def _execute(path: Path, sql: str, params: list | None = None) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def test_clean_release_passes(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit-release", str(release)]) == 0
    out = capsys.readouterr().out
    assert "RELEASE AUDIT OK" in out
    assert "digests found / encontrados: 0" in out


def test_secondary_published_back_is_refused(release: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _execute(release, "UPDATE published.indicator_values SET value = 12, flags = '' "
                      "WHERE breakdown_code = 'M'")
    assert main(["audit-release", str(release)]) == 1
    out = capsys.readouterr().out
    assert "DISCLOSED THB_SIGNALLED month 2024-03 PT sex=F in/em [3, 3]" in out
    assert "= 15 [THB_SIGNALLED month 2024-03 PT] - 12 [THB_SIGNALLED month 2024-03 PT " \
           "sex=M]" in out


def test_file_hash_in_the_release_is_refused(release: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    original = originals / "OTSH_victims_2024-03.csv"
    original.write_bytes(b"partner,period,count\nOTSH,2024-03,1\n")
    md5 = hashlib.md5(original.read_bytes()).hexdigest()
    _execute(release, "UPDATE published.release_info SET source_returns = ?",
             [json.dumps([{"partner": "OTSH", "ref": md5[:12]}])])
    assert main(["audit-release", str(release), "--originals", str(originals)]) == 1
    out = capsys.readouterr().out
    assert f"DIGEST {release.name} published.release_info.source_returns: {md5}" in out
