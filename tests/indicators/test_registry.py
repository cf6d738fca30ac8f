"""The registry loads, is consistent, and its targets file is editable and overridable."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.registry import (
    EXPECTED_FILE,
    REGISTRY_FILE,
    RegistryError,
    load_expected,
    load_registry,
)
from indicators.warehouse import SQL_DIR

REQUIRED = {
    # trafficking counts and derived values the issue asks for
    "THB_SIGNALLED", "THB_PRESUMED", "THB_CONFIRMED", "THB_NOT_CONFIRMED",
    "THB_SIGNALLED_RATE", "THB_PRESUMED_RATE", "THB_SIGNALLED_CHG", "THB_SIGNALLED_CHG_PCT",
    "THB_SHARE_SEXUAL", "THB_SHARE_ONLINE", "THB_SHARE_MINORS", "THB_SHARE_FEMALE",
    "THB_SHARE_FOREIGN",
    # EEA Grants results
    "EEA_VICTIMS_SUPPORTED", "EEA_MIGRANTS_ASSISTED", "EEA_PROFESSIONALS_TRAINED",
    "EEA_TRAINING_SESSIONS", "EEA_GUIDELINES_DEVELOPED", "EEA_GUIDELINES_TESTED",
    "EEA_AWARENESS_SESSIONS", "EEA_PERSONS_REACHED", "EEA_VICTIMS_INTERVIEWED",
}


def test_registry_has_every_required_indicator() -> None:
    registry = load_registry()
    assert set(registry.codes) >= REQUIRED
    assert len(set(registry.codes)) == len(registry.codes)


def test_every_entry_is_complete() -> None:
    for ind in load_registry():
        assert ind.name_pt and ind.name_en and ind.definition_pt and ind.definition_en
        assert ind.unit in {"persons", "sessions", "documents", "rate_100k", "percent"}
        if ind.is_count:
            assert (SQL_DIR / ind.sql).is_file(), ind.sql
        else:
            assert ind.method in {"rate", "share", "change", "change_pct"}


def test_victim_counts_are_protected_with_k5_and_outputs_are_not() -> None:
    registry = load_registry()
    for code in ("THB_SIGNALLED", "EEA_VICTIMS_SUPPORTED", "EEA_VICTIMS_INTERVIEWED"):
        rule = registry.get(code).disclosure
        assert (rule.threshold, rule.zeros_publishable) == (5, True)
    assert not registry.get("EEA_TRAINING_SESSIONS").disclosure.applies


def test_eea_indicators_have_level_baseline_and_target() -> None:
    registry = load_registry()
    eea = [i for i in registry if i.code.startswith("EEA_")]
    assert len(eea) == 9
    for ind in eea:
        assert ind.level in {"outcome", "output"}
        assert ind.target is not None and ind.target.target_year >= ind.target.baseline_year
    assert registry.targets_illustrative is True


def test_targets_file_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    text = (REGISTRY_FILE.parent / "targets.toml").read_text(encoding="utf-8")
    text = text.replace("illustrative = true", "illustrative = false").replace(
        "[targets.EEA_MIGRANTS_ASSISTED]\nbaseline = { value = 0, year = 2020 }\n"
        "target = { value = 120, year = 2024 }",
        "[targets.EEA_MIGRANTS_ASSISTED]\nbaseline = { value = 5, year = 2021 }\n"
        "target = { value = 300, year = 2026 }")
    custom = tmp_path / "targets.toml"
    custom.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OBS_TARGETS_FILE", str(custom))
    registry = load_registry()
    target = registry.get("EEA_MIGRANTS_ASSISTED").target
    assert (target.baseline_value, target.baseline_year, target.target_value,
            target.target_year) == (5, 2021, 300, 2026)
    assert registry.targets_illustrative is False


def test_inconsistent_registry_is_refused(tmp_path: Path) -> None:
    text = REGISTRY_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "indicators.toml"
    bad.write_text(text.replace('code = "THB_PRESUMED"\n', 'code = "THB_SIGNALLED"\n', 1),
                   encoding="utf-8")
    with pytest.raises(RegistryError, match="duplicate"):
        load_registry(bad)
    bad.write_text(text.replace('breakdowns = ["_T", "sex", "audience"]',
                                'breakdowns = ["_T", "sex", "district_colour"]', 1),
                   encoding="utf-8")
    with pytest.raises(RegistryError, match="district_colour"):
        load_registry(bad)


def test_hierarchies_group_minors_and_sexual_exploitation() -> None:
    registry = load_registry()
    assert registry.parent("age_group", "12-17") == "Y_LT18"
    assert registry.parent("age_group", "55+") == "Y_GE18"
    assert registry.parent("age_group", "UNKNOWN") == "_T"
    assert {c for c, p in registry.hierarchies["exploitation"].items() if p == "SEXUAL"} == {
        "sexual_prostitution", "sexual_pornography", "sexual_online", "sexual_other"}


def test_expected_returns_and_due_days() -> None:
    expected = load_expected(EXPECTED_FILE)
    assert expected.due_days == 10
    pairs = {(e.partner, e.return_type) for e in expected.entries}
    assert ("OTSH", "victims") in pairs and ("APF", "support") in pairs


def test_a_changed_registry_file_is_read_again(tmp_path: Path) -> None:
    # load_registry keeps what it read per version of the files: an edit must be seen
    text = REGISTRY_FILE.read_text(encoding="utf-8")
    custom = tmp_path / "indicators.toml"
    custom.write_text(text, encoding="utf-8")
    before = load_registry(custom)
    assert load_registry(custom) is before  # the same version: read once
    custom.write_text(text.replace('code = "THB_PRESUMED"\n', 'code = "THB_SIGNALLED"\n', 1),
                      encoding="utf-8")
    with pytest.raises(RegistryError, match="duplicate"):
        load_registry(custom)
