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
