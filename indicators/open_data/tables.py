"""What a published release holds, per audience (public < donor < analyst).

Nothing computed from partner files but protected statistics leaves through here: the
release's source returns are reduced to partner × return type × period × version (no hash,
no file name), and the rejections table never carries file names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import duckdb
import polars as pl

AUDIENCES: tuple[str, ...] = ("public", "donor", "analyst")
# table -> audience that may read it (indicator rows also need their indicator's audience)
TABLE_AUDIENCE: dict[str, str] = {
    "release_info": "public",
    "release_history": "public",
    "indicators": "public",
    "indicator_values": "public",
    "eea_results": "donor",
    "data_quality": "analyst",
    "rejections": "analyst",
    "source_returns": "analyst",
}
PROVENANCE_FIELDS = ("partner", "return_type", "period", "version")
INFO_FIELDS = ("release_id", "created_at", "latest_period", "latest_complete_period",
               "previous_release_id", "disclosure_threshold", "zeros_publishable",
               "synthetic")
REJECTION_FIELDS = ("received_at", "partner", "rules", "summary_en", "summary_pt")


def audiences_for(role: str) -> frozenset[str]:
    """The audiences a role may read (a role reads its own and every lower audience)."""
    have = AUDIENCES.index(role) if role in AUDIENCES else 0
    return frozenset(AUDIENCES[: have + 1])


def _sql(con: duckdb.DuckDBPyConnection, text: str, params: list[Any] | None = None
         ) -> pl.DataFrame:
    cursor = con.cursor()
    try:
        return (cursor.sql(text, params=params) if params else cursor.sql(text)).pl()
    finally:
        cursor.close()


def provenance(source_returns: Any) -> pl.DataFrame:
    """partner × return type × period × version of the returns a release was built from."""
    rows = json.loads(source_returns) if isinstance(source_returns, str) else (
        source_returns or [])
    clean = [{k: (None if r.get(k) is None else str(r.get(k))) for k in PROVENANCE_FIELDS}
             for r in rows]
    return pl.DataFrame(clean, schema=dict.fromkeys(PROVENANCE_FIELDS, pl.String)).sort(
        "partner", "return_type", "period", "version")


# what ``changes`` counts of the published values (each audience has its own, see
# indicators.publish.changes_by_audience)
COUNTED_CHANGES = ("values_added", "values_removed", "values_changed", "values_hidden",
                   "indicators_changed",
                   "summary_en", "summary_pt")


def top_audience(audiences: Iterable[str]) -> str:
    """The highest of ``audiences`` (public < donor < analyst): what they may read together."""
    ranks = [AUDIENCES.index(a) for a in audiences if a in AUDIENCES]
    return AUDIENCES[max(ranks, default=0)]


def release_info(con: duckdb.DuckDBPyConnection, prefix: str,
                 audiences: Iterable[str] | None = None) -> dict[str, Any]:
    """The public fields of ``release_info`` plus ``changes`` (counts and summaries); with
    ``audiences``, the counts, summaries and changed indicators are those of the values they
    may read (a release without per-audience counts gives them to analysts only)."""
    row = _sql(con, f"SELECT {', '.join(INFO_FIELDS)}, changes "
                    f"FROM {prefix}.release_info LIMIT 1").row(0, named=True)
    changes = row.pop("changes")
    changes = json.loads(changes) if isinstance(changes, str) else dict(changes or {})
    by_audience = changes.pop("by_audience", None) or {}
    if audiences is not None:
        top = top_audience(audiences)
        if top in by_audience:
            changes.update(by_audience[top])
        elif top != AUDIENCES[-1]:
            for key in COUNTED_CHANGES:
                changes.pop(key, None)
    row["changes"] = changes
    return row


def allowed_indicators(con: duckdb.DuckDBPyConnection, prefix: str,
                       audiences: Iterable[str]) -> list[str]:
    frame = _sql(con, f"SELECT code FROM {prefix}.indicators WHERE list_contains(?, audience) "
                      "ORDER BY code", [sorted(audiences)])
    return frame["code"].to_list()


def read_table(con: duckdb.DuckDBPyConnection, prefix: str, table: str,
               audiences: Iterable[str]) -> pl.DataFrame:
    """One published table as the given audiences may see it (``PermissionError`` if not)."""
    audiences = sorted(audiences)
    if TABLE_AUDIENCE.get(table) not in audiences:
        raise PermissionError(table)
    if table == "indicators":
        return _sql(con, f"SELECT * FROM {prefix}.indicators WHERE list_contains(?, audience) "
                         "ORDER BY family, code", [audiences])
    if table == "indicator_values":
        return _sql(con, f"SELECT * FROM {prefix}.indicator_values WHERE list_contains(?, "
                         "indicator) ORDER BY indicator, grain, period, period_end, geo, "
                         "breakdown, breakdown_code",
                    [allowed_indicators(con, prefix, audiences)])
    if table == "release_info":
        info = release_info(con, prefix, audiences)
        info["changes"] = json.dumps(info["changes"], ensure_ascii=False, sort_keys=True)
        return pl.DataFrame([info])
    if table == "source_returns":
        try:
            raw = _sql(con, f"SELECT source_returns FROM {prefix}.release_info LIMIT 1")
        except duckdb.BinderException:  # a release format without source returns
            return provenance(None)
        return provenance(raw.item(0, 0) if raw.height else None)
    if table == "rejections":
        return _sql(con, f"SELECT {', '.join(REJECTION_FIELDS)} FROM {prefix}.rejections "
                         "ORDER BY received_at")
    if table == "release_history":
        return history_for(_sql(con, f"SELECT * FROM {prefix}.release_history "
                                     "ORDER BY created_at"), top_audience(audiences))
    order = {"eea_results": "indicator, reporting_period, "
             "breakdown, breakdown_code", "data_quality": "partner, return_type, period"}
    return _sql(con, f"SELECT * FROM {prefix}.{table} ORDER BY {order[table]}")


HISTORY_COUNTS = ("values_added", "values_changed", "values_hidden", "values_removed")


def history_for(history: pl.DataFrame, audience: str) -> pl.DataFrame:
    """The release history's rows for ``audience``, without the audience column (rows of a
    release written before it existed count every value: the analysts' only)."""
    if "audience" not in history.columns:
        return history if audience == AUDIENCES[-1] else history.clear()
    rows = history.filter(pl.col("audience") == audience).drop("audience")
    missing = [pl.lit(None, pl.Int32).alias(c) for c in HISTORY_COUNTS if c not in rows.columns]
    return rows.with_columns(missing).select("release_id", "created_at", "summary_en",
                                             "summary_pt", *HISTORY_COUNTS)


def read_tables(con: duckdb.DuckDBPyConnection, prefix: str,
                audiences: Iterable[str]) -> dict[str, pl.DataFrame]:
    """Every table the audiences may read, by name."""
    audiences = frozenset(audiences)
    return {name: read_table(con, prefix, name, audiences)
            for name, needed in TABLE_AUDIENCE.items() if needed in audiences}


def csv_text(frame: pl.DataFrame) -> str:
    """CSV of a frame for people and programs: whole numbers without ``.0``, other floats in
    full precision, dates ISO, list columns as ``a;b``, NULL as an empty cell."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype.is_float():
            whole = col.is_finite() & (col == col.round(0)) & (col.abs() < 2**53)
            exprs.append(pl.when(whole).then(col.cast(pl.Int64).cast(pl.String))
                         .otherwise(col.cast(pl.String)).alias(name))
        elif isinstance(dtype, pl.List):
            exprs.append(col.cast(pl.List(pl.String)).list.join(";").alias(name))
    out = frame.with_columns(exprs) if exprs else frame
    return out.write_csv(null_value="", datetime_format="%Y-%m-%dT%H:%M:%S")
