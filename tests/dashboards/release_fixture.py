"""Build a small, realistic, PROTECTED release file for the dashboard tests.

The file follows ``sql/published/schema.sql`` (loaded by path). Every published count is 0,
at least 5, or NULL flagged ``c``; derived values (rates, shares) are NULL ``c`` wherever
their numerator or denominator is. Months after ``latest_complete_period`` are ``p``.

Usage: ``write_release_fixture(serving_dir, release_id=...)`` writes
``<release_id>.duckdb`` and (unless ``set_current=False``) the CURRENT pointer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from indicators.reference import districts, national_population, partners

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_SQL = ROOT / "sql" / "published" / "schema.sql"
K = 5
FIRST = (2023, 1)
LAST = (2024, 6)             # latest month with data (provisional)
LATEST_COMPLETE = (2024, 5)
COUNT_UNITS = ("persons", "sessions", "documents")

BREAKDOWNS: dict[str, list[str]] = {
    "sex": ["F", "M"],
    "minors_adults": ["minors", "adults"],
    "citizenship_group": ["PT", "EU", "NON_EU"],
    "exploitation": ["sexual_prostitution", "sexual_online", "labour", "other"],
    "signalled_by": ["police", "ngo", "hotline"],
}

# Groups of the exploitation hierarchy (registry: hierarchies.exploitation), published beside
# their parts like the pipeline does; the dashboard shows one level at a time.
EXPLOITATION_GROUPS: dict[str, list[str]] = {
    "SEXUAL": ["sexual_prostitution", "sexual_online"], "LABOUR": ["labour"], "OTHER": ["other"]}
# Like the registry: national breakdowns are not published by month (too small to protect).
NO_MONTHLY_BREAKDOWNS = True


@dataclass(frozen=True)
class Ind:
    code: str
    name_pt: str
    name_en: str
    unit: str
    kind: str
    family: str = "trafficking"
    audience: str = "public"


TRAFFICKING = [
    Ind("THB_SIGNALLED", "Pessoas sinalizadas", "Persons signalled", "persons", "count"),
    Ind("THB_CONFIRMED", "Vítimas confirmadas", "Confirmed victims", "persons", "count"),
    Ind("THB_SIGNALLED_RATE", "Taxa de pessoas sinalizadas por 100 000 habitantes",
        "Persons signalled per 100,000 residents", "rate_100k", "derived"),
    Ind("THB_SHARE_MINORS", "Proporção de menores", "Share of minors", "percent", "derived"),
    Ind("THB_SHARE_FEMALE", "Proporção de mulheres e raparigas", "Share of women and girls",
        "percent", "derived"),
    Ind("THB_SHARE_FOREIGN", "Proporção de cidadãos estrangeiros", "Share of foreign citizens",
        "percent", "derived"),
    Ind("THB_SHARE_SEXUAL", "Proporção de exploração sexual", "Share of sexual exploitation",
        "percent", "derived"),
    Ind("THB_SHARE_ONLINE", "Proporção de exploração sexual online",
        "Share of online sexual exploitation", "percent", "derived"),
]
EEA = [
    ("EEA_VICTIMS_SUPPORTED", "Vítimas de exploração sexual apoiadas (novos casos)",
     "Victims of sexual exploitation supported (new cases)", "persons", "outcome", 40, 120),
    ("EEA_PROFESSIONALS_TRAINED", "Profissionais formados", "Professionals trained", "persons",
     "output", 0, 600),
    ("EEA_TRAINING_SESSIONS", "Sessões de formação realizadas", "Training sessions delivered",
     "sessions", "output", 0, 40),
    ("EEA_GUIDELINES_DEVELOPED", "Orientações intersetoriais desenvolvidas e testadas",
     "Intersectoral guidelines developed and tested", "documents", "output", 0, 2),
]


def protect(count: float) -> tuple[float | None, str]:
    """The frequency rule: 1..K-1 → NULL 'c'."""
    return (None, "c") if 0 < count < K else (float(count), "")


def _months() -> list[date]:
    out, (y, m) = [], FIRST
    while (y, m) <= LAST:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _end(start: date, months: int) -> date:
    y, m = start.year, start.month + months
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return date.fromordinal(date(y, m, 1).toordinal() - 1)


def _periods(months: list[date]) -> list[tuple[str, date, date, str, list[date]]]:
    """(grain, period, period_end, label, months included) for every grain."""
    out = [("month", mo, _end(mo, 1), f"{mo:%Y-%m}", [mo]) for mo in months]
    for year in sorted({mo.year for mo in months}):
        ms = [mo for mo in months if mo.year == year]
        for q in range(1, 5):
            qm = [mo for mo in ms if (mo.month - 1) // 3 + 1 == q]
            if len(qm) == 3:
                out.append(("quarter", qm[0], _end(qm[0], 3), f"{year}-Q{q}", qm))
        if len(ms) == 12:
            out.append(("year", ms[0], _end(ms[0], 12), f"{year}", ms))
        for i in range(len(ms)):
            part = ms[: i + 1]
            out.append(("ytd", part[0], _end(part[-1], 1),
                        f"{part[0]:%Y-%m}..{part[-1]:%Y-%m}", part))
    for i in range(11, len(months)):
        part = months[i - 11: i + 1]
        out.append(("r12", part[0], _end(part[-1], 1), f"{part[0]:%Y-%m}..{part[-1]:%Y-%m}",
                    part))
    return out


def _month_counts(rng: np.random.Generator, months: list[date]) -> dict:
    """{(indicator, geo, breakdown, code, month): count} true counts before protection."""
    geos = [d.code for d in districts()] + ["ABROAD", "UNKNOWN"]
    pop = {d.code: d.pop_2021 for d in districts()}
    counts: dict = {}
    for geo in geos:
        base = 0.2 + pop.get(geo, 150_000) / 250_000
        for mo in months:
            total = int(rng.poisson(base * (1.0 + 0.3 * (mo.year - 2023))))
            confirmed = int(rng.binomial(total, 0.4))
            for ind, tot in (("THB_SIGNALLED", total), ("THB_CONFIRMED", confirmed)):
                counts[(ind, geo, "_T", "_T", mo)] = tot
                for bd, codes in BREAKDOWNS.items():
                    split = rng.multinomial(tot, [1 / len(codes)] * len(codes))
                    for code, n in zip(codes, split, strict=True):
                        counts[(ind, geo, bd, code, mo)] = int(n)
                for group, parts in EXPLOITATION_GROUPS.items():
                    counts[(ind, geo, "exploitation", group, mo)] = sum(
                        counts[(ind, geo, "exploitation", part, mo)] for part in parts)
    return counts


def build_values(release_id: str, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    months = _months()
    latest_complete = date(*LATEST_COMPLETE, 1)
    month_counts = _month_counts(rng, months)
    geos = [d.code for d in districts()] + ["ABROAD", "UNKNOWN"]
    pop = {d.code: d.pop_2021 for d in districts()}
    national = national_population()
    rows: list[dict] = []
    keys = sorted({k[:4] for k in month_counts})

    def add(ind: str, grain: str, start: date, end: date, label: str, geo: str, bd: str,
            code: str, value: float | None, flags: str, unit: str,
            num: float | None = None, den: float | None = None) -> None:
        if NO_MONTHLY_BREAKDOWNS and grain == "month" and bd != "_T":
            return
        rows.append(dict(release_id=release_id, indicator=ind, grain=grain, period=start,
                         period_end=end, period_label=label, geo=geo, breakdown=bd,
                         breakdown_code=code, value=value, numerator=num, denominator=den,
                         unit=unit, flags=flags))

    for grain, start, end, label, ms in _periods(months):
        prov = "p" if ms[-1] > latest_complete else ""
        true: dict = {}
        for ind, geo, bd, code in keys:
            true[(ind, geo, bd, code)] = sum(month_counts[(ind, geo, bd, code, mo)] for mo in ms)
        for ind in ("THB_SIGNALLED", "THB_CONFIRMED"):
            for bd, code in [("_T", "_T")] + [(b, c) for b, cs in BREAKDOWNS.items() for c in cs] \
                    + [("exploitation", g) for g in EXPLOITATION_GROUPS]:
                nat = sum(true[(ind, g, bd, code)] for g in geos)
                true[(ind, "PT", bd, code)] = nat
        protected: dict = {}
        for (ind, geo, bd, code), n in true.items():
            value, flag = protect(n)
            # A revised value here and there (not for confidential cells).
            if flag == "" and grain == "month" and start.month == 3 and geo == "PT-13":
                flag = "r"
            protected[(ind, geo, bd, code)] = value
            add(ind, grain, start, end, label, geo, bd, code, value, flag + prov, "persons")
        # Rates per 100,000 (districts and national; total and by sex).
        for geo in [d.code for d in districts()] + ["PT"]:
            population = pop.get(geo) or national.get(start.year) or max(national.values())
            for bd, code in (("_T", "_T"), ("sex", "F"), ("sex", "M")):
                num = protected[("THB_SIGNALLED", geo, bd, code)]
                rate = None if num is None else round(num / population * 100_000, 3)
                add("THB_SIGNALLED_RATE", grain, start, end, label, geo, bd, code, rate,
                    ("c" if num is None else "") + prov, "rate_100k", num, float(population))
        # Shares, national and by district (total only).
        share_parts = {
            "THB_SHARE_MINORS": [("minors_adults", "minors")],
            "THB_SHARE_FEMALE": [("sex", "F")],
            "THB_SHARE_FOREIGN": [("citizenship_group", "EU"), ("citizenship_group", "NON_EU")],
            "THB_SHARE_SEXUAL": [("exploitation", "sexual_prostitution"),
                             ("exploitation", "sexual_online")],
            "THB_SHARE_ONLINE": [("exploitation", "sexual_online")],
        }
        for geo in ["PT"] + [d.code for d in districts()]:
            den = protected[("THB_SIGNALLED", geo, "_T", "_T")]
            for ind, parts in share_parts.items():
                nums = [protected[("THB_SIGNALLED", geo, b, c)] for b, c in parts]
                num = None if any(n is None for n in nums) else float(sum(nums))
                if num is None or den is None:
                    add(ind, grain, start, end, label, geo, "_T", "_T", None, "c" + prov,
                        "percent", None, None)
                elif den == 0:
                    add(ind, grain, start, end, label, geo, "_T", "_T", None, "z" + prov,
                        "percent", num, den)
                else:
                    add(ind, grain, start, end, label, geo, "_T", "_T",
                        round(num / den * 100, 3), prov, "percent", num, den)
    return pl.DataFrame(rows, infer_schema_length=None)


def _indicators() -> pl.DataFrame:
    rows = []
    bds = ["sex", "minors_adults", "citizenship_group", "exploitation", "signalled_by"]
    for ind in TRAFFICKING:
        count = ind.kind == "count"
        rows.append(dict(
            code=ind.code, family=ind.family, name_pt=ind.name_pt, name_en=ind.name_en,
            definition_pt=f"Definição de «{ind.name_pt}» (dados de teste).",
            definition_en=f"Definition of '{ind.name_en}' (test data).",
            unit=ind.unit, kind=ind.kind,
            breakdowns=bds if count else (["sex"] if ind.unit == "rate_100k" else []),
            grains=["month", "quarter", "year", "r12", "ytd"], threshold=K if count else None,
            level=None, baseline_value=None, baseline_year=None, target_value=None,
            target_year=None, targets_illustrative=None, audience=ind.audience))
    for code, pt, en, unit, level, base, target in EEA:
        rows.append(dict(
            code=code, family="eea_results", name_pt=pt, name_en=en,
            definition_pt=f"Definição de «{pt}».", definition_en=f"Definition of '{en}'.",
            unit=unit, kind="count", breakdowns=["sex"] if unit == "persons" else [],
            grains=["year"], threshold=K, level=level, baseline_value=float(base),
            baseline_year=2022, target_value=float(target), target_year=2025,
            targets_illustrative=True, audience="donor"))
    return pl.DataFrame(rows, infer_schema_length=None)


def _eea_results(release_id: str) -> pl.DataFrame:
    rows = []
    # (total, F, M) in the period and to date, per reporting period: the calendar year 2023
    # and the first interim period of 2024 (Jan-Apr; the split by sex is published by
    # calendar year only, so it is not available there). M of supported victims is small.
    achieved_by = {
        "EEA_VICTIMS_SUPPORTED": {"2023": ((52, 49, 3), (52, 49, 3)),
                                  "2024-P1": ((71,), (123,))},
        "EEA_PROFESSIONALS_TRAINED": {"2023": ((210, 130, 80), (370, 220, 150)),
                                      "2024-P1": ((160,), (530,))},
        "EEA_TRAINING_SESSIONS": {"2023": ((14,), (14,)), "2024-P1": ((11,), (25,))},
        "EEA_GUIDELINES_DEVELOPED": {"2023": ((0,), (0,)), "2024-P1": ((2,), (2,))},
    }
    spans = {"2023": (date(2023, 1, 1), date(2023, 12, 31), "year"),
             "2024-P1": (date(2024, 1, 1), date(2024, 4, 30), "interim")}
    status_by = {"EEA_VICTIMS_SUPPORTED": "on_track", "EEA_PROFESSIONALS_TRAINED": "at_risk",
                 "EEA_TRAINING_SESSIONS": "on_track", "EEA_GUIDELINES_DEVELOPED": "at_risk"}
    for code, _pt, _en, unit, _level, base, target in EEA:
        for rp, (in_period, to_date) in achieved_by[code].items():
            first, last, kind = spans[rp]
            parts = [("_T", "_T", in_period[0], to_date[0])]
            if unit == "persons":
                parts += [("sex", s, in_period[i] if len(in_period) == 3 else None,
                           to_date[i] if len(to_date) == 3 else None)
                          for i, s in ((1, "F"), (2, "M"))]
            for bd, bc, n_period, n_to_date in parts:
                achieved, flag = protect(n_to_date) if n_to_date is not None else (None, ":")
                period_value, period_flag = (protect(n_period) if n_period is not None
                                             else (None, ":"))
                pct = None if achieved is None or bd != "_T" else round(achieved / target * 100, 1)
                status = status_by[code] if bd == "_T" else None
                provisional = "p" if rp != "2023" else ""
                rows.append(dict(release_id=release_id, indicator=code, reporting_period=rp,
                                 period_end=last, period_start=first, period_kind=kind,
                                 breakdown=bd, breakdown_code=bc,
                                 baseline=float(base) if bd == "_T" else None,
                                 target=float(target) if bd == "_T" else None,
                                 achieved=achieved, pct_of_target=pct,
                                 status=status if achieved is not None else None,
                                 flags=flag + provisional, achieved_period=period_value,
                                 period_flags=period_flag + provisional))
    return pl.DataFrame(rows, infer_schema_length=None)


def _data_quality() -> pl.DataFrame:
    rows = []
    states = ["received", "received", "received", "late", "revised", "missing", "rejected"]
    for i, partner in enumerate(partners()):
        for j, mo in enumerate(_months()):
            for rt in sorted(partner.returns):
                state = states[(i * 3 + j) % len(states)] if mo <= date(*LATEST_COMPLETE, 1) \
                    else ("missing" if i % 2 else "received")
                received = state not in ("missing",)
                rows.append(dict(
                    partner=partner.code, return_type=rt, period=mo, expected=True,
                    received=received,
                    first_received_at=datetime(mo.year, mo.month, 28) if received else None,
                    days_late=9 if state == "late" else (0 if received else None),
                    versions=2 if state == "revised" else int(received),
                    rejected_files=1 if state == "rejected" else 0, state=state))
    return pl.DataFrame(rows, infer_schema_length=None)


def write_release_fixture(serving_dir: Path, release_id: str = "20240710T060000000000Z-abc123",
                          *, set_current: bool = True, synthetic: bool = True,
                          seed: int = 7, extra_rejected_files: tuple[str, ...] = ()) -> Path:
    """Write ``serving_dir/<release_id>.duckdb`` and, by default, point CURRENT to it.
    ``extra_rejected_files``: more ``published.rejections`` rows with these file names."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    path = serving_dir / f"{release_id}.duckdb"
    values = build_values(release_id, seed=seed)
    indicators = _indicators()
    eea = _eea_results(release_id)
    dq = _data_quality()
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        con.execute(
            "INSERT INTO published.release_info VALUES (?, ?, ?, ?, NULL, ?, TRUE, TRUE, ?, ?, ?)",
            [release_id, datetime(2024, 7, 10, 6, 0), date(*LAST, 1), date(*LATEST_COMPLETE, 1),
             K, synthetic, json.dumps([{"partner": "APAV", "return_type": "victims"}]),
             json.dumps({"values_changed": 12})])
        for table, frame in (("indicators", indicators), ("indicator_values", values),
                             ("eea_results", eea), ("data_quality", dq)):
            con.register("frame", frame.to_arrow())
            cols = ", ".join(frame.columns)
            con.execute(f"INSERT INTO published.{table} ({cols}) SELECT {cols} FROM frame")
            con.unregister("frame")
        con.execute(
            "INSERT INTO published.rejections VALUES "
            "('<script>alert(1)</script>=SUM(A1).csv', TIMESTAMP '2024-03-29 10:00', 'APAV', "
            "['count_integer'], 'Counts must be whole numbers (row 4).', "
            "'As contagens têm de ser números inteiros (linha 4).'), "
            "('returns_2024_02.xlsx', TIMESTAMP '2024-02-27 09:00', NULL, ['personal_data'], "
            "'A column looks like personal data (names).', "
            "'Uma coluna parece conter dados pessoais (nomes).')")
        for file_name in extra_rejected_files:
            con.execute(
                "INSERT INTO published.rejections VALUES (?, TIMESTAMP '2024-04-02 08:00', "
                "'APAV', ['encoding'], 'The file is not readable text.', "
                "'O ficheiro não é texto legível.')", [file_name])
        con.execute(
            "INSERT INTO published.release_history VALUES "
            "(?, TIMESTAMP '2024-07-10 06:00', 'June 2024 returns added; March revised.', "
            "'Reportes de junho de 2024 adicionados; março revisto.', 12), "
            "('20240610T060000000000Z-fed987', TIMESTAMP '2024-06-10 06:00', "
            "'May 2024 returns added.', 'Reportes de maio de 2024 adicionados.', 0)",
            [release_id])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if set_current:
        point_current(serving_dir, path.name)
    return path


def point_current(serving_dir: Path, file_name: str) -> None:
    tmp = serving_dir / ".CURRENT.tmp"
    tmp.write_text(file_name + "\n", encoding="utf-8")
    os.replace(tmp, serving_dir / "CURRENT")
