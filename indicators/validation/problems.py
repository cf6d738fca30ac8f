"""Validation problems: one machine code, a location, and a message in English and Portuguese.

Every message names the file, and where it applies the sheet, the row (as a spreadsheet
shows it: the header is row 1), the column (as the partner wrote it) and the offending value.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_VALUE_CHARS = 80
MAX_PER_RULE = 25  # problems listed per rule before an "and N more" summary


@dataclass(frozen=True)
class Problem:
    rule: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message_en: str
    message_pt: str

    def to_dict(self) -> dict:
        return asdict(self)


# rule -> (English template, Portuguese template). Placeholders: {value} plus rule parameters.
MESSAGES: dict[str, tuple[str, str]] = {
    "file_too_large": (
        "the file has {size} bytes, more than the {limit} bytes allowed; split it into "
        "smaller files (for example one per month).",
        "o ficheiro tem {size} bytes, mais do que os {limit} bytes permitidos; divida-o em "
        "ficheiros mais pequenos (por exemplo um por mês).",
    ),
    "hidden_file": (
        "the name starts with a dot, which hides the file on most computers and marks "
        "temporary copies, so the file was not loaded; rename it without the dot (for "
        "example \"{renamed}\") and hand it in again.",
        "o nome começa por um ponto, o que oculta o ficheiro na maioria dos computadores e "
        "marca cópias temporárias, por isso o ficheiro não foi carregado; mude-lhe o nome, "
        "sem o ponto (por exemplo \"{renamed}\"), e entregue-o de novo.",
    ),
    "unsupported_file_type": (
        "files of type \"{value}\" are not accepted; send CSV (.csv) or Excel (.xlsx) "
        "made from the template.",
        "ficheiros do tipo \"{value}\" não são aceites; envie CSV (.csv) ou Excel (.xlsx) "
        "feito a partir do modelo.",
    ),
    "not_a_workbook": (
        "this is not a valid Excel workbook (.xlsx): {detail}. Save it again as .xlsx "
        "from Excel or LibreOffice, or send a CSV.",
        "este ficheiro não é um livro Excel (.xlsx) válido: {detail_pt}. Grave-o de novo "
        "como .xlsx no Excel ou LibreOffice, ou envie um CSV.",
    ),
    "workbook_too_large": (
        "the workbook expands to more than {limit} bytes when opened; it is not accepted "
        "(send one workbook per month, made from the template).",
        "o livro expande-se para mais de {limit} bytes quando aberto; não é aceite "
        "(envie um livro por mês, feito a partir do modelo).",
    ),
    "undecodable": (
        "the text cannot be read: byte {offset} is not valid UTF-8 or Windows-1252 "
        "({detail}). Save the file as \"CSV UTF-8\".",
        "o texto não pode ser lido: o byte {offset} não é UTF-8 nem Windows-1252 válido "
        "({detail}). Grave o ficheiro como \"CSV UTF-8\".",
    ),
    "bad_csv": (
        "the CSV structure cannot be read ({detail}); save it again as \"CSV UTF-8\" "
        "from the template.",
        "a estrutura do CSV não pode ser lida ({detail}); grave-o de novo como \"CSV "
        "UTF-8\" a partir do modelo.",
    ),
    "empty_file": (
        "the file is empty. A month with no cases is still reported, as rows with count 0, "
        "so that the partner and period are known.",
        "o ficheiro está vazio. Um mês sem casos também é reportado, com linhas de "
        "contagem 0, para que se saiba o parceiro e o período.",
    ),
    "no_rows": (
        "the header is there but there are no data rows. A month with no cases is "
        "reported as rows with count 0, so that the partner and period are known.",
        "existe o cabeçalho mas não há linhas de dados. Um mês sem casos é reportado com "
        "linhas de contagem 0, para que se saiba o parceiro e o período.",
    ),
    "unknown_return_type": (
        "the columns do not match any return type of the contract ({expected}).",
        "as colunas não correspondem a nenhum tipo de reporte do contrato ({expected}).",
    ),
    "unknown_sheet": (
        "sheet \"{value}\" is not a return type ({expected}) nor an instructions sheet; "
        "remove it.",
        "a folha \"{value}\" não é um tipo de reporte ({expected}) nem uma folha de "
        "instruções; remova-a.",
    ),
    "duplicate_return_type": (
        "return type \"{value}\" appears in more than one sheet; use one sheet per return type.",
        "o tipo de reporte \"{value}\" aparece em mais do que uma folha; use uma folha por "
        "tipo de reporte.",
    ),
    "unknown_column": (
        "column \"{value}\" is not part of the contract and is not accepted: any extra "
        "column could carry personal data. Remove it. Expected columns: {expected}.",
        "a coluna \"{value}\" não faz parte do contrato e não é aceite: qualquer coluna "
        "extra pode conter dados pessoais. Remova-a. Colunas esperadas: {expected}.",
    ),
    "missing_column": (
        "column \"{value}\" ({label_en}) is missing; the {return_type} return needs the "
        "columns {expected}.",
        "falta a coluna \"{value}\" ({label_pt}); o reporte {return_type} precisa das "
        "colunas {expected}.",
    ),
    "duplicate_column": (
        "column \"{value}\" appears more than once (as {headers}).",
        "a coluna \"{value}\" aparece mais do que uma vez (como {headers}).",
    ),
    "extra_cells": (
        "the row has more cells than the header has columns (extra value \"{value}\"); "
        "values without a column are not accepted.",
        "a linha tem mais células do que colunas no cabeçalho (valor extra \"{value}\"); "
        "não são aceites valores sem coluna.",
    ),
    "empty_cell": (
        "the cell is empty; every column must be filled (use UNKNOWN for an unknown code, "
        "0 for no cases).",
        "a célula está vazia; todas as colunas têm de ser preenchidas (use UNKNOWN para um "
        "código desconhecido, 0 quando não há casos).",
    ),
    "unknown_code": (
        "\"{value}\" is not a valid code for {label_en}; allowed: {allowed}.",
        "\"{value}\" não é um código válido para {label_pt}; permitidos: {allowed}.",
    ),
    "bad_count": (
        "count \"{value}\" is not accepted: {reason_en}. A count is a whole number from 0 "
        "to {max_count}, written without decimals.",
        "a contagem \"{value}\" não é aceite: {reason_pt}. Uma contagem é um número inteiro "
        "de 0 a {max_count}, escrito sem casas decimais.",
    ),
    "bad_period": (
        "period \"{value}\" is not in the form YYYY-MM (for example 2024-03).",
        "o período \"{value}\" não está no formato AAAA-MM (por exemplo 2024-03).",
    ),
    "period_before_start": (
        "period \"{value}\" is before {first_period}, the first period the observatory "
        "collects.",
        "o período \"{value}\" é anterior a {first_period}, o primeiro período recolhido "
        "pelo observatório.",
    ),
    "period_in_future": (
        "period \"{value}\" is in the future (the current month is {current}).",
        "o período \"{value}\" está no futuro (o mês atual é {current}).",
    ),
    "partner_not_registered": (
        "partner \"{value}\" is not registered; registered partners: {allowed}.",
        "o parceiro \"{value}\" não está registado; parceiros registados: {allowed}.",
    ),
    "return_type_not_allowed": (
        "partner \"{value}\" is not registered to send {return_type} returns (allowed: "
        "{allowed}).",
        "o parceiro \"{value}\" não está registado para enviar reportes {return_type} "
        "(permitidos: {allowed}).",
    ),
    "mixed_partners": (
        "the file mixes partners ({value}); each file holds the returns of one partner.",
        "o ficheiro mistura parceiros ({value}); cada ficheiro contém os reportes de um só "
        "parceiro.",
    ),
    "duplicate_key": (
        "this row repeats the cell of row {first_row} ({value}); each combination of codes "
        "appears once per period, with its total count.",
        "esta linha repete a célula da linha {first_row} ({value}); cada combinação de "
        "códigos aparece uma vez por período, com a sua contagem total.",
    ),
    "formula": (
        "the cell holds a formula ({value}); write the value itself, not a formula.",
        "a célula contém uma fórmula ({value}); escreva o próprio valor, não uma fórmula.",
    ),
    "personal_data": (
        "the cell looks like personal data ({kind_en}: {value}, masked). Returns are "
        "aggregated counts and must never hold personal data; the file is not accepted.",
        "a célula parece conter dados pessoais ({kind_pt}: {value}, ocultado). Os reportes "
        "são contagens agregadas e nunca podem conter dados pessoais; o ficheiro não é "
        "aceite.",
    ),
    # Returns sent through the dashboard's "Submit" page (indicators/submissions.py).
    "partner_mismatch": (
        "the file holds the returns of partner \"{value}\", but this account submits for "
        "{partner}; send only your own organisation's returns.",
        "o ficheiro contém reportes do parceiro \"{value}\", mas esta conta envia pela "
        "entidade {partner}; envie apenas os reportes da sua organização.",
    ),
    "period_mismatch": (
        "the file's returns are for {value}, not for {expected} as chosen; choose the "
        "period of the file (or let it be read from the file).",
        "os reportes do ficheiro são de {value}, e não de {expected} como escolhido; escolha "
        "o período do ficheiro (ou deixe-o ser lido do ficheiro).",
    ),
    "return_type_mismatch": (
        "the file's returns are of type {value}, not {expected} as chosen; choose the "
        "return type of the file (or let it be read from the file).",
        "os reportes do ficheiro são do tipo {value}, e não {expected} como escolhido; "
        "escolha o tipo do ficheiro (ou deixe-o ser lido do ficheiro).",
    ),
    "more_problems": (
        "{n} more problems of rule {value} are not listed.",
        "mais {n} problemas da regra {value} não são listados.",
    ),
}


_WHERE = {"en": ('sheet "{}"', "row {}", 'column "{}"'),
          "pt": ('folha "{}"', "linha {}", 'coluna "{}"')}


def _location(lang: str, file: str, sheet: str | None, row: int | None,
              column: str | None) -> str:
    """``file, sheet "S", row 3, column "C"`` in ``lang``, leaving out what is unknown."""
    parts = [file] + [word.format(value) for word, value in zip(_WHERE[lang], (sheet, row, column),
                                                               strict=True)
                      if value is not None]
    return ", ".join(parts)


def truncate(value: str | None, limit: int = MAX_VALUE_CHARS) -> str | None:
    if value is None:
        return None
    value = "".join(ch if ch.isprintable() else "?" for ch in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def make_problem(rule: str, file: str, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value: str | None = None, **params: object,
                 ) -> Problem:
    """Build a problem with both messages from the catalogue above."""
    value = truncate(value)
    en, pt = MESSAGES[rule]
    fields = {"value": value if value is not None else "", **params}
    return Problem(
        rule=rule, file=file, sheet=sheet, row=row, column=column, value=value,
        message_en=f"{_location('en', file, sheet, row, column)}: {en.format(**fields)}",
        message_pt=f"{_location('pt', file, sheet, row, column)}: {pt.format(**fields)}",
    )


def format_report_text(file: str, sha256: str, status: str, problems: list[Problem]) -> str:
    """A readable report: Portuguese first, then English, one line per problem."""
    status_pt = {"rejected": "rejeitado", "loaded": "carregado",
                 "duplicate": "duplicado", "valid": "válido"}.get(status, status)
    lines = [
        "Relatório de validação / Validation report",
        f"Ficheiro / File: {file}",
        f"SHA-256: {sha256}",
        f"Estado / Status: {status_pt} / {status}",
        f"Problemas / Problems: {len(problems)}",
        "",
        "PORTUGUÊS",
        *(f"- [{p.rule}] {p.message_pt}" for p in problems),
        "",
        "ENGLISH",
        *(f"- [{p.rule}] {p.message_en}" for p in problems),
        "",
    ]
    return "\n".join(lines)
