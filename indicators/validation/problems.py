"""Validation problems: one machine code, a location, and a message in English and Portuguese.

Every message names the file, and where it applies the sheet, the row (as a spreadsheet
shows it: the header is row 1), the column (as the partner wrote it) and the offending value.
The messages live in the one translation table, :mod:`indicators.i18n` (key ``val.<rule>``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from indicators.i18n import t

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


def message_key(rule: str) -> str:
    """The translation-table key (:mod:`indicators.i18n`) of ``rule``'s message."""
    return f"val.{rule}"


def _location(lang: str, file: str, sheet: str | None, row: int | None,
              column: str | None) -> str:
    """``file, sheet "S", row 3, column "C"`` in ``lang``, leaving out what is unknown."""
    where = {"sheet": sheet, "row": row, "column": column}
    return ", ".join([file] + [t(f"val.where.{name}", lang, **{name: value})
                               for name, value in where.items() if value is not None])


def truncate(value: str | None, limit: int | None = MAX_VALUE_CHARS) -> str | None:
    """``value`` with unprintable characters as ``?``, cut to ``limit`` characters (None:
    never cut)."""
    if value is None:
        return None
    value = "".join(ch if ch.isprintable() else "?" for ch in value)
    return value if limit is None or len(value) <= limit else value[: limit - 1] + "…"


def make_problem(rule: str, file: str, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value: str | None = None,
                 value_limit: int | None = MAX_VALUE_CHARS, **params: object) -> Problem:
    """Build a problem with both messages from the translation table (``val.<rule>``).

    The value is cut to ``value_limit`` characters (it echoes what the partner wrote); a
    value the validation builds itself from contract codes (a cell key) passes None and is
    shown whole.
    """
    value = truncate(value, value_limit)
    fields = {"value": value if value is not None else "", **params}
    return Problem(
        rule=rule, file=file, sheet=sheet, row=row, column=column, value=value,
        message_en=f"{_location('en', file, sheet, row, column)}: "
                   f"{t(message_key(rule), 'en', **fields)}",
        message_pt=f"{_location('pt', file, sheet, row, column)}: "
                   f"{t(message_key(rule), 'pt', **fields)}",
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
