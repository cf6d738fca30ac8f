"""The reader model is numbered by the content of the release, not by the process building it:
two processes with different string-hash seeds give the same cells in the same order and the
same relations, so the audit's intervals and explanations do not depend on the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from datetime import date
import polars as pl
from indicators.derived_values import VALUE_SCHEMA
from indicators.registry import load_registry
from indicators.release_model import reader_model

rows = []
for year in (2022, 2023, 2024, 2025):
    for geo in ("PT", "PT-01", "PT-02", "PT-03"):
        for ind in ("THB_SIGNALLED", "THB_PRESUMED"):
            for bd, code in (("_T", "_T"), ("sex", "F"), ("sex", "M"), ("age_group", "0-11")):
                rows.append({"indicator": ind, "grain": "year", "period": date(year, 1, 1),
                             "period_end": date(year, 12, 31), "period_label": str(year),
                             "geo": geo, "breakdown": bd, "breakdown_code": code,
                             "value": None if code == "M" else 7.0, "numerator": None,
                             "denominator": None, "unit": "persons",
                             "flags": "c" if code == "M" else ""})
model = reader_model(pl.DataFrame(rows, schema=VALUE_SCHEMA), load_registry())
for key in model.keys:
    print("cell", *key)
for rel in model.relations:
    print("rel", rel.source, rel.rhs, [(model.keys[i], c) for i, c in rel.terms.items()])
"""


def _model_in_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_two_processes_with_different_hash_seeds_build_the_same_model():
    first = _model_in_process("1")
    assert "rel sex: _T = its codes" in first  # the breakdown relations are in the model
    for seed in ("2", "3"):
        assert _model_in_process(seed) == first, seed
