"""Derived values (rates, shares, changes) follow the suppression of their inputs."""

from __future__ import annotations

import polars as pl

HIDDEN = ("primary", "secondary")


def suppress_derived(
    frame: pl.DataFrame,
    value: str,
    inputs: list[str],
    status_suffix: str = "_status",
) -> pl.DataFrame:
    """Null ``value`` (and mark ``<value>_status`` as ``suppressed``) where any input is hidden.

    ``inputs`` are the names of the counts the value is computed from; each must have a status
    column ``<input><status_suffix>`` with values published / primary / secondary.
    """
    hidden = pl.lit(False)
    for name in inputs:
        hidden = hidden | pl.col(f"{name}{status_suffix}").is_in(HIDDEN)
    return frame.with_columns(
        pl.when(hidden).then(None).otherwise(pl.col(value)).alias(value),
        pl.when(hidden)
        .then(pl.lit("suppressed"))
        .otherwise(pl.lit("published"))
        .alias(f"{value}{status_suffix}"),
    )


def rate(numerator: int | None, denominator: int | None, per: float = 1.0) -> float | None:
    """A rate from published counts only: ``None`` when either count is hidden (``None``)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * per
