"""The human-readable partner-return contract (Portuguese and English), generated.

``render_contract_markdown()`` builds the document from ``v1.toml`` and the reference lists,
so it can never say something the validator does not enforce. The committed copy is
``docs/contract.md``; regenerate it with ``observatory contract --out docs/contract.md``
(a test fails when the two differ).
"""

from __future__ import annotations

from pathlib import Path

from indicators import reference
from indicators.contract import Contract, load_contract
from indicators.contract.labels import code_labels

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "docs" / "contract.md"

# Reference lists too long to repeat in the column tables: shown in their own section.
_LONG_LISTS = ("district", "citizenship", "partner")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _codes_summary(contract: Contract, column: str, return_type: str) -> str:
    spec = contract.columns[column]
    if spec.format == "YYYY-MM":
        return f"`YYYY-MM`, {contract.first_period} …"
    if spec.format == "integer":
        return f"0 … {contract.max_count}"
    codes = contract.allowed_codes(column, return_type) or ()
    if column in _LONG_LISTS:
        return f"→ §{_section_number(column)}"
    return ", ".join(f"`{c}`" for c in codes)


def _section_number(column: str) -> str:
    return {"partner": "4.1", "district": "4.2", "citizenship": "4.3"}[column]


def _principles(contract: Contract) -> list[str]:
    return [
        "## 1. Princípios / Principles",
        "",
        "**PT** — Cada linha de um reporte é **uma célula de uma tabela agregada**: quantas "
        "pessoas (ou ações) de um parceiro, num mês, num distrito, com uma dada combinação de "
        "características. **Nenhuma linha descreve uma pessoa.** Nunca envie nomes, e-mails, "
        "telefones, NIF, NISS, números de Cartão de Cidadão, datas de nascimento nem qualquer "
        "dado que identifique alguém: um ficheiro com um valor que pareça um dado pessoal é "
        "rejeitado por inteiro. Só são aceites as colunas do contrato; qualquer coluna a mais é "
        "rejeitada, porque poderia conter dados pessoais. Um mês sem casos reporta-se com pelo "
        "menos uma linha com contagem 0, para que o parceiro e o período fiquem conhecidos.",
        "",
        "**EN** — Every row of a return is **one cell of an aggregated table**: how many "
        "persons (or outputs) for one partner, month, district and combination of "
        "characteristics. **No row describes a person.** Never send names, e-mail addresses, "
        "phone numbers, Portuguese NIF/NISS/Citizen Card numbers, dates of birth or anything "
        "that identifies someone: a file with a value that looks like personal data is "
        "rejected whole. Only the contract's columns are accepted; any extra column is "
        "rejected, because it could carry personal data. A month with no cases is reported as "
        "at least one row with count 0, so that partner and period are known.",
        "",
        "**PT** — Um ficheiro é aceite por inteiro ou rejeitado por inteiro, com a lista de "
        "todos os problemas (ficheiro, linha tal como a folha de cálculo a mostra, coluna, "
        "valor e regra). Um novo reporte do mesmo parceiro, tipo e período substitui o "
        "anterior; as versões anteriores ficam guardadas.",
        "",
        "**EN** — A file is accepted whole or rejected whole, with the list of every problem "
        "(file, row as a spreadsheet shows it, column, value and rule). A new return for the "
        "same partner, return type and period supersedes the earlier one; earlier versions "
        "are kept.",
        "",
    ]


def _returns(contract: Contract) -> list[str]:
    lines = [
        "## 2. Tipos de reporte / Return types",
        "",
        "**PT** — Há três tipos de reporte, reconhecidos pelo cabeçalho (os nomes das colunas). "
        "Cada ficheiro (ou folha XLSX) contém um só tipo. As colunas que identificam a célula "
        "(todas menos `count`) não se podem repetir no mesmo ficheiro.",
        "",
        "**EN** — There are three return types, told apart by their header (the column "
        "names). Each file (or XLSX sheet) holds one type. The columns that identify a cell "
        "(all but `count`) must not repeat within a file.",
        "",
    ]
    for index, (name, spec) in enumerate(contract.returns.items(), start=1):
        lines += [
            f"### 2.{index}. `{name}` — {spec.label_pt} / {spec.label_en}",
            "",
            "| coluna / column | PT | EN | aliases | valores / values |",
            "|---|---|---|---|---|",
        ]
        for column in spec.columns:
            col = contract.columns[column]
            aliases = ", ".join(f"`{a}`" for a in col.aliases)
            lines.append(
                f"| `{column}` | {_md_cell(col.label_pt)} | {_md_cell(col.label_en)} | "
                f"{aliases} | {_codes_summary(contract, column, name)} |"
            )
        lines.append("")
    return lines


