"""The SDMX files of a pipeline release, read back by a real SDMX library (sdmx1): every
published value and flag is there, with the right key; suppressed cells carry no value."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import polars as pl
import pytest
import sdmx

from indicators.open_data.bulk import open_release_file
from indicators.open_data.tables import AUDIENCES, read_tables
from indicators.release_files import release_file
from indicators.sdmx import DATA_FILE, STRUCTURE_FILE, sdmx_files

pytestmark = pytest.mark.slow

# Written out here, not taken from indicators.sdmx: districts whose territory is one NUTS
# 2024 region (Faro = Algarve, the two autonomous regions), abroad, unknown.
AREAS = {"PT-08": "PT15", "PT-20": "PT20", "PT-30": "PT30", "ABROAD": "W1", "UNKNOWN": "_X"}
DIMS = ("INDICATOR", "REF_AREA", "BREAKDOWN", "CATEGORY", "GRAIN", "TIME_PERIOD")
# Written out here too: the dashboard shows rates per 100,000 and percentages with one
# decimal, every count whole (README, "Open data").
SHOWN_DECIMALS = {"rate_100k": "1", "percent": "1", "persons": "0", "sessions": "0",
                  "documents": "0"}


def _period_end(text: str) -> tuple[date, date]:
    """(first day, last day) of an SDMX time period, parsed independently."""
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        y, q = int(m[1]), int(m[2])
        last = 3 * q
        return date(y, last - 2, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.fullmatch(r"(\d{4})-(\d{2})-01/P(\d+)M", text)
    assert m, text
    y, mo, n = int(m[1]), int(m[2]), int(m[3])
    last = (y * 12 + mo - 1) + n - 1
    ey, em = divmod(last, 12)
    return date(y, mo, 1), date(ey, em + 1, calendar.monthrange(ey, em + 1)[1])


@pytest.fixture(scope="module")
def files(series, tmp_path_factory):
    con = open_release_file(release_file(series.serving_dir, series.release_ids[-1]))
    try:
        tables = read_tables(con, "published", AUDIENCES)
    finally:
        con.close()
    out = tmp_path_factory.mktemp("sdmx")
    for name, content in sdmx_files(tables["indicators"], tables["indicator_values"],
                                    series.release_ids[-1], datetime(2026, 1, 1)).items():
        (out / name).write_bytes(content)
    return out, tables


def test_sdmx1_reads_the_structure(files):
    out, tables = files
    message = sdmx.read_sdmx(out / STRUCTURE_FILE)
    flow = message.dataflow["DF_OTSH_INDICATORS"]
    dsd = flow.structure
    assert [d.id for d in dsd.dimensions.components] == list(DIMS)
    assert [m.id for m in dsd.measures.components] == ["OBS_VALUE"]
    assert {"UNIT_MEASURE", "DECIMALS", "OBS_STATUS", "CONF_STATUS"} <= {
        a.id for a in dsd.attributes.components}
    indicators = message.codelist["CL_INDICATOR"]
    for row in tables["indicators"].iter_rows(named=True):
        code = indicators[row["code"]]
        assert str(code.name.localizations["pt"]) == row["name_pt"]
        assert str(code.name.localizations["en"]) == row["name_en"]
    assert set(message.codelist["CL_CONF_STATUS"].items) == {"F", "C"}
    assert set(message.codelist["CL_DECIMALS"].items) == {"0", "1"}
    assert {"A", "P"} <= set(message.codelist["CL_OBS_STATUS"].items)


def test_every_value_and_flag_matches_the_release(files):
    out, tables = files
    flow = sdmx.read_sdmx(out / STRUCTURE_FILE).dataflow["DF_OTSH_INDICATORS"]
    message = sdmx.read_sdmx(out / DATA_FILE, structure=flow)
    observations = [o for ds in message.data for o in ds.obs]
    values = tables["indicator_values"]
    assert len(observations) == values.height > 1000
    enums = {d.id: d.local_representation.enumerated for d in
             flow.structure.dimensions.components if d.id != "TIME_PERIOD"}
    by_key: dict[tuple, dict] = {}
    for obs in observations:
        key = {k: str(v.value) for k, v in obs.key.values.items()}
        for dim, codelist in enums.items():
            assert key[dim] in codelist, (dim, key[dim])
        start, end = _period_end(key["TIME_PERIOD"])
        attrs = {k: str(v.value) for k, v in obs.attached_attribute.items()}
        ident = (key["INDICATOR"], key["REF_AREA"], key["BREAKDOWN"], key["CATEGORY"],
                 key["GRAIN"], start, end)
        assert ident not in by_key, ident
        by_key[ident] = {"value": obs.value, **attrs}
    for row in values.iter_rows(named=True):
        ident = (row["indicator"], AREAS.get(row["geo"], row["geo"]), row["breakdown"],
                 row["breakdown_code"].replace("+", "_PLUS"), row["grain"], row["period"],
                 row["period_end"])
        got = by_key.pop(ident)
        flags = row["flags"]
        assert got["OBS_FLAG"] == flags and got["UNIT_MEASURE"] == row["unit"]
        assert got["DECIMALS"] == SHOWN_DECIMALS[row["unit"]], (ident, row["unit"])
        assert got["CONF_STATUS"] == ("C" if "c" in flags else "F")
        expected_status = ("M" if flags == "z" else "O" if flags == ":" else
                           "P" if "p" in flags else "E" if "e" in flags else "A")
        assert got["OBS_STATUS"] == expected_status, (ident, flags)
        if row["value"] is None:
            assert got["value"] in ("", None), ident
        else:
            assert "c" not in flags
            assert float(got["value"]) == pytest.approx(row["value"], rel=1e-12, abs=1e-12)
    assert not by_key


def test_suppressed_cells_carry_no_value_in_the_data_file(files):
    out, tables = files
    frame = pl.read_csv(out / DATA_FILE, infer_schema=False)
    suppressed = frame.filter(pl.col("CONF_STATUS") == "C")
    assert suppressed.height == tables["indicator_values"].filter(
        pl.col("flags").str.contains("c", literal=True)).height > 0
    assert suppressed["OBS_VALUE"].is_null().all()
