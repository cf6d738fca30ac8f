"""The notes that travel with every download: title, source, release, flags, definitions,
units, synthetic notice, licence and how to cite (CSV block after the table; XLSX sheet)."""

from __future__ import annotations

from dashboards.components import has_rates, methodology_href, source_text
from indicators import release_reader as data
from indicators.flags import LETTERS
from indicators.i18n import fmt_date, norm_lang, t, tn
from indicators.open_data.tables import TABLE_AUDIENCE
from indicators.release_files import release_time
from indicators.release_reader import Release
from indicators.reports.exports import Table

FLAG_LETTERS = LETTERS  # one order for every legend (indicators.flags)


def hidden_since_previous(rel: Release, audience: str, lang: str) -> str:
    """The release's word on values the release before it published that it does not ('c'
    or left out), of those ``audience`` may read ("" when none): how many and since the
    release of which date, never which ones. The banner of every page and the notes of
    every download say it."""
    n, previous = data.published_before_not_now(rel, audience)
    if not n or not previous:
        return ""
    return tn("app.not_published_now", n, lang,
              previous=fmt_date(release_time(previous).date(), lang))


def notes(rel: Release, table: Table, lang: str, period_text: str = "",
          base_url: str = "", audience: str = "public") -> list[tuple[str, str]]:
    """(label, text) pairs describing ``table`` in ``lang``: its source as the page says it
    (with the population under rates), and the page's remarks beside it. ``base_url``: the
    site that serves the download ("https://otsh.example/"); when given, the file says where
    the methodology is (its section on protecting small counts, which the remarks' "(see
    Methodology)" and the flag ``c`` refer to) as an absolute address a reader of the file
    can open. ``audience``: whose values the release's word on values no longer published
    counts (:func:`hidden_since_previous`)."""
    lang = norm_lang(lang)
    where = methodology_href(lang, base_url) if base_url else ""
    created = rel.info.created_at
    out = [
        (t("dl.title", lang), table.title),
        (t("dl.source", lang), source_text(lang, has_rates(table, lang))),
        (t("dl.release", lang), rel.release_id),
        (t("dl.release_date", lang), fmt_date(created.date(), lang)),
    ]
    if period_text:
        out.append((t("dl.period", lang), period_text))
    out.append((t("dl.language", lang), t("dl.language_name", lang)))
    out.append((t("dl.units", lang), t("dl.units_text", lang)))
    out += [(t("dl.note", lang), addressed(remark, lang, where)) for remark in table.remarks]
    out += [(f"{t('dl.flags', lang)}: {letter}", t(f"me.flag_desc.{letter}", lang))
            for letter in FLAG_LETTERS]
    if where:
        out.append((t("dl.methodology", lang), where))
    for code in table.indicators:
        meta = data.indicator_meta(rel, code)
        if meta is not None:
            suffix = "en" if lang == "en" else "pt"
            out.append((t("dl.definition", lang, name=meta[f"name_{suffix}"]),
                        meta[f"definition_{suffix}"]))
    if rel.info.synthetic:
        out.append((t("dl.synthetic", lang), t("app.synthetic", lang)))
    hidden = hidden_since_previous(rel, audience, lang)
    if hidden:
        out.append((t("dl.release_note", lang), hidden))
    internal = table.internal or TABLE_AUDIENCE.get(table.name) == "analyst"  # no licence
    out.append((t("dl.licence", lang),
                t("dl.licence_internal" if internal else "dl.licence_text", lang)))
    if not internal:
        out.append((t("dl.cite", lang), cite(rel, table.title, lang)))
    return out


def addressed(text: str, lang: str, where: str) -> str:
    """``text`` with each mention of the methodology page ("(see Methodology)") followed by
    its address ``where`` ("(see Methodology: https://…)"); unchanged without one."""
    if not where:
        return text
    word = t("page.methodology", lang)
    return text.replace(word, t("dl.page_at", lang, page=word, url=where))


def cite(rel: Release, title: str, lang: str) -> str:
    return t("dl.cite_text", lang, year=rel.info.created_at.year, title=title,
             release=rel.release_id)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def file_stem(rel: Release, table: Table, lang: str) -> str:
    """``otsh_<table>[_<subject>]_<period>_<lang>_<release>``: what the view selects (the
    indicator, its areas and breakdown) and the period shown are in the name, so two views
    never save to one file, nor an English download over the Portuguese one."""
    period = _safe(table.period) or t("dl.all_periods", lang)
    subject = "".join(f"_{_safe(part)}" for part in table.subject if part)
    return f"otsh_{table.name}{subject}_{period}_{norm_lang(lang)}_{rel.release_id}"
