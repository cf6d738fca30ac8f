"""Benchmark: protect() and audit() on realistic sparse tables of ~10^3 to 10^6 cells.

Run:  .venv/bin/python bench/bench_disclosure.py [--sizes 4d,1e3,1e4,1e5,1e6,1e6j] [--seed 7]

``1e6``: district x sex x age x form x month over eight years (3,600 persons), as the
observatory publishes such data: one table per calendar year (months -> quarters -> the
year), no multi-year totals. Eight tables of 140,940 cells, 1,127,520 cells in all, each
protected and audited whole; the years share no cell and no unknown, so the reader's model
of the eight is block-diagonal and the eight audits are the audit of the whole release.
``1e6j``: the same data as ONE table with the multi-year totals (1,072,710 cells) is printed
as NOT RUN unless ``--run-1e6``: it does not finish (docs/benchmarks.md, 30 Nov 2026: an LP
of protect's repair stopped by the 900 s safety net after 15 min; the audit alone of the
heuristic's pattern 967 s and 2.3 GB).

``4d``: district (20, regions) x sex x age group (7, minors/adults) x citizenship (12, EU /
non-EU): 3,360 inner cells, 13,050 cells with totals, 4,000 persons (many small cells).

The counts imitate trafficking returns: a few hundred persons a year spread over districts
(weighted), ages, sexes, forms of exploitation and months, so most inner cells are 0 and most
non-zero cells are small. Prints time for protect (without audit), number of cells, primary
and secondary suppressions, information loss, and the audit time separately.
"""

from __future__ import annotations

import argparse
import itertools
import math
import resource
import sys
import time

import numpy as np
import polars as pl

from indicators.disclosure import Hierarchy, Policy, audit, protect, time_hierarchy
from indicators.disclosure.primary import primary_suppression
from indicators.disclosure.secondary import Engine
from indicators.disclosure.tables import FullTable, build_full_table

REGIONS = {  # NUTS II-like grouping of the 18 districts + 2 autonomous regions
    "PT11": ["03", "13", "16", "18"],
    "PT16": ["01", "05", "06", "10"],
    "PT17": ["11", "15"],
    "PT18": ["02", "07", "12", "14"],
    "PT15": ["08"],
    "PT1X": ["04", "09", "17"],
    "PT2": ["20"],
    "PT3": ["30"],
}
AGES = {"minor": ["0-11", "12-17"], "adult": ["18-24", "25-34", "35-44", "45+"]}
AGES7 = {"minor": ["0-11", "12-17"], "adult": ["18-24", "25-34", "35-44", "45-54", "55+"]}
CITIZENSHIP = {
    "EU": ["PT", "RO", "BG", "ES", "FR"],
    "nonEU": ["BR", "CV", "AO", "UA", "NP", "IN", "MA"],
}
FORMS = {
    "sexual": ["prostitution", "pornography"],
    "labour": ["agriculture", "construction", "domestic"],
    "other": ["begging"],
}


def grouped(dimension: str, groups: dict[str, list[str]]) -> Hierarchy:
    parents = {g: "_T" for g in groups}
    parents.update({c: g for g, codes in groups.items() for c in codes})
    return Hierarchy(dimension, parents)


YEARS_1E6 = range(2017, 2025)
# Why the 10^6 data as one table (``1e6j``) is not run by default (also the bench row's note).
WHY_NOT_1E6J = ("on 30 Nov 2026 one LP maximum of protect's repair was stopped by the 900 s "
                "safety net after 15 min (peak RSS 2.6 GB), and the audit alone of the "
                "heuristic's pattern took 967 s (2.3 GB)")


def months(years: range | list[int]) -> list[str]:
    """The months (``YYYY-MM``) of ``years``, in order."""
    return [f"{y}-{m:02d}" for y in years for m in range(1, 13)]


def scenario(size: str) -> dict[str, Hierarchy]:
    if size == "4d":  # district x sex x age group x citizenship, every level hierarchical
        return {
            "district": grouped("district", REGIONS),
            "sex": Hierarchy.flat("sex", ["F", "M"]),
            "age": grouped("age", AGES7),
            "citizenship": grouped("citizenship", CITIZENSHIP),
        }
    h = {"district": grouped("district", REGIONS), "age": grouped("age", AGES)}
    if size in ("1e6", "1e6j"):  # 10^5's table for eight years, by sex: 1,072,710 cells
        h["sex"] = Hierarchy.flat("sex", ["F", "M"])
        h["form"] = grouped("form", FORMS)
        h["month"] = time_hierarchy(months(YEARS_1E6))
        return h
    if size == "1e3":
        h["sex"] = Hierarchy.flat("sex", ["F", "M"])
    elif size == "1e4":
        h["sex"] = Hierarchy.flat("sex", ["F", "M"])
        h["month"] = time_hierarchy(months([2024]))
    else:
        h["form"] = grouped("form", FORMS)
        h["month"] = time_hierarchy(months([2023, 2024]))
    return h


