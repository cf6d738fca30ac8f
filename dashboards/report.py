"""The printable donor report (HTML, print-ready CSS, methodology annex), served by Flask at
``/report/results``, and its PDF (``/report/results.pdf``) printed by headless Chromium.
Every text from data is escaped; the HTML is self-contained (inline CSS, no script, no
external resource) and forbids any fetch with a Content-Security-Policy.

``write_report_files(release, out_dir, lang)`` writes the latest reporting period's report as
HTML, PDF, XLSX and CSV (the monthly refresh calls it after publishing a release).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from html import escape
from pathlib import Path

from dashboards import exports
from dashboards.data import Release, open_release
from dashboards.i18n import fmt_date, fmt_number, t
from dashboards.pages import methodology, results

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a;
margin:2rem;max-width:60rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #999;padding:.3rem .4rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff4ce;padding:.5rem;border-left:4px solid #8a6d00}
caption{text-align:left;font-weight:600;padding:.3rem 0}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}
table{font-size:.72rem}th,td{padding:.2rem .25rem;overflow-wrap:anywhere}
h2{page-break-before:auto}tr{page-break-inside:avoid}thead{display:table-header-group}}
@page{size:A4 landscape;margin:12mm}
"""


CSP = "default-src 'none'; style-src 'unsafe-inline'"
CHROMIUM = "/usr/bin/chromium"
# Closed network, no GPU, a throw-away profile. (Scripts cannot be switched off with
# --blink-settings=scriptEnabled=false: Chromium then writes no PDF. The report has no script
# and its CSP forbids any.)
PDF_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--disable-quic", "--disable-extensions")
PDF_TIMEOUT_S = 60
_PRINT_SLOTS = threading.BoundedSemaphore(1)  # one Chromium at a time per process


class PdfUnavailable(RuntimeError):
    """Chromium could not print the report (missing binary, crash, timeout)."""


def _cell(value: object, lang: str, flags: str = "", plain: bool = False) -> str:
    if plain and isinstance(value, int) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'  # a year: no thousands separator
    if value is None:
        if "c" in flags:
            return f'<td class="num"><abbr title="{escape(t("flag.c", lang))}">c</abbr></td>'
        return "<td></td>"
    if isinstance(value, float | int) and not isinstance(value, bool):
        decimals = 0 if float(value).is_integer() else 1
        return f'<td class="num">{escape(fmt_number(float(value), lang, decimals))}</td>'
    return f"<td>{escape(str(value))}</td>"


def results_report_html(rel: Release, rperiod: str | None, lang: str) -> str:
    params = results.normalise(rel, {"rperiod": rperiod})
    table = results.table_for(rel, params["rperiod"], lang)
    flag_cols = {i for i, c in enumerate(table.columns) if c.startswith(t("col.flags", lang))}
    year_cols = {table.columns.index(t(k, lang)) for k in ("col.baseline_year", "col.target_year")
                 if t(k, lang) in table.columns}
    head = "".join(f"<th scope=\"col\">{escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            flags = str(row[i + 1]) if i + 1 in flag_cols and row[i + 1] else ""
            cells.append(_cell(value, lang, flags, plain=i in year_cols))
        body.append("<tr>" + "".join(cells) + "</tr>")
    annex = [
        f"<p>{escape(t('me.caveat', lang))}</p>",
        f"<h3>{escape(t('me.disclosure', lang))}</h3>",
        f"<p>{escape(methodology.disclosure_text(rel, lang))}</p>",
        f"<h3>{escape(t('me.flags', lang))}</h3><dl>",
        *[f"<dt><code>{escape(f)}</code></dt><dd>{escape(t(f'me.flag_desc.{f}', lang))}</dd>"
          for f in methodology.FLAG_LETTERS],
        "</dl>",
    ]
    ind = methodology.indicators_table(rel, lang)
    ind_rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>"
        for r in ind.rows if r[0] in {row[0] for row in table.rows})
    ind_head = "".join(f"<th scope=\"col\">{escape(c)}</th>" for c in ind.columns)
    synthetic = (f'<p class="note">{escape(t("app.synthetic", lang))}</p>'
                 if rel.info.synthetic else "")
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{escape(table.title)}</title><style>{CSS}</style></head>
<body>
<h1>{escape(table.title)}</h1>
{synthetic}
<p>{escape(t("app.release", lang, release=rel.release_id,
                created=fmt_date(rel.info.created_at.date(), lang)))}</p>
