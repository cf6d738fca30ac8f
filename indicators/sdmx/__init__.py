"""SDMX for the observatory's published figures: a data structure definition (SDMX-ML 2.1
structure message) and the data as SDMX-CSV 2.0, built from the registry and ONE published
release only (never the warehouse). Pure Python: no Dash, Dagster or CLI code.

``codes`` holds every mapping rule (areas, periods, flags), ``structure`` the DSD and code
lists, ``data`` the SDMX-CSV writer.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from indicators.sdmx.data import data_csv
from indicators.sdmx.structure import DATAFLOW_URN, structure_xml

STRUCTURE_FILE = "otsh_structure.xml"
DATA_FILE = "otsh_data.csv"


def sdmx_files(indicators: pl.DataFrame, values: pl.DataFrame, release_id: str,
               prepared: datetime) -> dict[str, bytes]:
    """File name -> bytes of the structure (SDMX-ML 2.1) and data (SDMX-CSV 2.0) files."""
    return {STRUCTURE_FILE: structure_xml(indicators, values, release_id, prepared),
            DATA_FILE: data_csv(values).encode("utf-8")}


__all__ = ["DATAFLOW_URN", "DATA_FILE", "STRUCTURE_FILE", "data_csv", "sdmx_files",
           "structure_xml"]
