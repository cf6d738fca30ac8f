"""The protection problems declared as data (``problems.toml``, keys explained in its header).

A declaration names the indicator whose rule protects it, the mart, the time grain and the
dimensions; :mod:`indicators.problems.building` turns it into one problem per calendar year.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indicators.registry import REGISTRY_DIR, Registry, RegistryError

PROBLEMS_FILE = REGISTRY_DIR / "problems.toml"
TIME_KINDS = ("month", "quarter", "complete_quarter", "year")
SMALL_QUARTERLY_SPLIT = "small_quarterly_split"


@dataclass(frozen=True)
class DimensionSpec:
    """A dimension read from another cube column (``column``) or split out of one (``of``
    into its registry group ``group`` and ``rest``)."""

    column: str | None = None
    of: str | None = None
    group: str | None = None
    rest: str | None = None


@dataclass(frozen=True)
class ProblemDeclaration:
    """One set of protection problems (one per calendar year)."""

    name: str
    indicator: str
    cube: str
    time: str
    dimensions: tuple[str, ...]
    order: tuple[str, ...]
    split: str | None = None
    breakdown: str | None = None
    never_published: str | dict[str, tuple[str, ...]] | None = None
    districts_left_out: bool = False

    @property
    def geo(self) -> str | None:
        """The dimension giving the geo of a value (``district``), or None (Portugal)."""
        return "district" if "district" in self.dimensions else None


@dataclass(frozen=True)
class Declarations:
    problems: tuple[ProblemDeclaration, ...]
    dimensions: dict[str, DimensionSpec]


def _each_breakdown(entry: dict, registry: Registry) -> list[dict]:
    """``each_breakdown``: one entry per breakdown of the indicator (the last dimension)."""
    if not entry.get("each_breakdown"):
        return [entry]
    skip = {"_T", *entry.get("except", [])}
    out = []
    for b in registry.get(entry["indicator"]).breakdowns:
        if b not in skip:
            out.append({**entry, "name": entry["name"].format(breakdown=b), "breakdown": b,
                        "dimensions": [*entry["dimensions"], b]})
    return out


def _declaration(entry: dict, path: Path) -> ProblemDeclaration:
    dims = tuple(entry.get("dimensions", ()))
    order = tuple(entry.get("order", dims))
    if entry.get("time") not in TIME_KINDS or sorted(order) != sorted(dims):
        raise RegistryError(f"{path.name}: problem {entry.get('name')}: time must be one of "
                            f"{TIME_KINDS} and order a permutation of dimensions")
    never = entry.get("never_published")
    if isinstance(never, dict):
        never = {d: tuple(codes) for d, codes in never.items()}
    elif never not in (None, SMALL_QUARTERLY_SPLIT):
        raise RegistryError(f"{path.name}: problem {entry['name']}: unknown never_published "
                            f"{never!r}")
    return ProblemDeclaration(
        name=entry["name"], indicator=entry["indicator"], cube=entry["cube"],
        time=entry["time"], dimensions=dims, order=order, split=entry.get("split"),
        breakdown=entry.get("breakdown"), never_published=never,
        districts_left_out=bool(entry.get("districts_left_out", False)))


@cache
def _raw(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def headline_monthly(path: Path = PROBLEMS_FILE) -> tuple[str, ...]:
    """Indicators whose national monthly and quarterly totals (and district yearly totals)
    are headline figures (``headline_monthly``)."""
    return tuple(_raw(path).get("headline_monthly", ()))


def load_declarations(registry: Registry, path: Path = PROBLEMS_FILE) -> Declarations:
    """Every problem declaration, ``each_breakdown`` expanded over the registry."""
    data = _raw(path)
    for code in headline_monthly(path):
        registry.get(code)                 # KeyError names an unknown indicator
    problems = []
    for entry in data.get("problem", []):
        registry.get(entry["indicator"])   # KeyError names an unknown indicator
        problems += [_declaration(e, path) for e in _each_breakdown(entry, registry)]
    dims = {name: DimensionSpec(**spec) for name, spec in data.get("dimensions", {}).items()}
    return Declarations(tuple(problems), dims)
