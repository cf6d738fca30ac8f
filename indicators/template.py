"""XLSX templates for partners' monthly returns, built from the contract.

``build_template(partner, period)`` returns the bytes of a workbook with an ``Instruções``
sheet (Portuguese, with short English), one sheet per return type the partner may send
(sheet name = return type, header row = contract column names, drop-down lists for every
coded column, whole-number validation for ``count``, frozen header) and a hidden ``_lists``
sheet holding the drop-down lists. Passing ``rows`` fills the sheets, which is how the
sample data makes the XLSX files partners send.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from indicators import reference
from indicators.contract import Contract, load_contract
from indicators.contract.labels import code_labels

INSTRUCTIONS_SHEET = "Instruções"
LISTS_SHEET = "_lists"
VALIDATED_ROWS = 5000  # data rows (2 … 5001) that carry drop-downs and validation
_WIDE = {"citizenship": 16, "exploitation": 22, "signalled_by": 18, "support": 22,
         "activity": 24, "audience": 18, "district": 12, "age_group": 12}


def allowed_return_types(partner: str, contract: Contract | None = None) -> tuple[str, ...]:
    """Return types ``partner`` may send, in contract order; KeyError if not registered."""
    contract = contract or load_contract()
    registry = {p.code: p for p in reference.partners()}
    if partner not in registry:
        raise KeyError(partner)
    return tuple(r for r in contract.returns if r in registry[partner].returns)


def _list_columns(contract: Contract, types: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    """(column, return type) -> codes; one list per distinct code set."""
    lists: dict[tuple[str, str], list[str]] = {}
    for return_type in types:
        for column in contract.returns[return_type].columns:
            codes = contract.allowed_codes(column, return_type)
            if codes is None or column == "partner":
                continue
            lists[(column, return_type)] = list(codes)
    return lists


def _instructions(book: xlsxwriter.Workbook, contract: Contract, partner: str, period: str,
                  types: tuple[str, ...]) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 60, wrap)
    registry = {p.code: p.name for p in reference.partners()}
    lines: list[tuple[str, str | None]] = [
        (f"Modelo de reporte mensal — contrato versão {contract.version}", "title"),
        (f"Monthly return template — contract version {contract.version}", None),
        ("", None),
        (f"Parceiro / Partner: {partner} — {registry[partner]}", "bold"),
        (f"Período / Period: {period} (AAAA-MM / YYYY-MM)", "bold"),
        (f"Folhas a preencher / sheets to fill: {', '.join(types)}", "bold"),
        ("", None),
        ("Como preencher (PT)", "bold"),
        ("1. Cada linha é uma célula de uma tabela agregada: quantas pessoas (ou ações) num "
         "mês, num distrito, com uma combinação de características. Escreva o número na coluna "
         "count.", None),
        ("2. Nunca registe dados sobre uma pessoa identificável. Não escreva nomes, e-mails, "
         "telefones, NIF, NISS, números de Cartão de Cidadão nem datas de nascimento: o "
         "ficheiro é rejeitado por inteiro.", None),
        ("3. Não acrescente colunas: qualquer coluna a mais é rejeitada, porque poderia conter "
         "dados pessoais.", None),
        ("4. Um mês sem casos reporta-se com pelo menos uma linha com contagem 0 (para que o "
         "parceiro e o período fiquem conhecidos).", None),
        ("5. Use os códigos das listas (setas nas células); os significados estão abaixo. "
         "Contagens em números inteiros de 0 a "
         f"{contract.max_count}. Não repita a mesma combinação de códigos.", None),
        ("6. Escreva valores, não fórmulas. Não mude os nomes das folhas nem dos cabeçalhos.",
         None),
        ("", None),
        ("How to fill in (EN)", "bold"),
        ("One row per aggregated cell, never data about a single identifiable person. No "
         "names, e-mails, phone numbers or NIF/NISS/Citizen Card numbers. No extra columns. A "
         "month with no cases is reported as rows with count 0. Use the codes from the "
         "drop-down lists (meanings below); whole-number counts; values, not formulas.", None),
        ("", None),
        ("Códigos / Codes", "title"),
    ]
    row = 0
    for text, style in lines:
        fmt = {"title": title, "bold": bold}.get(style or "", wrap)
        if text:
            sheet.merge_range(row, 0, row, 2, text, fmt)
        row += 1
    columns: list[str] = []
    for return_type in types:
        columns += [c for c in contract.returns[return_type].columns if c not in columns]
    for column in columns:
        spec = contract.columns[column]
        labels = code_labels(column)
        if not labels:
            continue
        row += 1
        sheet.write_string(row, 0, f"{column} — {spec.label_pt} / {spec.label_en}", bold)
        row += 1
        for code, (label_pt, label_en) in labels.items():
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, label_pt)
            sheet.write_string(row, 2, label_en)
            row += 1


def _list_layout(
    lists: dict[tuple[str, str], list[str]],
) -> tuple[dict[tuple[str, str], str], list[tuple[str, list[str]]]]:
    """Range reference of each list, and the columns of the hidden sheet that hold them."""
    refs: dict[tuple[str, str], str] = {}
    by_codes: dict[tuple[str, ...], str] = {}
    columns: list[tuple[str, list[str]]] = []
    for key, codes in lists.items():
        if tuple(codes) not in by_codes:
            letter = xl_col_to_name(len(columns))
            by_codes[tuple(codes)] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(codes) + 1}"
            columns.append((f"{key[0]} ({key[1]})", codes))
        refs[key] = by_codes[tuple(codes)]
    return refs, columns


def _write_lists(book: xlsxwriter.Workbook, columns: list[tuple[str, list[str]]]) -> None:
    sheet = book.add_worksheet(LISTS_SHEET)
    for col, (title, codes) in enumerate(columns):
        sheet.write_string(0, col, title)
        for i, code in enumerate(codes, start=1):
            sheet.write_string(i, col, code)
    sheet.hide()


def _return_sheet(book: xlsxwriter.Workbook, contract: Contract, return_type: str,
                  partner: str, period: str, refs: dict[tuple[str, str], str],
                  rows: pl.DataFrame | None) -> None:
    sheet = book.add_worksheet(return_type)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    columns = contract.returns[return_type].columns
    last = VALIDATED_ROWS
    for col, column in enumerate(columns):
        spec = contract.columns[column]
        sheet.write_string(0, col, column, header)
        sheet.set_column(col, col, _WIDE.get(column, 10), None if column == "count" else text)
        sheet.write_comment(0, col, f"{spec.label_pt}\n{spec.label_en}",
                            {"x_scale": 1.6, "y_scale": 0.8})
        if column == "partner":
            options = {"validate": "list", "source": [partner],
                       "input_title": "Parceiro / Partner", "input_message": partner}
        elif column == "period":
            options = {"validate": "list", "source": [period], "error_type": "warning",
                       "input_title": "Período / Period", "input_message": f"{period} (AAAA-MM)"}
        elif column == "count":
            options = {"validate": "integer", "criteria": "between", "minimum": 0,
                       "maximum": contract.max_count,
                       "input_title": "Contagem / Count",
                       "input_message": f"0 … {contract.max_count}",
                       "error_message": "Número inteiro de 0 a "
                       f"{contract.max_count} / whole number 0 to {contract.max_count}"}
        else:
            options = {"validate": "list", "source": refs[(column, return_type)],
                       "error_message": "Use um código da lista / use a code from the list"}
        sheet.data_validation(1, col, last, col, options)
    sheet.freeze_panes(1, 0)
    if rows is not None:
        for r, record in enumerate(rows.select(columns).iter_rows(), start=1):
            for col, value in enumerate(record):
                if columns[col] == "count":
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))


def build_template(partner: str, period: str,
                   rows: Mapping[str, pl.DataFrame] | None = None,
                   created: datetime | None = None,
                   return_types: tuple[str, ...] | None = None) -> bytes:
    """The XLSX template for ``partner`` and ``period`` (YYYY-MM), as bytes.

    ``rows`` (return type -> canonical DataFrame) fills the sheets; ``return_types`` limits
    the sheets (default: every type the partner may send); ``created`` fixes the workbook's
    creation time so equal inputs give byte-identical files.
    """
    contract = load_contract()
    allowed = allowed_return_types(partner, contract)
    types = return_types if return_types is not None else allowed
    if not set(types) <= set(allowed):
        raise ValueError(f"{partner} may not send {sorted(set(types) - set(allowed))}")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    year, month = (int(x) for x in period.split("-"))
    book.set_properties({
        "title": f"OTSH — {partner} {period}",
        "subject": f"Contrato de reporte v{contract.version} / partner-return contract "
                   f"v{contract.version}",
        "created": created or datetime(year, month, 1),
    })
    _instructions(book, contract, partner, period, types)
    sheets_rows = dict(rows or {})
    refs, list_columns = _list_layout(_list_columns(contract, types))
    for return_type in types:
        _return_sheet(book, contract, return_type, partner, period, refs,
                      sheets_rows.get(return_type))
    _write_lists(book, list_columns)
    book.close()
    return buffer.getvalue()
