"""What the donor report says, independent of its format (HTML, PDF, XLSX, CSV): the cover
facts, the narrative generated from the results, the notes (source, release, flags,
synthetic notice) and the sign-off block. Every text comes from the translation table; the
project's identification from ``[project]`` in the results framework (targets.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from indicators import release_reader as data
from indicators.i18n import fmt_date, fmt_number, fmt_pct, norm_lang, t
from indicators.registry import ProjectIdentity, project_identity
from indicators.release_reader import Release
from indicators.reports import results_table as results
from indicators.reports.exports import Table


@dataclass(frozen=True)
class ReportContent:
    """Everything a donor report shows, in one language."""

    lang: str
    rperiod: str | None
    period_label: str
    title: str
    cover: tuple[tuple[str, str], ...]       # (label, value) pairs of the cover block
    header: str                              # running header of every page
    communication: str                       # EEA Grants communication text
    narrative: tuple[str, ...]               # paragraphs generated from the results
    table: Table                             # the results framework (donor layout)
    notes: tuple[str, ...]                   # source, flags, sex note, synthetic notice
    signoff: tuple[str, ...]                 # roles that sign
    synthetic: bool
    asked: str | None                        # a requested period the release does not have


def fmt_grant(amount: int, lang: str) -> str:
    """``€295,147`` in English, ``295 147 €`` in Portuguese (no-break spaces)."""
    number = fmt_number(float(amount), lang)
    return f"€{number}" if norm_lang(lang) == "en" else f"{number}\u00a0€"


def cover_block(project: ProjectIdentity, rel: Release, period: str, lang: str,
                today: date) -> tuple[tuple[str, str], ...]:
    return (
        (t("rep.programme", lang), project.programme),
        (t("rep.project", lang), project.code),
        (t("rep.promoter", lang), project.promoter),
        (t("rep.operator", lang), project.operator),
        (t("rep.dpp", lang), project.donor_programme_partner),
        (t("rep.grant", lang), fmt_grant(project.grant_eur, lang)),
        (t("rep.period", lang), period),
        (t("rep.release", lang), rel.release_id),
        (t("rep.date", lang), fmt_date(today, lang)),
    )


def _value(value: object, lang: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(float(value), lang)
    return t("rep.n.confidential", lang) if value == results.CONFIDENTIAL else "—"


def narrative(table: Table, period: str, lang: str) -> tuple[str, ...]:
    """A count of indicators by status, then one sentence per indicator."""
    cols = {c: i for i, c in enumerate(table.columns)}
    status_col = cols[t("col.status", lang)]
    states = ("achieved", "achieved_late", "on_track", "at_risk", "not_achieved")
    words = {s: t(f"res.status.{s}", lang) for s in states}
    counts = {s: sum(1 for r in table.rows if r[status_col] == words[s]) for s in states}
    unassessed = len(table.rows) - sum(counts.values())
    out = [t("rep.n.counts", lang, period=period, total=len(table.rows),
             unassessed=unassessed, **counts)]
    for row in table.rows:
        pct = row[cols[t("col.pct_target", lang)]]
        key = "rep.n.line" if pct is not None else "rep.n.line_nopct"
        line = t(key, lang, indicator=row[cols[t("col.indicator", lang)]],
                 period_value=_value(row[cols[t("res.col.period_total", lang)]], lang),
                 to_date=_value(row[cols[t("res.col.to_date_total", lang)]], lang),
                 pct=fmt_pct(pct, lang, 1) if pct is not None else "",
                 target=_value(row[cols[t("col.target", lang)]], lang),
                 status=row[status_col].lower())  # mid-sentence, after a dash
        women = row[cols[t("res.col.period_women", lang)]]
        men = row[cols[t("res.col.period_men", lang)]]
        if isinstance(women, int | float) or isinstance(men, int | float):
            line += t("rep.n.sex", lang, women=_value(women, lang), men=_value(men, lang))
        out.append(line)
    return tuple(out)


def build(rel: Release, rperiod: str | None, lang: str, today: date | None = None
          ) -> ReportContent:
    """The report of ``rperiod`` (the default period when the release does not have it:
    ``asked`` then names the requested one, and every format says so)."""
    lang = norm_lang(lang)
    params = results.normalise(rel, {"rperiod": rperiod})
    rp = params["rperiod"]
    period = results.period_label(rp, lang)
    project = project_identity()
    table = results.table_for(rel, rp, lang)
    notes = [t("rep.source_text", lang, project=project.code), t("rep.flags_legend", lang),
             t("res.status_note", lang), t("res.sex_note", lang)]
    meta = data.indicators(rel)
    if any(meta.filter(meta["family"] == "eea_results")["targets_illustrative"]
           .fill_null(False)):
        notes.append(t("res.illustrative", lang))
    if rel.info.synthetic:
        notes.insert(0, t("app.synthetic", lang))
    if params["asked"]:
        notes.insert(0, t("res.period_missing", lang, asked=params["asked"], shown=period))
    return ReportContent(
        lang=lang, rperiod=rp, period_label=period,
        title=f"{t('rep.title', lang)} — {project.code} — {period}",
        cover=cover_block(project, rel, period, lang, today or date.today()),
        header=t("rep.header", lang, project=project.code, period=period),
        communication=t("rep.communication", lang, project=project.code,
                        grant=fmt_grant(project.grant_eur, lang),
                        programme=project.programme),
        narrative=narrative(table, period, lang), table=table, notes=tuple(notes),
        signoff=(t("rep.signoff.prepared", lang) + f" — {project.promoter}",
                 t("rep.signoff.checked", lang) + f" — {project.operator}"),
        synthetic=bool(rel.info.synthetic), asked=params["asked"])
