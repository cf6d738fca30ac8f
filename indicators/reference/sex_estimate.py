"""Estimated split by sex of a district's Census 2021 population (Eurostat flag ``e``).

Where INE's split by sex of a district is not in the reference data, the split is estimated
as a statistics office would: an auxiliary source's women share (geoapi-pt's aggregation of
INE's BGRI 2021, which covers most but not all of the district) applied to INE's district
total, then raked (iterative proportional fitting) so that

* men + women equals INE's total of each district, and
* the estimated districts' men and women add up exactly to what INE's national men and
  women leave after the districts with a verified split.

Raking a two-column table keeps the districts' odds women : men in the same ratio to one
another as in the auxiliary source (IPF preserves cross-product ratios); only one common
factor moves. The final integers are rounded by largest remainder, so both margins stay exact.
See ``scripts/estimate_district_sex.py`` and ``SOURCES.md``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

GEOAPI_FILE = Path(__file__).resolve().parent / "geoapi_bgri2021_sex.csv"


@dataclass(frozen=True)
class AuxiliarySplit:
    """One district's population by sex in the auxiliary source (geoapi-pt BGRI 2021)."""

    code: str
    total: int
    men: int
    women: int
    source: str

    @property
    def women_share(self) -> float:
        return self.women / self.total


@dataclass(frozen=True)
class SexEstimate:
    """The estimated split of one district, with the evidence of how far raking moved it."""

    code: str
    total: int  # INE's district total
    men: int
    women: int
    coverage: float  # auxiliary total / INE total
    aux_women_share: float  # women share in the auxiliary source

    @property
    def women_share(self) -> float:
        return self.women / self.total

    @property
    def adjustment_pp(self) -> float:
        """Final minus auxiliary women share, in percentage points."""
        return (self.women_share - self.aux_women_share) * 100.0


def auxiliary_splits(path: Path = GEOAPI_FILE) -> dict[str, AuxiliarySplit]:
    """The geoapi-pt BGRI 2021 figures copied into the project (``geoapi_bgri2021_sex.csv``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = {}
    for r in rows:
        split = AuxiliarySplit(
            code=r["code"], total=int(r["geoapi_total"]), men=int(r["geoapi_men"]),
            women=int(r["geoapi_women"]),
            source=f"{r['repo']}@{r['commit'][:12]}:{r['path']}")
        if split.men + split.women != split.total:
            raise ValueError(f"{path.name}: {r['code']} men + women != total")
        out[split.code] = split
    return out


def rake_women(totals: dict[str, int], women_shares: dict[str, float], men: int, women: int,
               tolerance: float = 1e-9, max_iterations: int = 1000) -> dict[str, float]:
    """Iterative proportional fitting of the table district x (women, men).

    Starts from ``women_shares[code] * totals[code]``; alternately scales the women and men
    columns to ``women`` and ``men`` and each row back to its total. Returns fractional women.
    """
    if sum(totals.values()) != men + women:
        raise ValueError(f"district totals {sum(totals.values())} != men {men} + women {women}")
    w = {c: women_shares[c] * t for c, t in totals.items()}
    m = {c: t - w[c] for c, t in totals.items()}
    for _ in range(max_iterations):
        fw, fm = women / sum(w.values()), men / sum(m.values())
        w = {c: v * fw for c, v in w.items()}
        m = {c: v * fm for c, v in m.items()}
        for c, t in totals.items():
            row = w[c] + m[c]
            w[c], m[c] = w[c] * t / row, m[c] * t / row
        if abs(sum(w.values()) - women) < tolerance:
            return w
    raise ArithmeticError("raking did not converge")


def round_to_total(values: dict[str, float], total: int) -> dict[str, int]:
    """Integers summing to ``total``: floors, then +1 to the largest remainders."""
    floors = {c: math.floor(v) for c, v in values.items()}
    short = total - sum(floors.values())
    if not 0 <= short <= len(values):
        raise ValueError(f"cannot round {sum(values.values())} to {total}")
    by_remainder = sorted(values, key=lambda c: (values[c] - floors[c], c), reverse=True)
    for code in by_remainder[:short]:
        floors[code] += 1
    return floors


def estimate_sex(totals: dict[str, int], aux: dict[str, AuxiliarySplit], men: int,
                 women: int) -> dict[str, SexEstimate]:
    """Estimated men and women of each district in ``totals`` (INE totals), raked so that
    the districts add up to ``men`` and ``women`` and each row to its INE total."""
    missing = sorted(set(totals) - set(aux))
    if missing:
        raise KeyError(f"no auxiliary split by sex for {missing}")
    raked = rake_women(totals, {c: aux[c].women_share for c in totals}, men, women)
    women_int = round_to_total(raked, women)
    return {
        c: SexEstimate(code=c, total=t, men=t - women_int[c], women=women_int[c],
                       coverage=aux[c].total / t, aux_women_share=aux[c].women_share)
        for c, t in totals.items()
    }
