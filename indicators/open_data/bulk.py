"""One zip per release: every table the audience may read as CSV, the SDMX structure and
data files, the methodology and a README (licence, citation, flags legend).

The archive is deterministic for a release and an audience (entries in a fixed order, each
dated with the release's creation time, mode 0644), so its bytes can be cached and
checksummed.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from indicators.i18n import t
from indicators.methodology import methodology_markdown
from indicators.open_data.not_published import left_out_cells
from indicators.open_data.tables import csv_text, read_tables, release_info
from indicators.sdmx import DATA_FILE, STRUCTURE_FILE, sdmx_files

ENTRY_MODE = stat.S_IFREG | 0o644  # every entry: a regular file, rw-r--r-- when unzipped
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
FLAGS_LEGEND = (
    ("c", "confidencial (valor suprimido pelo controlo de divulgação; vazio)",
     "confidential (suppressed by disclosure control; empty)"),
    ("z", "não aplicável (o valor não pode existir)", "not applicable (cannot exist)"),
    (":", "não disponível (período ainda não reportado)", "not available (not yet reported)"),
    ("e", "estimado (taxa por sexo sobre população por sexo estimada)",
     "estimated (rate by sex on an estimated population by sex)"),
    ("p", "provisório", "provisional"),
    ("r", t("me.flag_desc.r", "pt"), t("me.flag_desc.r", "en")),  # as the methodology
)


NOT_PUBLISHED = "not_published"  # the bulk file's table of left-out periods


def bulk_name(release_id: str) -> str:
    return f"otsh_{release_id}.zip"


def _csv(frame: pl.DataFrame) -> bytes:
    return csv_text(frame).encode("utf-8")


def readme(info: dict[str, Any], audiences: Iterable[str], tables: Iterable[str]) -> str:
    """The README of a release's bulk download (Portuguese and English)."""
    rid, created = info["release_id"], info["created_at"]
    date_text = created.date().isoformat() if isinstance(created, datetime) else str(created)
    lines = [f"# OTSH — dados abertos / open data — {rid}", ""]
    if info.get("synthetic"):
        lines += ["**DADOS SINTÉTICOS — não são dados reais / SYNTHETIC DATA — not real "
                  "data.**", ""]
    lines += [
        f"Versão / release: `{rid}` ({date_text}); audiência / audience: "
        f"{', '.join(sorted(audiences))}.",
        f"Limiar de confidencialidade / disclosure threshold k = "
        f"{info['disclosure_threshold']}: contagens de 1 a k-1 nunca são publicadas / counts "
        "1 to k-1 are never published.", "",
        "## Conteúdo / contents", "",
        *[f"- `tables/{name}.csv`" for name in tables],
        f"- `tables/{NOT_PUBLISHED}.csv` — períodos que esta versão omite para uma área ou "
        "uma desagregação, publicando o seu total (para proteger as pessoas contadas; sem "
        "linha em indicator_values) / periods this release leaves out of an area or a "
        "breakdown while publishing their total (to protect the persons counted; no row in "
        "indicator_values)",
        f"- `sdmx/{STRUCTURE_FILE}` — SDMX-ML 2.1: DSD, code lists, dataflow "
        "`OTSH:DF_OTSH_INDICATORS(1.0)`",
        f"- `sdmx/{DATA_FILE}` — SDMX-CSV 2.0 (OBS_STATUS, CONF_STATUS, DECIMALS: SDMX "
        "cross-domain code lists; DECIMALS: the decimals the dashboard shows, OBS_VALUE is not "
        "rounded; OBS_FLAG: the flags below)",
        "- `methodology.md` — metodologia / methodology", "",
        "## Sinais / flags", "",
        *[f"- `{c}` — {pt} / {en}" for c, pt, en in FLAGS_LEGEND],
        "", "Um zero sem sinal é um zero verdadeiro / a zero without a flag is a true zero.", "",
        "## Licença / licence", "", LICENCE, "",
        "## Citar / how to cite", "",
        f"Observatório do Tráfico de Seres Humanos (OTSH), Ministério da Administração Interna."
        f" Indicadores do OTSH, versão {rid} ({date_text}).",
        f"Observatory on Trafficking in Human Beings (OTSH), Ministry of Internal "
        f"Administration. OTSH indicators, release {rid} ({date_text}).", "",
    ]
    return "\n".join(lines)


def bulk_zip(con: duckdb.DuckDBPyConnection, prefix: str, audiences: Iterable[str]) -> bytes:
    """The zip of a release opened on ``con`` (tables under ``prefix``) for ``audiences``."""
    audiences = frozenset(audiences)
    tables = read_tables(con, prefix, audiences)
    info = release_info(con, prefix)
    created: datetime = info["created_at"]
    entries: dict[str, bytes] = {
        "README.md": readme(info, audiences, tables).encode("utf-8"),
        "methodology.md": methodology_markdown().encode("utf-8"),
    }
    for name, frame in tables.items():
        entries[f"tables/{name}.csv"] = _csv(frame)
    entries[f"tables/{NOT_PUBLISHED}.csv"] = _csv(left_out_cells(tables["indicator_values"]))
    for name, content in sdmx_files(tables["indicators"], tables["indicator_values"],
                                    info["release_id"], created).items():
        entries[f"sdmx/{name}"] = content
    buffer = io.BytesIO()
    stamp = (max(created.year, 1980), created.month, created.day, created.hour,
             created.minute, created.second)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            item = zipfile.ZipInfo(f"otsh_{info['release_id']}/{name}", date_time=stamp)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.create_system = 3  # Unix, on any platform: unzip then applies the mode
            item.external_attr = ENTRY_MODE << 16  # else 0600: unreadable by colleagues
            archive.writestr(item, content)
    return buffer.getvalue()


def open_release_file(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a release file (tables under ``published``)."""
    return duckdb.connect(str(path), read_only=True)
