"""Three consecutive releases made by the real pipeline (sample → ingest → refresh), with
revised partner returns between them, and the TRUE counts behind each (read from the
warehouse after each refresh: test-only knowledge, never published).

Built once per test session (18 months of the synthetic sample, then two one-month
refreshes after revised returns)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.sample_inbox import write_sample_inbox


@dataclass(frozen=True)
class Series:
    data_dir: Path
    serving_dir: Path
    release_ids: tuple[str, ...]          # oldest first
    truths: tuple[pl.DataFrame, ...]      # true counts behind each release


def _revise(settings, month: str, edit) -> None:
    """Write a revised version of OTSH's victims return for ``month`` into the inbox."""
    source = next(iter(sorted(settings.archive_dir.rglob(f"*_OTSH_victims_{month}.csv"))))
    lines = source.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header, rows = lines[0], [r.split(",") for r in lines[1:]]
    rows = edit(rows)
    (settings.inbox_dir / f"OTSH_victims_{month}_rev.csv").write_text(
        "\n".join([header, *[",".join(r) for r in rows]]) + "\n", encoding="utf-8")


def _bump_first(rows: list[list[str]]) -> list[list[str]]:
    """One person added to the first row (a small revision: hidden) and 12 to the last (a
    revision of more than k persons: published as revised)."""
    rows[0][-1] = str(int(rows[0][-1]) + 1)
    rows[-1][-1] = str(int(rows[-1][-1]) + 12)
    return rows


def _drop_two_add_five(rows: list[list[str]]) -> list[list[str]]:
    """Two rows withdrawn and 12 persons added to the last one: small revisions (hidden)
    and revisions of more than k persons (published as revised)."""
    rows = rows[2:]
    rows[-1][-1] = str(int(rows[-1][-1]) + 12)
    return rows


def _truth(warehouse: Path) -> pl.DataFrame:
    from indicators.compute import count_values
    from indicators.registry import load_registry

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return count_values(con, load_registry())
    finally:
        con.close()


def build_series(root: Path) -> Series:
    from indicators.settings import load_settings
    from orchestration.defs.resources import resources_for
    from orchestration.runner import load_defs, run_refresh

    data_dir = root / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OBS_DATA_DIR", str(data_dir))
        settings = load_settings().ensure_dirs()
        write_sample_inbox(settings, until="2022-06")
        defs, resources = load_defs(), resources_for(str(data_dir))
        ids, truths = [], []
        steps = [("2021-01-01", "2022-06-01", None),
                 ("2022-03-01", "2022-03-01", ("2022-03", _bump_first)),
                 ("2022-05-01", "2022-05-01", ("2022-05", _drop_two_add_five))]
        for first, last, revision in steps:
            if revision:
                _revise(settings, *revision)
            report = run_refresh(first, last, resources=resources, defs=defs)
            assert report.success and report.release_id, report
            ids.append(report.release_id)
            truths.append(_truth(settings.warehouse_path))
    return Series(data_dir=data_dir, serving_dir=settings.serving_dir,
                  release_ids=tuple(ids), truths=tuple(truths))