def _code_lists(contract: Contract) -> list[str]:
    lines = [
        "## 3. Códigos / Codes",
        "",
        "**PT** — Escreva os códigos exatamente como abaixo.",
        "",
        "**EN** — Write the codes exactly as below.",
        "",
    ]
    coded = [c for c, s in contract.columns.items() if s.codes is not None
             and c not in _LONG_LISTS]
    for index, column in enumerate(coded, start=1):
        spec = contract.columns[column]
        lines += [f"### 3.{index}. `{column}` — {spec.label_pt} / {spec.label_en}", ""]
        for return_type, extra in spec.codes_by_return.items():
            codes = ", ".join(f"`{c}`" for c in extra)
            lines += [f"Só em / only in `{return_type}`: {codes}.", ""]
        lines += ["| código / code | PT | EN |", "|---|---|---|"]
        for code, (pt, en) in code_labels(column).items():
            lines.append(f"| `{code}` | {_md_cell(pt)} | {_md_cell(en)} |")
        lines.append("")
    return lines


def _reference_lists(contract: Contract) -> list[str]:
    lines = ["## 4. Listas de referência / Reference lists", ""]
    lines += [
        "### 4.1. `partner` — Parceiros registados / Registered partners",
        "",
        "| código / code | nome / name | reportes permitidos / returns allowed |",
        "|---|---|---|",
    ]
    for partner in reference.partners():
        allowed = ", ".join(f"`{r}`" for r in contract.returns if r in partner.returns)
        lines.append(f"| `{partner.code}` | {_md_cell(partner.name)} | {allowed} |")
    lines += [
        "",
        "### 4.2. `district` — Distritos e regiões autónomas / Districts and autonomous regions",
        "",
        "**PT** — Códigos ISO 3166-2:PT do local onde a situação foi sinalizada ou o apoio "
        "prestado; `ABROAD` para vítimas portuguesas identificadas no estrangeiro; `UNKNOWN` "
        "quando não se sabe.",
        "",
        "**EN** — ISO 3166-2:PT codes of where the situation was signalled or the support "
        "given; `ABROAD` for Portuguese victims identified abroad; `UNKNOWN` when not known.",
        "",
        "| código / code | PT | EN |",
        "|---|---|---|",
    ]
    for code, (pt, en) in code_labels("district").items():
        lines.append(f"| `{code}` | {_md_cell(pt)} | {_md_cell(en)} |")
    lines += [
        "",
        "### 4.3. `citizenship` — Nacionalidade / Citizenship",
        "",
        "**PT** — Código ISO 3166-1 alfa-2 (por exemplo `PT`, `BR`, `RO`); `STATELESS` para "
        "apátridas; `UNKNOWN` quando não se sabe.",
        "",
        "**EN** — ISO 3166-1 alpha-2 code (for example `PT`, `BR`, `RO`); `STATELESS`; "
        "`UNKNOWN` when not known.",
        "",
        "| código / code | PT | EN |",
        "|---|---|---|",
    ]
    for code, (pt, en) in code_labels("citizenship").items():
        lines.append(f"| `{code}` | {_md_cell(pt)} | {_md_cell(en)} |")
    lines.append("")
    return lines


def _files(contract: Contract) -> list[str]:
    aliases = ", ".join(
        f"`{spec.aliases[0]}`" for spec in contract.columns.values() if spec.aliases
    )
    mb = contract.max_file_bytes // 1_000_000
    xlsx_mb = contract.max_xlsx_uncompressed_bytes // 1_000_000
    from indicators.submissions import UPLOAD_MAX_BYTES  # the dashboard's upload limit

    upload_kb = UPLOAD_MAX_BYTES // 1024
    types = ", ".join(f"`{suffix}`" for suffix in contract.file_types)
    return [
        "## 5. Ficheiros aceites / Accepted files",
        "",
        "**PT**",
        "",
        f"- Tipos de ficheiro aceites: {types}; qualquer outro é recusado.",
        "- CSV em UTF-8 (com ou sem BOM) ou Windows-1252, separado por vírgulas ou por "
        "ponto e vírgula, com uma linha de cabeçalho.",
        "- Nomes das colunas sem distinção de maiúsculas, espaços ou acentos; aceitam-se os "
        f"nomes portugueses ({aliases}).",
        "- XLSX feito a partir do modelo (`observatory template`): uma folha por tipo de "
        "reporte, com o nome do tipo; valores nas células, não fórmulas. As folhas de "
        "instruções e listas do modelo são ignoradas.",
        f"- Período `AAAA-MM`, de {contract.first_period} até ao último mês terminado (o "
        "mês corrente só depois de terminar); um ficheiro contém um só parceiro.",
        f"- Contagens em números inteiros, de 0 a {contract.max_count}.",
        f"- Tamanho máximo: {mb} MB por ficheiro; um XLSX não pode ocupar mais de {xlsx_mb} MB "
        f"descomprimido. Pela página «Enviar» do painel, {upload_kb} KB por "
        "ficheiro (um mês de um parceiro cabe folgadamente); um ficheiro maior divide-se por "
        "mês, ou entrega-se pela pasta de entrada combinada com o OTSH.",
        "",
        "**EN**",
        "",
        f"- File types accepted: {types}; any other is refused.",
        "- CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon delimited, "
        "with one header row.",
        "- Column names are case-, space- and accent-insensitive; the Portuguese names are "
        f"accepted ({aliases}).",
        "- XLSX made from the template (`observatory template`): one sheet per return type, "
        "named after the type; cell values, not formulas. The template's instruction and "
        "list sheets are ignored.",
        f"- Period `YYYY-MM`, from {contract.first_period} to the last month that has ended "
        "(the current month only once it is over); one file holds one partner.",
        f"- Counts are whole numbers from 0 to {contract.max_count}.",
        f"- Maximum size: {mb} MB per file; an XLSX may not expand to more than {xlsx_mb} MB. "
        f"Through the dashboard's \"Submit\" page, {upload_kb} KB per file (one "
        "partner's month fits easily); a larger file is split by month, or handed in "
        "through the inbox agreed with OTSH.",
        "",
    ]