<table><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>
<tbody>{''.join(body)}</tbody></table>
<h2>{escape(t("res.annex", lang))}</h2>
{''.join(annex)}
<table><caption>{escape(t("me.indicators", lang))}</caption><thead><tr>{ind_head}</tr></thead>
<tbody>{ind_rows}</tbody></table>
</body></html>"""


def chromium_path() -> str:
    """The Chromium binary (``OBS_CHROMIUM`` overrides Debian's ``/usr/bin/chromium``)."""
    return os.environ.get("OBS_CHROMIUM", CHROMIUM)


def render_report_pdf(html: str, chromium: str | None = None,
                      timeout: float = PDF_TIMEOUT_S) -> bytes:
    """Print a self-contained HTML page to PDF with headless Chromium; return the PDF bytes.

    The HTML goes to a private temporary directory and is printed from its file:// URL with
    a throw-away profile; nothing is fetched. Raises :class:`PdfUnavailable` on failure.
    """
    binary = chromium or chromium_path()
    with _PRINT_SLOTS, tempfile.TemporaryDirectory(prefix="otsh_report_") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.html", folder / "report.pdf"
        source.write_text(html, encoding="utf-8")
        command = [binary, *PDF_FLAGS, f"--user-data-dir={folder / 'profile'}",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL, cwd=folder)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"chromium could not print the report: {error}") from error
        pdf = target.read_bytes() if target.is_file() else b""
        if not pdf.startswith(b"%PDF"):
            tail = done.stderr.decode("utf-8", "replace")[-500:]
            raise PdfUnavailable(f"chromium exited {done.returncode} without a PDF: {tail}")
        return pdf


def results_report_pdf(rel: Release, rperiod: str | None, lang: str) -> bytes:
    """The PDF of :func:`results_report_html`, printed once per release, period and language."""
    rp = results.normalise(rel, {"rperiod": rperiod})["rperiod"]
    return rel.cached(("report-pdf", rp, lang),
                      lambda: render_report_pdf(results_report_html(rel, rp, lang)))


def report_stem(rel: Release, rperiod: str | None, lang: str) -> str:
    """``otsh_eea_results_<period>_<lang>_<release>``, ASCII letters, digits, ``_.-`` only."""
    raw = f"otsh_eea_results_{rperiod or 'none'}_{lang}_{rel.release_id}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", raw)


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def write_report_files(release: Release | Path, out_dir: Path, lang: str = "pt",
                       rperiod: str | None = None) -> dict[str, Path]:
    """Write the donor report of ``rperiod`` (default: the latest reporting period, as the
    results page shows it) as HTML, PDF, XLSX and CSV into ``out_dir``.

    ``release`` is an opened :class:`Release` or the path of a published release file
    (``serving/<id>.duckdb``, opened read-only and closed again). Returns
    ``{"html": path, "pdf": path, "xlsx": path, "csv": path}``. HTML, XLSX and CSV are
    written first; a Chromium failure then raises :class:`PdfUnavailable`.
    """
    if isinstance(release, Path | str):
        path = Path(release)
        rel = open_release(path.parent, path.name)
        try:
            return write_report_files(rel, out_dir, lang, rperiod)
        finally:
            rel.close()
    rel = release
    rp = results.normalise(rel, {"rperiod": rperiod})["rperiod"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(rel, rp, lang)
    html_text = results_report_html(rel, rp, lang)
    table = results.table_for(rel, rp, lang)
    paths = {ext: out / f"{stem}.{ext}" for ext in ("html", "pdf", "xlsx", "csv")}
    _write_atomic(paths["html"], html_text.encode("utf-8"))
    _write_atomic(paths["xlsx"], exports.to_xlsx([table]))
    _write_atomic(paths["csv"], ("\ufeff" + exports.to_csv(table)).encode("utf-8"))
    _write_atomic(paths["pdf"], render_report_pdf(html_text))
    return paths
