"""The indicator registry: one declarative entry per indicator (``indicators.toml``).

Baselines and targets of the EEA Grants results live in ``targets.toml`` (path overridable
with the environment variable ``OBS_TARGETS_FILE``); expected partner returns and their due
dates in ``expected_returns.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from pathlib import Path

from indicators.settings import DEFAULT_TARGETS_FILE, load_settings

REGISTRY_DIR = Path(__file__).resolve().parent
REGISTRY_FILE = REGISTRY_DIR / "indicators.toml"
TARGETS_FILE = DEFAULT_TARGETS_FILE
EXPECTED_FILE = REGISTRY_DIR / "expected_returns.toml"

KINDS = ("count", "derived")
METHODS = ("rate", "share", "change", "change_pct")
GRAINS = ("month", "quarter", "year", "r12", "ytd")
FAMILIES = ("victims", "support", "activities")
FAMILY_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "victims": ("sex", "age_group", "citizenship_group", "citizenship", "exploitation",
                "signalled_by"),
    "support": ("sex", "age_group", "support"),
    "activities": ("sex", "audience"),
}


class RegistryError(ValueError):
    """The registry (or targets file) is inconsistent."""


@dataclass(frozen=True)
class Disclosure:
    """Small-cell rule: counts 1 <= n < threshold are confidential; None = no suppression."""

    threshold: int | None
    zeros_publishable: bool = True

    @property
    def applies(self) -> bool:
        return self.threshold is not None

    def plain_en(self) -> str:
        if not self.applies:
            return "Not applied (counts of outputs or of professionals, not of victims)."
        zeros = "zeros are published" if self.zeros_publishable else "zeros are also suppressed"
        return (f"Counts from 1 to {self.threshold - 1} are confidential (threshold k = "
                f"{self.threshold}); {zeros}; secondary suppression protects them.")

    def plain_pt(self) -> str:
        if not self.applies:
            return "Não aplicado (contagens de produtos ou de profissionais, não de vítimas)."
        zeros = ("os zeros são publicados" if self.zeros_publishable
                 else "os zeros também são suprimidos")
        return (f"Contagens de 1 a {self.threshold - 1} são confidenciais (limiar k = "
                f"{self.threshold}); {zeros}; a supressão secundária protege-as.")


@dataclass(frozen=True)
class Target:
    baseline_value: float
    baseline_year: int
    target_value: float
    target_year: int


@dataclass(frozen=True)
class Indicator:
    code: str
    family: str
    kind: str
    unit: str
    name_pt: str
    name_en: str
    definition_pt: str
    definition_en: str
    source_return: str
    measure: str
    breakdowns: tuple[str, ...]
    district_breakdowns: tuple[str, ...]
    grains: tuple[str, ...]
    district_grains: tuple[str, ...]
    disclosure: Disclosure
    breakdown_grains: tuple[str, ...] = ("year",)
    district_breakdown_grains: tuple[str, ...] = ("year",)
    sql: str | None = None
    filter: dict[str, tuple[str, ...]] = field(default_factory=dict)
    method: str | None = None
    base: str | None = None
    per: int | None = None
    numerator: tuple[str, tuple[str, ...]] | None = None   # (breakdown, codes)
    level: str | None = None          # EEA Grants: outcome | output
    sdg: str | None = None
    target: Target | None = None

    def national_grains(self, breakdown: str) -> tuple[str, ...]:
        """Grains published nationally for a breakdown (``_T``: every grain)."""
        if breakdown == "_T":
            return self.grains
        return tuple(g for g in self.grains if g in self.breakdown_grains)

    def district_grains_for(self, breakdown: str) -> tuple[str, ...]:
        """Grains published by district for a breakdown (``_T``: every district grain)."""
        if breakdown == "_T":
            return self.district_grains
        return tuple(g for g in self.district_grains if g in self.district_breakdown_grains)

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    @property
    def is_eea(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Registry:
    indicators: tuple[Indicator, ...]
    hierarchies: dict[str, dict[str, str]]
    code_labels: dict[str, dict[str, str]]
    breakdown_labels: dict[str, dict[str, str]]
    targets_illustrative: bool
    results_start: date
    tolerance: float
    # interim-report periods of a year as (first month, last month), from targets.toml
    interim_periods: tuple[tuple[int, int], ...] = ((1, 4), (5, 8), (9, 12))

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def order_key(self, code: str) -> tuple[int, str]:
        """Sort key of an indicator in the registry's order (``indicators.toml``: counts,
        rates, changes, shares; the results framework's order): one order for every list; an
        indicator the registry no longer has (an old release's) after the others, by code."""
        return self._positions.get(code, len(self._positions)), code

    def counts(self, family: str | None = None) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators
                     if i.is_count and (family is None or i.family == family))

    def derived(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if not i.is_count)

    def parent(self, dimension: str, code: str) -> str:
        """The parent of a leaf code in a breakdown hierarchy (``_T`` at the top)."""
        return self.hierarchies.get(dimension, {}).get(code, "_T")

    def parents(self, dimension: str, codes: Iterable[str]) -> dict[str, str]:
        """code -> parent for ``codes`` and their groups (a group's parent is ``_T``)."""
        out: dict[str, str] = {}
        for code in codes:
            out[code] = self.parent(dimension, code)
            if out[code] != "_T":
                out[out[code]] = "_T"
        return out


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def targets_path() -> Path:
    return load_settings().paths.targets_file


