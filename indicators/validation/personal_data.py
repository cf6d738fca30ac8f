"""Detectors for values that look like personal data, in any cell of a return.

Returns hold aggregated counts only; a cell that looks like an e-mail address, a phone
number, a Portuguese NIF, NISS or Cartão de Cidadão number, or a date (a date of birth) is
rejected, and its value is only ever reported masked. In the period column a whole-cell date
of the contract's years is a month written as a date, not a date of birth: the period rule
(``bad_period``) asks for ``YYYY-MM`` instead (see :func:`month_written_as_date`).

Patterns are plain regular expressions (Rust syntax, so polars can scan whole columns at
once); the NIF candidates are then confirmed with the mod-11 check digit in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Detector:
    kind: str
    label_en: str
    label_pt: str
    pattern: str


_SEP = r"[ .\-]?"

DETECTORS: tuple[Detector, ...] = (
    Detector("email", "e-mail address", "endereço de e-mail",
             r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
    Detector("phone", "phone number", "número de telefone",
             # +351 / 00351 prefix, Portuguese 9-digit mobile (91/92/93/96) or landline (2x),
             # or any international number written with + and 8 to 15 digits.
             r"(?:\+|\b00)351" + _SEP + r"[29]\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}\b"
             r"|\b9[1236]\d" + _SEP + r"\d{3}" + _SEP + r"\d{3}\b"
             r"|\b2\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}\b"
             r"|\+\d{1,3}" + _SEP + r"\d(?:" + _SEP + r"\d){6,13}\b"),
    Detector("niss", "social security number (NISS)", "número de segurança social (NISS)",
             r"\b[12]\d{10}\b"),
    Detector("cc", "Citizen Card number", "número de Cartão de Cidadão",
             r"\b\d{8} ?\d ?[A-Za-z]{2} ?\d\b"),
    Detector("date", "date (possibly a date of birth)", "data (possivelmente de nascimento)",
             r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\b|\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"),
)

NIF_LABELS = ("tax number (NIF)", "número de identificação fiscal (NIF)")
_NIF_CANDIDATE = re.compile(r"\b\d{9}\b")
NIF_CANDIDATE_PATTERN = r"\b\d{9}\b"
_FIRST_OF_MONTH = re.compile(r"^\d{4}-\d{2}-01(?:[ T]00:00:00)?$")
# A whole cell holding a date or a month in another form than YYYY-MM: day first as
# Portugal writes dates (01/10/2026, 1.10.2026), year first (2026-10-15, 2026/10), or
# month and year (10/2026); a time of midnight, as spreadsheets add to dates, is allowed.
_SEP_D = r"[/.\-]"
_MIDNIGHT = r"(?:[ T]00:00(?::00)?)?"
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}}){_SEP_D}(\d{{1,2}}){_SEP_D}(\d{{4}}){_MIDNIGHT}")
_YEAR_MONTH_DAY = re.compile(rf"(\d{{4}}){_SEP_D}(\d{{1,2}})(?:{_SEP_D}(\d{{1,2}}))?{_MIDNIGHT}")
_MONTH_YEAR = re.compile(rf"(\d{{1,2}}){_SEP_D}(\d{{4}})")

_COMPILED = tuple((d, re.compile(d.pattern)) for d in DETECTORS)


def nif_is_valid(digits: str) -> bool:
    """Portuguese NIF: 9 digits, mod-11 check digit (10 counts as 0)."""
    if len(digits) != 9 or not digits.isdigit() or digits[0] not in "1235689":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return int(digits[8]) == (0 if check >= 10 else check)


def month_written_as_date(value: str) -> tuple[int, int, bool] | None:
    """(year, month, with a day) of a cell that is wholly a date or a month written in
    another form than ``YYYY-MM`` (``01/10/2026``, ``2026-10-15``, ``10/2026``); None when
    it is not. Dates are read day first, as Portugal writes them, unless only the other
    order gives a month (``10/31/2026``)."""
    text = value.strip()
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if month > 12 and day <= 12:
            day, month = month, day
        return (year, month, True) if 1 <= month <= 12 and 1 <= day <= 31 else None
    if match := _YEAR_MONTH_DAY.fullmatch(text):
        year, month = int(match.group(1)), int(match.group(2))
        with_day = match.group(3) is not None
        day_ok = not with_day or 1 <= int(match.group(3)) <= 31
        return (year, month, with_day) if 1 <= month <= 12 and day_ok else None
    if match := _MONTH_YEAR.fullmatch(text):
        month, year = int(match.group(1)), int(match.group(2))
        return (year, month, False) if 1 <= month <= 12 else None
    return None


def detect(value: str, *, column: str | None = None, first_year: int = 0,
           ) -> tuple[str, str, str] | None:
    """(kind, label_en, label_pt) of the first personal-data pattern in ``value``, or None.

    In the period column a first-of-month date (``2024-03-01``, as spreadsheets store a
    month) is a period, not a date of birth; so is any other whole-cell date of
    ``first_year`` or later (``01/10/2026``): a month written as a date, which the period
    rule words. Earlier dates there, and dates in any other column, are still dates.
    """
    if column == "period":
        text = value.strip()
        written = month_written_as_date(text)
        if _FIRST_OF_MONTH.match(text) or (written and written[0] >= first_year):
            return None
    for candidate in _NIF_CANDIDATE.findall(value):
        if nif_is_valid(candidate):
            return ("nif", *NIF_LABELS)
    for detector, regex in _COMPILED:
        if regex.search(value):
            return (detector.kind, detector.label_en, detector.label_pt)
    return None


def suspicious_mask(column: pl.Expr) -> pl.Expr:
    """True where a string cell may hold personal data (confirm with :func:`detect`)."""
    combined = "|".join(f"(?:{d.pattern})" for d in DETECTORS) + f"|(?:{NIF_CANDIDATE_PATTERN})"
    return column.str.contains(combined)


def mask(value: str) -> str:
    """Keep the first character and the shape (separators), hide every other letter/digit."""
    out = []
    for i, ch in enumerate(value):
        out.append(ch if i == 0 or not ch.isalnum() else "*")
    return "".join(out)
