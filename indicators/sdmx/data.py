"""Published values as SDMX-CSV 2.0 (the data of the dataflow ``OTSH:DF_OTSH_INDICATORS``).

One row per published cell. A suppressed value has an EMPTY ``OBS_VALUE`` and
``CONF_STATUS=C``: the release holds no value for it, and nothing else is written.
"""

from __future__ import annotations

import csv
import io
import math

import polars as pl

from indicators.sdmx import codes
from indicators.sdmx.structure import ATTRIBUTES, DATAFLOW_URN, DIMENSIONS, TIME_DIMENSION

HEADER: tuple[str, ...] = ("STRUCTURE", "STRUCTURE_ID", "ACTION",
                           *[d[0] for d in DIMENSIONS], TIME_DIMENSION[0], "OBS_VALUE",
                           *[a[0] for a in ATTRIBUTES])
VALUE_COLUMNS = ("indicator", "geo", "breakdown", "breakdown_code", "grain", "period",
                 "period_end", "value", "unit", "flags")


def obs_value(value: float | None, flags: str) -> str:
    """The OBS_VALUE text: empty for a suppressed or missing value, shortest exact decimal
    otherwise (integers without a decimal point)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or "c" in flags:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def sdmx_rows(values: pl.DataFrame) -> list[list[str]]:
    """SDMX-CSV records (without the header) for published ``indicator_values`` rows."""
    out = []
    frame = values.select(VALUE_COLUMNS).sort("indicator", "geo", "breakdown",
                                               "breakdown_code", "grain", "period",
                                               "period_end")
    for ind, geo, bd, code, grain, start, end, value, unit, flags in frame.iter_rows():
        flags = flags or ""
        out.append([
            "dataflow", DATAFLOW_URN, "I", ind, codes.ref_area(geo), bd, codes.code_id(code),
            grain, codes.time_period(grain, start, end), obs_value(value, flags), unit,
            codes.decimals(unit), codes.obs_status(flags), codes.conf_status(flags), flags])
    return out


def data_csv(values: pl.DataFrame) -> str:
    """The SDMX-CSV 2.0 text of published ``indicator_values`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(sdmx_rows(values))
    return buffer.getvalue()
