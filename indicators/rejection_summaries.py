"""The rows of ``published.rejections``: each rejected file's rules and a short summary in
Portuguese and English ("2 problemas; primeiro: unknown_column, linha 1"), worded by the
translation table so that one problem reads "1 problem", never "1 problem(s)"."""

from __future__ import annotations

import duckdb
import polars as pl

from indicators.i18n import t, tn
from indicators.warehouse import read_sql

COLUMNS = ("file_name", "received_at", "partner", "rules", "summary_en", "summary_pt")


def summary(problems: int, first_rule: str, first_row: str | None, lang: str) -> str:
    """``"1 problem; first: unknown_column, row 3"`` in ``lang`` (no row when unknown)."""
    row = t("rej.row", lang, row=first_row) if first_row else ""
    return t("rej.summary", lang, problems=tn("n.problems", problems, lang), rule=first_rule,
             row=row)


def published_rejections(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every rejected file of the warehouse, newest first, as ``published.rejections``."""
    frame = con.sql(read_sql("pipeline/published_rejections.sql")).pl()
    texts = {lang: [summary(r["problems"], r["first_rule"], r["first_row"], lang)
                    for r in frame.iter_rows(named=True)] for lang in ("en", "pt")}
    return frame.with_columns(
        pl.Series("summary_en", texts["en"], dtype=pl.String),
        pl.Series("summary_pt", texts["pt"], dtype=pl.String)).select(COLUMNS)