def _load_targets(path: Path) -> tuple[dict[str, Target], bool, date, float]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    targets = {
        code: Target(baseline_value=float(t["baseline"]["value"]),
                     baseline_year=int(t["baseline"]["year"]),
                     target_value=float(t["target"]["value"]),
                     target_year=int(t["target"]["year"]))
        for code, t in data.get("targets", {}).items()
    }
    return (targets, bool(data.get("illustrative", False)), _month(data.get("start", "2021-01")),
            float(data.get("tolerance", 0.0)))


def _interim_periods(path: Path) -> tuple[tuple[int, int], ...]:
    """``interim_periods = ["01-04", "05-08", "09-12"]`` of targets.toml as month pairs;
    they must cover the year in order without gaps."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    spans = []
    for text in data.get("interim_periods", ["01-04", "05-08", "09-12"]):
        first, last = (int(x) for x in text.split("-"))
        spans.append((first, last))
    expected = 1
    for first, last in spans:
        if first != expected or last < first or last > 12:
            raise RegistryError(f"{path.name}: interim_periods must cover January to "
                                f"December in order, without gaps: {spans}")
        expected = last + 1
    if expected != 13:
        raise RegistryError(f"{path.name}: interim_periods must end in December: {spans}")
    return tuple(spans)


@dataclass(frozen=True)
class ProjectIdentity:
    """The EEA Grants project as the donor report names it (``[project]`` of targets.toml)."""

    programme: str
    code: str
    promoter: str
    operator: str
    donor_programme_partner: str
    grant_eur: int


def project_identity(targets_file: Path | None = None) -> ProjectIdentity:
    data = tomllib.loads((targets_file or targets_path()).read_text(encoding="utf-8"))
    p = data["project"]
    return ProjectIdentity(programme=p["programme"], code=p["code"], promoter=p["promoter"],
                           operator=p["operator"],
                           donor_programme_partner=p["donor_programme_partner"],
                           grant_eur=int(p["grant_eur"]))


def _disclosure(entry: dict, defaults: dict) -> Disclosure:
    rule = entry.get("disclosure", {})
    if rule == "none":
        return Disclosure(threshold=None)
    rule = rule or {}
    return Disclosure(threshold=int(rule.get("threshold", defaults["threshold"])),
                      zeros_publishable=bool(rule.get("zeros_publishable",
                                                      defaults["zeros_publishable"])))


def _indicator(entry: dict, defaults: dict, targets: dict[str, Target]) -> Indicator:
    numerator = entry.get("numerator")
    return Indicator(
        code=entry["code"], family=entry["family"], kind=entry["kind"], unit=entry["unit"],
        name_pt=entry["name_pt"], name_en=entry["name_en"],
        definition_pt=entry["definition_pt"], definition_en=entry["definition_en"],
        source_return=entry["source_return"], measure=entry["measure"],
        breakdowns=tuple(entry.get("breakdowns", ["_T"])),
        district_breakdowns=tuple(entry.get("district_breakdowns", [])),
        grains=tuple(entry.get("grains", defaults["grains"])),
        district_grains=tuple(entry.get("district_grains", defaults["district_grains"])),
        disclosure=_disclosure(entry, defaults),
        breakdown_grains=tuple(entry.get("breakdown_grains", defaults["breakdown_grains"])),
        district_breakdown_grains=tuple(entry.get("district_breakdown_grains",
                                                  defaults["district_breakdown_grains"])),
        sql=entry.get("sql"),
        filter={k: tuple(v) for k, v in entry.get("filter", {}).items()},
        method=entry.get("method"), base=entry.get("base"), per=entry.get("per"),
        numerator=(numerator["breakdown"], tuple(numerator["codes"])) if numerator else None,
        level=entry.get("level"), sdg=entry.get("sdg"), target=targets.get(entry["code"]),
    )


def validate(registry: Registry) -> None:
    """Raise RegistryError on an inconsistent registry."""
    seen: set[str] = set()
    for ind in registry.indicators:
        if ind.code in seen:
            raise RegistryError(f"duplicate indicator code {ind.code}")
        seen.add(ind.code)
        if ind.kind not in KINDS:
            raise RegistryError(f"{ind.code}: unknown kind {ind.kind!r}")
        if ind.family not in FAMILIES:
            raise RegistryError(f"{ind.code}: unknown family {ind.family!r}")
        for grain in (ind.grains + ind.district_grains + ind.breakdown_grains
                      + ind.district_breakdown_grains):
            if grain not in GRAINS:
                raise RegistryError(f"{ind.code}: unknown grain {grain!r}")
        dims = FAMILY_DIMENSIONS[ind.family]
        for b in ind.breakdowns + ind.district_breakdowns:
            if b != "_T" and b not in dims:
                raise RegistryError(f"{ind.code}: breakdown {b!r} not in family {ind.family}")
        if ind.is_count:
            if not ind.sql or not ind.filter:
                raise RegistryError(f"{ind.code}: a count needs sql and filter")
        else:
            if ind.method not in METHODS:
                raise RegistryError(f"{ind.code}: unknown method {ind.method!r}")
            if ind.base not in seen or not registry.get(ind.base).is_count:
                raise RegistryError(f"{ind.code}: base {ind.base!r} must be an earlier count")
            if ind.method == "share" and ind.numerator is None:
                raise RegistryError(f"{ind.code}: a share needs a numerator")
        if ind.is_eea and ind.level not in ("outcome", "output"):
            raise RegistryError(f"{ind.code}: level must be outcome or output")
    for code in registry.codes:
        ind = registry.get(code)
        if ind.is_eea and ind.target is None:
            raise RegistryError(f"{code}: EEA Grants indicator without a target")


def _stamp(path: Path) -> tuple[str, int, int]:
    """What identifies one version of a file: its path, modification time and size."""
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def load_registry(path: Path | None = None, targets_file: Path | None = None) -> Registry:
    """Read and check the registry and the targets file. The result is kept per version of
    the two files (path, modification time, size): one refresh asks for it in every step and
    the dashboard's report pages for every label, and parsing + checking costs ~40 ms."""
    path = path or REGISTRY_FILE
    targets_file = targets_file or targets_path()
    return _load_registry_version(_stamp(path), _stamp(targets_file))


