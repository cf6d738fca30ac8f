"""Hierarchies of codes for one dimension (code -> parent, root ``_T``) and time helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from indicators.disclosure.errors import DisclosureInputError

TOTAL = "_T"


@dataclass(frozen=True)
class Hierarchy:
    """One dimension's codes: ``parents`` maps every code except the root ``_T`` to its parent.

    A flat dimension has every code as a child of ``_T``. ``sums`` adds extra published codes,
    each defined as the sum of a set of codes of this dimension (for example a rolling
    12-month total or a year-to-date total beside monthly values); they are linked cells.
    """

    dimension: str
    parents: Mapping[str, str]
    sums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parents", dict(self.parents))
        object.__setattr__(self, "sums", {k: tuple(v) for k, v in self.sums.items()})
        self.validate()

    @classmethod
    def flat(cls, dimension: str, codes: Iterable[str]) -> Hierarchy:
        return cls(dimension, {code: TOTAL for code in codes})

    def validate(self) -> None:
        d = self.dimension
        if TOTAL in self.parents:
            raise DisclosureInputError(
                f"dimensão {d}: o código raiz {TOTAL} não pode ter pai",
                f"dimension {d}: the root code {TOTAL} cannot have a parent",
            )
        for code, parent in self.parents.items():
            if parent != TOTAL and parent not in self.parents:
                raise DisclosureInputError(
                    f"dimensão {d}: o pai {parent!r} do código {code!r} não existe na hierarquia",
                    f"dimension {d}: parent {parent!r} of code {code!r} is not in the hierarchy",
                )
        for code in self.parents:
            seen = {code}
            node = code
            while node != TOTAL:
                node = self.parents[node]
                if node in seen:
                    raise DisclosureInputError(
                        f"dimensão {d}: ciclo na hierarquia a partir do código {code!r}",
                        f"dimension {d}: cycle in the hierarchy starting at code {code!r}",
                    )
                seen.add(node)
        codes = set(self.parents) | {TOTAL}
        for name, members in self.sums.items():
            if name in codes:
                raise DisclosureInputError(
                    f"dimensão {d}: a soma {name!r} tem o nome de um código da hierarquia",
                    f"dimension {d}: sum {name!r} has the name of a hierarchy code",
                )
            unknown = [m for m in members if m not in codes]
            if unknown or not members:
                raise DisclosureInputError(
                    f"dimensão {d}: a soma {name!r} refere códigos desconhecidos {unknown}",
                    f"dimension {d}: sum {name!r} refers to unknown codes {unknown}",
                )

    def children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {code: [] for code in self.codes()}
        for code, parent in self.parents.items():
            out[parent].append(code)
        return out

    def codes(self) -> list[str]:
        """Every code: the root first, then the hierarchy codes, then the extra sums."""
        return [TOTAL, *self.parents, *self.sums]

    def leaves(self) -> list[str]:
        has_child = set(self.parents.values())
        return [code for code in self.parents if code not in has_child]

    def leaves_under(self) -> dict[str, list[str]]:
        """Every code (including sums) -> the leaf codes it adds up."""
        children = self.children()
        out: dict[str, list[str]] = {}

        def walk(code: str) -> list[str]:
            if code not in out:
                kids = children.get(code, [])
                out[code] = [code] if not kids else [leaf for k in kids for leaf in walk(k)]
            return out[code]

        for code in [TOTAL, *self.parents]:
            walk(code)
        for name, members in self.sums.items():
            leaves = [leaf for m in members for leaf in walk(m)]
            if len(set(leaves)) != len(leaves):
                raise DisclosureInputError(
                    f"dimensão {self.dimension}: a soma {name!r} conta um código duas vezes",
                    f"dimension {self.dimension}: sum {name!r} counts a code twice",
                )
            out[name] = leaves
        return out

    def depth(self, code: str) -> int:
        if code in self.sums:
            return 1
        n = 0
        while code != TOTAL:
            code = self.parents[code]
            n += 1
        return n

    def with_sums(self, sums: Mapping[str, Iterable[str]]) -> Hierarchy:
        merged = {**self.sums, **{k: tuple(v) for k, v in sums.items()}}
        return Hierarchy(self.dimension, self.parents, merged)


def time_hierarchy(months: Iterable[str], dimension: str = "month") -> Hierarchy:
    """Months ``YYYY-MM`` -> quarters ``YYYY-Qn`` -> years ``YYYY`` -> ``_T``."""
    parents: dict[str, str] = {}
    for month in sorted(set(months)):
        year, mm = _split_month(month)
        quarter = f"{year}-Q{(mm - 1) // 3 + 1}"
        parents[month] = quarter
        parents[quarter] = str(year)
        parents[str(year)] = TOTAL
    return Hierarchy(dimension, parents)


def _split_month(month: str) -> tuple[int, int]:
    try:
        year, mm = month.split("-")
        value = int(year), int(mm)
    except ValueError:
        value = (0, 0)
    if not 1 <= value[1] <= 12 or len(month) != 7:
        raise DisclosureInputError(
            f"mês inválido {month!r} (esperado AAAA-MM)",
            f"invalid month {month!r} (expected YYYY-MM)",
        )
    return value


def rolling_sums(months: Iterable[str], window: int = 12) -> dict[str, tuple[str, ...]]:
    """Rolling totals: ``YYYY-MM-R12`` = the ``window`` months ending in ``YYYY-MM``."""
    ordered = sorted(set(months))
    return {
        f"{ordered[i]}-R{window}": tuple(ordered[i - window + 1 : i + 1])
        for i in range(window - 1, len(ordered))
    }


def year_to_date_sums(months: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Year-to-date totals: ``YYYY-MM-YTD`` = January .. ``MM`` of that year (from February)."""
    ordered = sorted(set(months))
    out: dict[str, tuple[str, ...]] = {}
    for month in ordered:
        year, mm = _split_month(month)
        members = tuple(m for m in ordered if m[:4] == str(year) and m <= month)
        if mm > 1 and len(members) > 1:
            out[f"{month}-YTD"] = members
    return out