def sparse_counts(hierarchies: dict[str, Hierarchy], persons: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    dims = list(hierarchies)
    leaves = [hierarchies[d].leaves() for d in dims]
    weights = [rng.dirichlet(np.full(len(ls), 0.7)) for ls in leaves]
    prob = weights[0]
    for w in weights[1:]:
        prob = np.multiply.outer(prob, w)
    counts = rng.multinomial(persons, prob.ravel())
    rows = [(*combo, int(n)) for combo, n in zip(itertools.product(*leaves), counts, strict=True)]
    return pl.DataFrame(rows, schema=[*dims, "count"], orient="row")


OTHER_DRAWS = (8, 9, 10)  # more draws of the 4-D table (its seed is 7): the engine's
# settings were tuned on seed 7, which is the easiest of the four (docs/benchmarks.md)
PERSONS = {"4d": 4000, "1e5": 900, "1e6": 3600, "1e6j": 3600}  # others: 450 (a year)


def parts(size: str, seed: int = 7) -> list[tuple[dict[str, Hierarchy], pl.DataFrame]]:
    """The tables of one benchmark size: (hierarchies, inner counts) each. ``1e6``: the
    eight-year data, one table per year (each year's months under its quarters and the year,
    which is the table's total); every other size: one table."""
    hierarchies = scenario(size)
    inner = sparse_counts(hierarchies, persons=PERSONS.get(size, 450), seed=seed)
    if size != "1e6":
        return [(hierarchies, inner)]
    return [({**hierarchies, "month": time_hierarchy(months([y]))},
             inner.filter(pl.col("month").str.starts_with(f"{y}-")))
            for y in YEARS_1E6]


def naive_hidden(table: FullTable, confidential: np.ndarray) -> np.ndarray:
    """The naive pattern: every inner cell of each row (inner cells equal in every dimension
    but the last) that holds a confidential inner cell."""
    inner = ~table.is_aggregate().any(axis=1)
    n_codes = [len(table.codes[d]) for d in table.dimensions[:-1]]
    keys = np.ravel_multi_index(tuple(table.cell_codes[:, :-1].T), n_codes)
    in_row = np.isin(keys, keys[inner & confidential])
    return confidential | (inner & in_row & (table.counts > 0))


def naive_baseline(table: FullTable, policy: Policy) -> tuple[np.ndarray, np.ndarray, float]:
    """Naive rows hidden, then the engine's heuristic and LP repair: (confidential, hidden, s)."""
    start = time.perf_counter()
    confidential = primary_suppression(table, policy)
    engine = Engine(table, policy)
    hidden = engine.heuristic(naive_hidden(table, confidential), confidential)
    hidden = engine.repair(hidden, confidential)
    return confidential, hidden, time.perf_counter() - start


def measure(size: str, seed: int = 7, threshold: int = 5, baseline: bool = True) -> dict:
    """protect, audit (witnesses first, same verdict) and the naive baseline on the tables of
    one size (:func:`parts`), summed over its tables."""
    out: dict = {"size": size, "tables": 0}
    for hierarchies, inner in parts(size, seed):
        one = _measure_one(hierarchies, inner, Policy(threshold=threshold), baseline)
        out["tables"] += 1
        for key, value in one.items():
            if isinstance(value, bool):
                out[key] = out.get(key, True) and value
            elif key == "dims":
                out[key] = value
            else:
                out[key] = out.get(key, 0) + value
    return out


def _measure_one(hierarchies: dict[str, Hierarchy], inner: pl.DataFrame, policy: Policy,
                 baseline: bool) -> dict:
    start = time.perf_counter()
    table = build_full_table(inner, hierarchies)
    floor = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    result = protect(inner, hierarchies, policy=policy, run_audit=False)
    t_protect, c_protect = time.perf_counter() - start, time.process_time() - cpu
    print(f"{len(hierarchies)}-D table of {result.summary['cells']:,} cells: protect "
          f"{t_protect:.2f} s (CPU {c_protect:.2f} s), secondary {result.summary['secondary']}; "
          "the audit runs next", file=sys.stderr, flush=True)
    start, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
    report = audit(result.cells, hierarchies, None, policy, exact_intervals=False)
    t_audit, c_audit = time.perf_counter() - start, time.process_time() - cpu
    c_helper = _children_cpu() - kids  # the audit's helper process (lift_shards), if started
    s = result.summary
    out = {
        "dims": len(hierarchies),
        "cells": s["cells"],
        "inner": s["inner_cells"],
        "nonzero": int((inner["count"] > 0).sum()),
        "primary": s["primary"],
        "secondary": s["secondary"],
        "loss_sum": s["information_loss_sum"],
        "protect_s": t_protect,
        "audit_s": t_audit,
        "protect_cpu_s": c_protect,
        "audit_cpu_s": c_audit + c_helper,
        "audit_helper_cpu_s": c_helper,
        "total_s": t_protect + t_audit,
        "audit_ok": report.ok,
        "floor_s": floor,
    }
    if baseline:
        confidential, hidden, t_naive = naive_baseline(table, policy)
        secondary = hidden & ~confidential
        cells = table.frame(
            np.where(confidential, "primary", np.where(hidden, "secondary", "published"))
        )
        naive_ok = audit(cells.drop("_cell"), hierarchies, None, policy, exact_intervals=False).ok
        out.update(
            naive_secondary=int(secondary.sum()),
            naive_loss_sum=int(table.counts[secondary].sum()),
            naive_s=t_naive,
            naive_audit_ok=naive_ok,
        )
    return out


def _children_cpu() -> float:
    """CPU seconds of this process's finished child processes (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(size: str, seed: int, threshold: int, baseline: bool) -> dict:
    m = measure(size, seed, threshold, baseline)
    line = (
        f"{size:>4}: tables={m['tables']} dims={m['dims']} cells={m['cells']} inner={m['inner']} "
        f"(non-zero {m['nonzero']}) primary={m['primary']} secondary={m['secondary']} "
        f"loss_sum={m['loss_sum']} protect={m['protect_s']:.2f}s "
        f"(cpu {m['protect_cpu_s']:.2f}s) audit={m['audit_s']:.2f}s (cpu {m['audit_cpu_s']:.2f}s"
        f", of which helper {m['audit_helper_cpu_s']:.2f}s) protect+audit={m['total_s']:.2f}s "
        f"audit_ok={m['audit_ok']} floor={m['floor_s']:.2f}s"
    )
    if baseline:
        line += (
            f" | naive: secondary={m['naive_secondary']} loss_sum={m['naive_loss_sum']} "
            f"{m['naive_s']:.2f}s audit_ok={m['naive_audit_ok']}"
        )
    print(line, flush=True)
    return m


def not_run_1e6(measured: dict[str, dict]) -> str:
    """Why the 10^6 data as one table is not run, with the time extrapolated from the 10^4
    and 10^5 tables of the same run (CPU seconds growing as a power of the number of cells)."""
    reason = f"1e6j: NOT RUN (--run-1e6 runs it; {WHY_NOT_1E6J})"
    if not {"1e4", "1e5"} <= measured.keys():
        return reason + " (run --sizes 1e4,1e5,1e6j for an extrapolated time)"
    a, b = measured["1e4"], measured["1e5"]
    estimates = []
    for key in ("protect_cpu_s", "audit_cpu_s"):
        power = math.log(b[key] / a[key]) / math.log(b["cells"] / a["cells"])
        estimate = b[key] * (1e6 / b["cells"]) ** power
        estimates.append(f"{key.split('_')[0]} ~{estimate:,.0f} CPU s (cells^{power:.1f})")
    return reason + "; extrapolated from 1e4 and 1e5: " + ", ".join(estimates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="4d,1e3,1e4,1e5")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=int, default=5)
    parser.add_argument("--run-1e6", action="store_true",
                        help="really run 1e6j, the 10^6 data as one table with multi-year "
                             "totals (does not finish) instead of printing NOT RUN")
    args = parser.parse_args()
    measured: dict[str, dict] = {}
    for size in args.sizes.split(","):
        if size == "1e6j" and not args.run_1e6:
            print(not_run_1e6(measured), flush=True)
            continue
        measured[size] = run(size, args.seed, args.threshold, not args.no_baseline)


if __name__ == "__main__":
    main()
