"""The partner-return contract: loaded from ``v1.toml``, the single machine-readable source."""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from indicators import reference

CONTRACT_FILE = Path(__file__).resolve().parent / "v1.toml"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    label_en: str
    label_pt: str
    aliases: tuple[str, ...]
    codes: tuple[str, ...] | None  # None: not a coded column (period, count)
    codes_by_return: dict[str, tuple[str, ...]]  # extra codes allowed only in one return type
    format: str | None
    extra_codes: tuple[str, ...] = ()  # codes beyond the reference list (codes_from)
    groups: tuple[str, ...] = ()  # the codes of the column's group breakdown, if any
    extra_code_groups: dict[str, str] = field(default_factory=dict)  # extra code -> group
    near_names: tuple[str, ...] = ()  # synonyms refused with "rename it" (not aliases)


@dataclass(frozen=True)
class ReturnSpec:
    name: str
    label_en: str
    label_pt: str
    columns: tuple[str, ...]

    @property
    def key_columns(self) -> tuple[str, ...]:
        """Columns that identify a cell (everything but ``count``)."""
        return tuple(c for c in self.columns if c != "count")


@dataclass(frozen=True)
class Contract:
    version: int
    first_period: str
    max_count: int
    max_file_bytes: int
    max_xlsx_uncompressed_bytes: int
    file_types: tuple[str, ...]  # accepted name endings, lower case (".csv", ".xlsx")
    returns: dict[str, ReturnSpec]
    columns: dict[str, ColumnSpec]

    def allowed_codes(self, column: str, return_type: str) -> tuple[str, ...] | None:
        """Codes allowed in ``column`` of ``return_type``; None for uncoded columns."""
        spec = self.columns[column]
        if spec.codes is None:
            return None
        return spec.codes + spec.codes_by_return.get(return_type, ())

    @property
    def outside_districts(self) -> tuple[str, ...]:
        """Geography codes that are not districts (``ABROAD``, ``UNKNOWN``)."""
        return self.columns["district"].extra_codes

    @property
    def geo_codes(self) -> tuple[str, ...]:
        """Every district code, then the codes outside the districts."""
        return self.columns["district"].codes or ()

    @property
    def citizenship_groups(self) -> tuple[str, ...]:
        """The codes of the ``citizenship_group`` breakdown."""
        return self.columns["citizenship"].groups

    def canonical_column(self, header: str) -> str | None:
        """Map a header as a partner wrote it to a contract column name, or None."""
        return self._alias_index.get(normalise_header(header))

    def likely_column(self, header: str) -> str | None:
        """The contract column a header that is not accepted most likely means, or None.

        A header means a column when, normalised and without punctuation, it is one of
        the column's names, aliases or ``near_names`` (``genero`` → ``sex``, ``Sex.`` →
        ``sex``), or a close spelling (:func:`difflib.get_close_matches`, ratio ≥ 0.8) of one
        of six letters or more (``distritos`` → ``district``); shorter names are too easily
        close to unrelated words (``cidade`` and ``idade``). Only a suggestion: such a
        header is still refused until it is renamed.
        """
        norm = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "", normalise_header(header)))
        names = {**self._near_index, **self._alias_index}
        if (exact := norm.strip("_")) in names:
            return names[exact]
        long = [name for name in names if len(name) >= 6]
        close = difflib.get_close_matches(norm, long, n=1, cutoff=0.8)
        return names[close[0]] if close else None

    def detect_return_type(self, columns: set[str]) -> str | None:
        """The return type whose column set best matches ``columns`` (canonical names).

        Exact match wins; otherwise the type sharing the most distinctive columns.
        """
        best, best_score = None, 0
        for name, spec in self.returns.items():
            if set(spec.columns) == columns:
                return name
            distinctive = set(spec.columns) - self._common_columns
            score = len(distinctive & columns)
            if score > best_score:
                best, best_score = name, score
        return best

    @cached_property
    def _alias_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for spec in self.columns.values():
            for alias in (spec.name, *spec.aliases):
                index[normalise_header(alias)] = spec.name
        return index

    @cached_property
    def _near_index(self) -> dict[str, str]:
        return {normalise_header(near): spec.name for spec in self.columns.values()
                for near in spec.near_names}

    @cached_property
    def _common_columns(self) -> frozenset[str]:
        sets = [set(spec.columns) for spec in self.returns.values()]
        return frozenset(set.intersection(*sets))


def normalise_header(text: str) -> str:
    """Lower case, accents removed, spaces and hyphens to underscores, trimmed."""
    text = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return "_".join(text.replace("-", " ").split())


def _column(name: str, raw: dict) -> ColumnSpec:
    codes: tuple[str, ...] | None = None
    if "codes" in raw:
        codes = tuple(raw["codes"])
    elif "codes_from" in raw:
        codes = reference.code_list(raw["codes_from"]) + tuple(raw.get("extra_codes", ()))
    return ColumnSpec(
        name=name,
        label_en=raw["label_en"],
        label_pt=raw["label_pt"],
        aliases=tuple(raw.get("aliases", ())),
        codes=codes,
        codes_by_return={k: tuple(v) for k, v in raw.get("extra_codes_by_return", {}).items()},
        format=raw.get("format"),
        extra_codes=tuple(raw.get("extra_codes", ())) if "codes_from" in raw else (),
        groups=tuple(raw.get("groups", ())),
        extra_code_groups=dict(raw.get("extra_code_groups", {})),
        near_names=tuple(raw.get("near_names", ())),
    )


@cache
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return Contract(
        version=raw["version"],
        first_period=raw["first_period"],
        max_count=raw["max_count"],
        max_file_bytes=raw["max_file_bytes"],
        max_xlsx_uncompressed_bytes=raw["max_xlsx_uncompressed_bytes"],
        file_types=tuple(suffix.lower() for suffix in raw["file_types"]),
        returns={
            name: ReturnSpec(name=name, label_en=r["label_en"], label_pt=r["label_pt"],
                             columns=tuple(r["columns"]))
            for name, r in raw["returns"].items()
        },
        columns={name: _column(name, c) for name, c in raw["columns"].items()},
    )
