"""The indicator lists (Trends, Map) follow one order in both languages: counts, then rates,
then changes, then shares, as the registry lists them (a user review found the English list
scrambled: three changes, then a rate, shares, and the headline's own rate last)."""

from __future__ import annotations

from dashboards.pages.common import indicator_options
from indicators.registry import load_registry
from indicators.release_reader import ReleaseStore

GROUPS = ("count", "rate", "change", "change_pct", "share")


def _group(code: str) -> int:
    entry = load_registry().get(code)
    return GROUPS.index("count" if entry.is_count else entry.method)


def test_counts_rates_changes_shares_in_both_languages(store: ReleaseStore):
    rel = store.current()
    codes = {lang: [c for c, _ in indicator_options(rel, lang)] for lang in ("pt", "en")}
    assert codes["pt"] == codes["en"]
    assert codes["en"][0] == "THB_SIGNALLED"  # the headline first
    groups = [_group(c) for c in codes["en"]]
    assert {GROUPS.index(g) for g in ("count", "rate", "share")} <= set(groups)
    changes = {GROUPS.index("change"), GROUPS.index("change_pct")}
    coarse = [min(g, GROUPS.index("change")) if g in changes else g for g in groups]
    assert coarse == sorted(coarse), list(zip(codes["en"], groups, strict=True))
    rates = [c for c in codes["en"] if _group(c) == GROUPS.index("rate")]
    assert rates[0] == "THB_SIGNALLED_RATE"  # the headline's rate leads the rates


def map_order_problems(rel) -> list[str]:
    """What is wrong with the map's indicator list of ``rel`` (empty: nothing): rates first,
    then the same order as the Trends list, in both languages."""
    from dashboards.pages import map as map_page

    problems = []
    for lang in ("pt", "en"):
        codes = [c for c, _ in map_page._district_indicators(rel, lang)]
        groups = [_group(c) for c in codes]
        rate = GROUPS.index("rate")
        if groups != sorted(groups, key=lambda g: g != rate):
            problems.append(f"{lang}: rates not first: {codes}")
        rest = [c for c in codes if _group(c) != rate]
        if rest != [c for c, _ in indicator_options(rel, lang) if c in rest]:
            problems.append(f"{lang}: not the Trends order: {codes}")
    return problems


def test_the_map_lists_rates_first_then_the_same_order(store: ReleaseStore):
    assert map_order_problems(store.current()) == []
