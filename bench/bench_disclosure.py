"""Benchmark: protect() and audit() on realistic sparse tables of ~10^3, 10^4 and 10^5 cells.

Run:  .venv/bin/python bench/bench_disclosure.py [--sizes 1e3,1e4,1e5] [--seed 7]

The counts imitate trafficking returns: a few hundred persons a year spread over districts
(weighted), ages, sexes, forms of exploitation and months, so most inner cells are 0 and most
non-zero cells are small. Prints time for protect (without audit), number of cells, primary
and secondary suppressions, information loss, and the audit time separately.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import polars as pl

from indicators.disclosure import Hierarchy, Policy, audit, protect, time_hierarchy

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


def scenario(size: str) -> dict[str, Hierarchy]:
    if size == "4d":  # district x sex x age group x citizenship, every level hierarchical
        return {
            "district": grouped("district", REGIONS),
            "sex": Hierarchy.flat("sex", ["F", "M"]),
            "age": grouped("age", AGES7),
            "citizenship": grouped("citizenship", CITIZENSHIP),
        }
    h = {"district": grouped("district", REGIONS), "age": grouped("age", AGES)}
    if size == "1e3":
        h["sex"] = Hierarchy.flat("sex", ["F", "M"])
    elif size == "1e4":
        h["sex"] = Hierarchy.flat("sex", ["F", "M"])
        h["month"] = time_hierarchy([f"2024-{m:02d}" for m in range(1, 13)])
    else:
        h["form"] = grouped("form", FORMS)
        h["month"] = time_hierarchy([f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)])
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


def run(size: str, seed: int, threshold: int) -> None:
    hierarchies = scenario(size)
    persons = {"4d": 4000, "1e5": 900}.get(size, 450)
    inner = sparse_counts(hierarchies, persons=persons, seed=seed)
    policy = Policy(threshold=threshold)
    start = time.perf_counter()
    result = protect(inner, hierarchies, policy=policy, run_audit=False)
    t_protect = time.perf_counter() - start
    start = time.perf_counter()
    report = audit(result.cells, hierarchies, None, policy)
    t_audit = time.perf_counter() - start
    s = result.summary
    nonzero = int((inner["count"] > 0).sum())
    print(
        f"{size:>4}: dims={len(hierarchies)} cells={s['cells']} inner={s['inner_cells']} "
        f"(non-zero {nonzero}) primary={s['primary']} secondary={s['secondary']} "
        f"loss_sum={s['information_loss_sum']} protect={t_protect:.2f}s "
        f"audit={t_audit:.2f}s audit_ok={report.ok}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1e3,1e4,1e5")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        run(size, args.seed, args.threshold)


if __name__ == "__main__":
    main()
