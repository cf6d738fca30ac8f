"""The one settings object: defaults, bilingual start-up errors, the README table, and that
no other product module reads an ``OBS_*`` variable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.settings import SettingsError, load_settings, markdown_table

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("indicators", "dashboards", "observatory", "orchestration")


def test_defaults_put_every_path_under_the_data_folder(tmp_path):
    settings = load_settings({"OBS_DATA_DIR": str(tmp_path / "d")})
    assert settings.inbox_dir == tmp_path / "d" / "inbox"
    assert settings.warehouse_path == tmp_path / "d" / "warehouse.duckdb"
    assert settings.retention.release_retention == 12
    assert settings.smtp.effective_port == 25 and settings.serving.api_rate == 120
    assert settings.access.public_access is True and settings.access.session_hours == 8


def test_values_are_read_and_typed(tmp_path):
    settings = load_settings({"OBS_DATA_DIR": str(tmp_path), "OBS_INBOX_DIR": "/srv/in",
                              "OBS_SMTP_STARTTLS": "1", "OBS_SMTP_FROM": "a@b.pt",
                              "OBS_PUBLIC_ACCESS": "0", "OBS_RELEASE_RETENTION": "3",
                              "OBS_API_RATE": ""})  # empty: the default
    assert settings.inbox_dir == Path("/srv/in")
    assert settings.smtp.starttls and settings.smtp.effective_port == 587
    assert settings.smtp.sender == "a@b.pt"
    assert settings.access.public_access is False
    assert settings.retention.release_retention == 3 and settings.serving.api_rate == 120


def test_settings_are_kept_per_environment_and_read_afresh_when_a_variable_changes(
        tmp_path, monkeypatch):
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "a"))
    monkeypatch.delenv("OBS_RELEASE_RETENTION", raising=False)
    first = load_settings()
    assert load_settings() is first  # the same environment: validated once
    monkeypatch.setenv("OBS_RELEASE_RETENTION", "4")
    changed = load_settings()
    assert changed.retention.release_retention == 4 and changed.data_dir == tmp_path / "a"
    monkeypatch.setenv("OBS_DATA_DIR", str(tmp_path / "b"))
    assert load_settings().warehouse_path == tmp_path / "b" / "warehouse.duckdb"
    monkeypatch.setenv("OBS_RELEASE_RETENTION", "zero")
    with pytest.raises(SettingsError):  # an invalid value is never cached as valid
        load_settings()


def test_invalid_values_stop_with_a_bilingual_message_naming_each_variable():
    with pytest.raises(SettingsError) as caught:
        load_settings({"OBS_SESSION_HOURS": "eight", "OBS_PUBLIC_ACCESS": "maybe",
                       "OBS_RELEASE_RETENTION": "0"})
    text = str(caught.value)
    assert text.startswith("configuração inválida / invalid configuration")
    assert "OBS_SESSION_HOURS='eight': deve ser um número inteiro / must be a whole number" in text
    assert "OBS_PUBLIC_ACCESS='maybe'" in text
    assert "OBS_RELEASE_RETENTION='0': é demasiado pequeno / is too small (>= 1)" in text


def test_the_cli_refuses_to_start_with_an_invalid_setting(tmp_path):
    done = subprocess.run([sys.executable, "-m", "observatory.cli", "contract", "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0  # --help exits in the parser
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from observatory.cli import main; "
         "sys.exit(main(['user', 'list']))"],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={"PATH": "/usr/bin:/bin", "OBS_DATA_DIR": str(tmp_path), "OBS_API_RATE": "many"})
    assert done.returncode == 2
    assert "OBS_API_RATE='many'" in done.stderr and "invalid configuration" in done.stderr


def test_the_readme_table_is_generated_from_the_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- settings-table:start -->\n") + len("<!-- settings-table:start -->\n")
    end = readme.index("<!-- settings-table:end -->")
    assert readme[start:end] == markdown_table()


def _obs_reads(tree: ast.AST) -> list[int]:
    """Lines that look an ``OBS_*`` name up in a mapping: ``x.get("OBS_…")``,
    ``os.getenv("OBS_…")``, ``x["OBS_…"]``."""
    def is_obs(node: ast.AST | None) -> bool:
        return (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and node.value.startswith("OBS_") and node.value.isupper())

    def looks_up(node: ast.AST) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return (node.func.attr in ("get", "getenv", "pop", "setdefault")
                    and bool(node.args) and is_obs(node.args[0]))
        return (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                and is_obs(node.slice))

    lines = [node.lineno for node in ast.walk(tree) if looks_up(node)]
    return lines


def test_only_the_settings_module_reads_obs_variables():
    offenders = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "indicators" / "settings.py":
                continue
            lines = _obs_reads(ast.parse(path.read_text(encoding="utf-8")))
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def test_the_scan_finds_a_direct_read():
    assert _obs_reads(ast.parse('import os\nos.environ.get("OBS_DATA_DIR")\nenv["OBS_X"]')) == [
        2, 3]