def _rejections(contract: Contract) -> list[str]:
    rules = [
        ("coluna desconhecida (pode conter dados pessoais)",
         "unknown column (it could carry personal data)"),
        ("coluna em falta, ou escrita com outro nome (por exemplo genero em vez de sex: "
         "a mensagem diz qual o nome a usar)",
         "missing column, or written under another name (for example genero for sex: the "
         "message says which name to use)"),
        ("código desconhecido", "unknown code"),
        ("contagem não inteira, negativa ou absurda", "non-integer, negative or absurd count"),
        (f"período mal formado, anterior a {contract.first_period}, no futuro ou o mês "
         "corrente (ainda não terminado)",
         f"period malformed, before {contract.first_period}, in the future or the current "
         "month (not ended yet)"),
        ("parceiro não registado ou sem autorização para o tipo de reporte",
         "partner not registered or not allowed that return type"),
        ("células repetidas (mesma chave)", "duplicate cell keys"),
        ("ficheiro com mais de um parceiro", "a file mixing partners"),
        ("ficheiro vazio ou só com cabeçalho", "an empty file or a header with no rows"),
        ("bytes que não se conseguem descodificar", "undecodable bytes"),
        ("ficheiro .csv que não é texto (um PDF, um livro Excel com o nome mudado, outro "
         "ficheiro binário)",
         "a .csv file that is not text (a PDF, a renamed Excel workbook, another binary "
         "file)"),
        ("ficheiro demasiado grande; XLSX que não é um livro real ou que expande demais",
         "file too large; an XLSX that is not a real workbook or expands too much"),
        ("valores que parecem dados pessoais (e-mail, telefone, NIF, NISS, Cartão de Cidadão, "
         "data de nascimento)",
         "values that look like personal data (e-mail, phone, NIF, NISS, Citizen Card, "
         "date of birth)"),
    ]
    lines = [
        "## 6. Motivos de rejeição / Reasons for rejection",
        "",
        "| PT | EN |",
        "|---|---|",
    ]
    lines += [f"| {pt} | {en} |" for pt, en in rules]
    lines.append("")
    return lines


def render_contract_markdown() -> str:
    """The whole contract document, in Portuguese and English, as Markdown."""
    contract = load_contract()
    lines = [
        f"# Contrato de reporte dos parceiros, versão {contract.version} / "
        f"Partner-return contract, version {contract.version}",
        "",
        "<!-- Generated from indicators/contract/v1.toml and indicators/reference/ by "
        "indicators/contract/document.py. Do not edit by hand: run "
        "`observatory contract --out docs/contract.md`. -->",
        "",
        "**PT** — Este documento descreve os ficheiros mensais que os parceiros enviam ao "
        "Observatório do Tráfico de Seres Humanos (OTSH). É gerado a partir da mesma fonte "
        "que a validação e os modelos usam.",
        "",
        "**EN** — This document describes the monthly files partners send to Portugal's "
        "Observatory on Trafficking in Human Beings (OTSH). It is generated from the same "
        "source that validation and the templates read.",
        "",
    ]
    lines += _principles(contract)
    lines += _returns(contract)
    lines += _code_lists(contract)
    lines += _reference_lists(contract)
    lines += _files(contract)
    lines += _rejections(contract)
    return "\n".join(lines).rstrip("\n") + "\n"
