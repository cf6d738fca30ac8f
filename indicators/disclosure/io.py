"""Reading and checking the inputs: inner cells and hierarchies (CSV or data frames)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from indicators.disclosure.errors import DisclosureInputError
from indicators.disclosure.hierarchy import TOTAL, Hierarchy

HIERARCHY_COLUMNS = ("dimension", "code", "parent")


def _read_text_csv(path: str | Path) -> pl.DataFrame:
    """Every column as text; a file that cannot be read is a bilingual input error."""
    try:
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DisclosureInputError(
            f"não foi possível ler {path}: {exc}", f"cannot read {path}: {exc}"
        ) from exc


def read_inner_csv(path: str | Path) -> pl.DataFrame:
    """Inner cells: one text column per dimension plus ``count`` (whole numbers >= 0)."""
    raw = _read_text_csv(path)
    if "count" not in raw.columns:
        raise DisclosureInputError(
            f"{path}: falta a coluna 'count'", f"{path}: the 'count' column is missing"
        )
    text = raw["count"].str.strip_chars()
    as_int = text.cast(pl.Int64, strict=False)
    bad = raw.filter(as_int.is_null())
    if bad.height:
        raise DisclosureInputError(
            f"{path}: contagens que não são números inteiros: {bad['count'].head(5).to_list()}",
            f"{path}: counts that are not whole numbers: {bad['count'].head(5).to_list()}",
        )
    inner = raw.with_columns(as_int.alias("count"))
    validate_inner(inner, {})
    return inner


def read_hierarchy_csv(path: str | Path) -> dict[str, Hierarchy]:
    raw = _read_text_csv(path)
    missing = [c for c in HIERARCHY_COLUMNS if c not in raw.columns]
    if missing:
        raise DisclosureInputError(
            f"{path}: faltam as colunas {missing}", f"{path}: missing columns {missing}"
        )
    raw = raw.select(pl.col(c).str.strip_chars() for c in HIERARCHY_COLUMNS)
    if raw.null_count().sum_horizontal().item():
        raise DisclosureInputError(f"{path}: valores vazios", f"{path}: empty values")
    dup = raw.filter(pl.struct("dimension", "code").is_duplicated())
    if dup.height:
        rows = dup.select("dimension", "code").unique().head(5).rows()
        raise DisclosureInputError(
            f"{path}: código com mais de um pai: {rows}",
            f"{path}: code with more than one parent: {rows}",
        )
    out: dict[str, Hierarchy] = {}
    for (dimension,), part in raw.group_by("dimension", maintain_order=True):
        out[str(dimension)] = Hierarchy(
            str(dimension), dict(zip(part["code"], part["parent"], strict=True))
        )
    return out


def validate_inner(inner: pl.DataFrame, hierarchies: Mapping[str, Hierarchy]) -> None:
    """Check the inner cells; dimensions without a hierarchy are flat."""
    if "count" not in inner.columns:
        raise DisclosureInputError("falta a coluna 'count'", "the 'count' column is missing")
    dims = [c for c in inner.columns if c != "count"]
    if not dims:
        raise DisclosureInputError("não há colunas de dimensão", "there are no dimension columns")
    if not inner["count"].dtype.is_integer():
        raise DisclosureInputError(
            "as contagens têm de ser números inteiros", "counts must be whole numbers"
        )
    if inner["count"].null_count():
        raise DisclosureInputError("contagens em falta", "missing counts")
    negative = inner.filter(pl.col("count") < 0)
    if negative.height:
        raise DisclosureInputError(
            f"contagens negativas: {negative.head(3).rows()}",
            f"negative counts: {negative.head(3).rows()}",
        )
    for d in dims:
        if inner[d].null_count():
            raise DisclosureInputError(
                f"dimensão {d}: códigos vazios", f"dimension {d}: empty codes"
            )
    dup = inner.filter(pl.struct(dims).is_duplicated())
    if dup.height:
        raise DisclosureInputError(
            f"células repetidas: {dup.select(dims).head(3).rows()}",
            f"duplicate cells: {dup.select(dims).head(3).rows()}",
        )
    extra = [d for d in hierarchies if d not in dims]
    if extra:
        raise DisclosureInputError(
            f"hierarquias sem coluna no ficheiro interior: {extra}",
            f"hierarchies without a column in the inner file: {extra}",
        )
    for d in dims:
        codes = set(inner[d].cast(pl.String).unique().to_list())
        if TOTAL in codes:
            raise DisclosureInputError(
                f"dimensão {d}: {TOTAL} não é um código interior",
                f"dimension {d}: {TOTAL} is not an inner code",
            )
        h = hierarchies.get(d)
        if h is None:
            continue
        known = set(h.parents)
        unknown = sorted(codes - known)
        if unknown:
            raise DisclosureInputError(
                f"dimensão {d}: códigos desconhecidos na hierarquia: {unknown[:10]}",
                f"dimension {d}: codes unknown to the hierarchy: {unknown[:10]}",
            )
        leaves = set(h.leaves())
        inner_totals = sorted(codes - leaves)
        if inner_totals:
            raise DisclosureInputError(
                f"dimensão {d}: códigos agregados no ficheiro interior: {inner_totals[:10]}",
                f"dimension {d}: aggregate codes in the inner file: {inner_totals[:10]}",
            )
