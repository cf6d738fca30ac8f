"""`observatory refresh` and `observatory demo` on the command line."""

from __future__ import annotations

import pytest

from indicators.release_files import current_release_id
from observatory.cli import build_parser, main
from tests.orchestration.helpers import write_victims_csv


def test_refresh_and_demo_are_listed():
    help_text = build_parser().format_help()
    assert "refresh" in help_text and "demo" in help_text


@pytest.mark.parametrize("month", ["2020-12", "2999-01"])
def test_refresh_refuses_a_month_outside_the_partitions(settings, month, capsys):
    assert main(["refresh", "--month", month]) == 2
    assert "out of range" in capsys.readouterr().out


def test_month_and_all_are_exclusive(settings):
    with pytest.raises(SystemExit):
        main(["refresh", "--month", "2024-03", "--all"])


@pytest.mark.slow
def test_refresh_publishes_and_prints_the_release(settings, capsys):
    """Resources come from the environment (OBS_DATA_DIR set by the fixture); ~5 s."""
    write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03", [5, 6])
    (settings.inbox_dir / "notes.txt").write_text("not a return", encoding="utf-8")
    assert main(["refresh", "--month", "2024-03"]) == 0
    out = capsys.readouterr().out
    release_id = current_release_id(settings.serving_dir)
    assert release_id is not None
    assert f"Publicado / published: {release_id}" in out
    assert "Meses / months: 2024-03" in out
    assert "1 carregado/1 loaded, 1 rejeitado/1 rejected, 0 duplicados/0 duplicates" in out
    assert "rejected (relatório em / report in quarantine/): notes.txt" in out
    assert "Primeira versão." in out and "First release." in out
