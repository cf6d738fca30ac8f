"""The committed methodology document is exactly what the registry generates."""

from __future__ import annotations

from pathlib import Path

from indicators.methodology import methodology_markdown
from indicators.registry import TARGETS_FILE, load_registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def test_committed_document_equals_generated_text() -> None:
    generated = methodology_markdown(load_registry(targets_file=TARGETS_FILE))
    assert DOC.read_text(encoding="utf-8") == generated, (
        "docs/methodology.md is stale: python -m indicators.methodology > docs/methodology.md")


def test_document_has_both_languages_caveat_flags_and_every_indicator() -> None:
    text = methodology_markdown(load_registry(targets_file=TARGETS_FILE))
    assert "vítimas detetadas não são prevalência" in text
    assert "detected victims are not prevalence" in text
    assert "counts from 1 to 4 (threshold k = 5)" in text
    assert "contagens de 1 a 4 (limiar k = 5)" in text
    for flag in ("`c`", "`z`", "`:`", "`e`", "`p`", "`r`"):
        assert text.count(flag) >= 2
    for ind in load_registry(targets_file=TARGETS_FILE):
        assert text.count(f"`{ind.code}`") == 2          # once per language
        assert ind.name_pt in text and ind.name_en in text
    assert "ILLUSTRATIVE" in text and "ILUSTRATIVA" in text


def test_no_worked_example_names_a_real_district_and_year() -> None:
    """The public methodology (page, zip) illustrated revisions with "Lisboa 2022: 77 -> 80",
    which a user review read as the real count (the demo's Lisboa 2022 was 80, hidden): an
    example must not look like a figure of a real place and year."""
    import csv
    import re

    from indicators.reference import REFERENCE_DIR

    with (REFERENCE_DIR / "districts.csv").open(encoding="utf-8") as f:
        names = {n for row in csv.DictReader(f) for n in (row["name_pt"], row["name_en"])}
    text = methodology_markdown(load_registry(targets_file=TARGETS_FILE))
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\W{0,3}(19|20)\d\d")
    assert pattern.findall(text) == []
