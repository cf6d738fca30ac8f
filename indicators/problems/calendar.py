"""The calendar of a refresh (months ``YYYY-MM`` with data) as the time dimensions of the
problems: years, complete years, quarters, complete quarters, year-to-date sums."""

from __future__ import annotations

from indicators.disclosure import Hierarchy, time_hierarchy, year_to_date_sums


def years_of(calendar: list[str]) -> dict[str, list[str]]:
    """Year -> its months, in calendar order."""
    out: dict[str, list[str]] = {}
    for month in calendar:
        out.setdefault(month[:4], []).append(month)
    return out


def full_years(calendar: list[str]) -> list[str]:
    """The years with 12 months in ``calendar``."""
    return sorted(y for y, months in years_of(calendar).items() if len(months) == 12)


def month_hierarchy(months: list[str]) -> Hierarchy:
    """Months of one year -> quarters -> year, with the year-to-date sums as linked cells."""
    return time_hierarchy(months).with_sums(year_to_date_sums(months))


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def quarters_of(months: list[str]) -> list[str]:
    """The quarters ``months`` fall in."""
    return sorted({_quarter(m) for m in months})


def complete_quarters(months: list[str]) -> list[str]:
    """The quarters of which ``months`` hold all three months."""
    counts: dict[str, int] = {}
    for m in months:
        counts[_quarter(m)] = counts.get(_quarter(m), 0) + 1
    return sorted(q for q, n in counts.items() if n == 3)


def quarter_hierarchy(year: str, quarters: list[str]) -> Hierarchy:
    """Quarters of one year -> the year."""
    return Hierarchy("quarter", {**{q: year for q in quarters}, year: "_T"})


def year_to_date_at_quarters(quarters: list[str]) -> dict[str, tuple[str, ...]]:
    """The year to date at the end of each quarter after the first (``YYYY-MM-YTD``, the
    sum of the quarters so far), when the quarters start with the first one."""
    return {f"{q[:4]}-{3 * int(q[-1]):02d}-YTD": tuple(quarters[:i + 1])
            for i, q in enumerate(quarters) if i > 0 and quarters[0].endswith("-Q1")}