@lru_cache(maxsize=8)
def _load_registry_version(registry_stamp: tuple[str, int, int],
                           targets_stamp: tuple[str, int, int]) -> Registry:
    path, targets_file = Path(registry_stamp[0]), Path(targets_stamp[0])
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    targets, illustrative, start, tolerance = _load_targets(targets_file)
    defaults = data["defaults"]
    registry = Registry(
        indicators=tuple(_indicator(e, defaults, targets) for e in data["indicator"]),
        hierarchies={k: dict(v) for k, v in data.get("hierarchies", {}).items()},
        code_labels=data.get("code_labels", {}),
        breakdown_labels=data.get("breakdown_labels", {}),
        targets_illustrative=illustrative, results_start=start, tolerance=tolerance,
        interim_periods=_interim_periods(targets_file),
    )
    validate(registry)
    return registry


@dataclass(frozen=True)
class ExpectedReturn:
    partner: str
    return_type: str
    first: date
    last: date | None


@dataclass(frozen=True)
class Expectations:
    due_days: int
    entries: tuple[ExpectedReturn, ...]


@cache
def _expected_cached(path: str) -> Expectations:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    entries = tuple(
        ExpectedReturn(partner=e["partner"], return_type=rt, first=_month(e["from"]),
                       last=_month(e["to"]) if e.get("to") else None)
        for e in data["expected"] for rt in e["returns"]
    )
    return Expectations(due_days=int(data.get("due_days", 10)), entries=entries)


def load_expected(path: Path | None = None) -> Expectations:
    return _expected_cached(str(path or EXPECTED_FILE))
