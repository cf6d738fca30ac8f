"""How an upload stands, in words, for the partner's Submit page and the analysts' upload log
alike: the version it carries and what it replaced ("v2; substitui a v1 de 29/11/2026"), and
where it stands ("substituída pela v3", "recebido → carregado → na publicação R"). One rule
(:mod:`indicators.submission_status`), one wording, on both pages and in the log's files.

What the current release says of a partner's returns (:func:`published_of`) is read once per
screen so a release flip between two reads never mixes two releases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from indicators import submission_status as status
from indicators import submissions as subs
from indicators.i18n import fmt_date, t
from indicators.local_time import local_time
from indicators.release_reader import Release, ReleaseStore, Unavailable
from indicators.settings import Settings
from indicators.submissions import Submission


@dataclass(frozen=True)
class Published:
    """What ONE release (the current one when read) says of the partner's returns, so that a
    release flip between two reads never mixes two releases on one screen. Empty when no
    release is served."""

    release_id: str | None = None
    versions: dict[tuple[str, str], int] = field(default_factory=dict)  # (type, YYYY-MM)
    states: dict[tuple[str, str], str] = field(default_factory=dict)  # data-quality state
    late: dict[tuple[str, str], int] = field(default_factory=dict)  # days late, 1st delivery


def published_of(store: ReleaseStore | None, partner: str) -> Published:
    """One read of the current release: its id, the partner's (return type, YYYY-MM) →
    version in it, the partner's data-quality states (its own rows only) and the days the
    FIRST delivery it knows came after the due date (0: on time; returns not received left
    out)."""
    return published_in(current_release(store), partner)


def current_release(store: ReleaseStore | None) -> Release | None:
    """The release served now (None without a store or a release)."""
    if store is None:
        return None
    try:
        return store.current()
    except Unavailable:
        return None


def published_in(rel: Release | None, partner: str) -> Published:
    """What ``rel`` says of ``partner``'s returns (:func:`published_of`, for a caller that
    reads one release for several partners)."""
    if rel is None:
        return Published()
    versions, states, late = _published_quality(rel, partner)
    return Published(rel.release_id, versions, states, late)


def _published_quality(rel: Release, partner: str) -> tuple[dict, dict, dict]:
    def compute() -> tuple[dict, dict, dict]:
        raw = rel.query("source_returns")
        value = raw.item() if raw.height else None
        rows = json.loads(value) if isinstance(value, str) else (value or [])
        versions = {(r["return_type"], str(r["period"])[:7]): int(r["version"])
                    for r in rows if r.get("partner") == partner}
        quality = rel.query("partner_quality", {"partner": partner})
        states = {(r["return_type"], r["period"]): r["state"]
                  for r in quality.iter_rows(named=True)}
        late = {(r["return_type"], r["period"]): int(r["days_late"])
                for r in quality.iter_rows(named=True) if r.get("days_late") is not None}
        return versions, states, late

    return rel.cached(("submit-published", partner), compute)


def versions_text(sub: Submission) -> str:
    """``v1, v2``: the versions the upload was given (empty when none)."""
    return ", ".join(f"v{v}" for v in sorted(set(sub.versions.values())))


def identical_text(sub: Submission, mine: list[Submission], lang: str) -> str:
    """What became of a duplicate: nothing was handed over for loading (no inbox file, no
    quarantine, no new version; only its audit line is kept)."""
    same = status.identical_to(sub, mine)
    if same is not None:
        return t("submit.identical_version", lang, versions=versions_text(same))
    return t("submit.identical_loaded", lang)


def replaces_text(sub: Submission, mine: list[Submission], lang: str) -> str:
    """``substitui a v2 de 29/11/2026`` (the date when that version came through this page)."""
    parts = [t("submit.replaces_on", lang, version=version,
               date=fmt_date(local_time(when).date(), lang)) if when is not None
             else t("submit.replaces", lang, version=version)
             for version, when in status.replaces(sub, mine)]
    return ", ".join(parts)


def version_text(sub: Submission, mine: list[Submission], lang: str) -> str:
    """The versions and what they replace: ``v2; substitui a v1 de 29/11/2026``."""
    replaced = replaces_text(sub, mine, lang)
    return "; ".join(part for part in (versions_text(sub), replaced) if part)


def status_text(sub: Submission, mine: list[Submission], settings: Settings,
                published: Published, lang: str) -> str:
    """Where the upload stands: replaced by a newer version, or its progress (received →
    loaded → in release R), or what became of it (rejected, identical, reason missing)."""
    if sub.result == subs.DUPLICATE:
        return identical_text(sub, mine, lang)
    newer = status.replaced_by(sub, mine)
    if newer is not None:
        return t("submit.replaced_by", lang, version=newer)
    state = status.progress(sub, settings, published.release_id, published.versions)
    return t(f"submit.progress.{state.state}", lang, release=state.release_id or "")


def chain_text(sub: Submission, mine: list[Submission], settings: Settings,
               published: Published, lang: str) -> str:
    """Version and status in one line, as the partner's history shows them side by side:
    ``v2; substitui a v1 de 29/11/2026; recebido → carregado → na publicação R``,
    ``v1; substituída pela v2``; a rejected or duplicate upload has no version of its own."""
    version = version_text(sub, mine, lang) if sub.result == subs.ACCEPTED else ""
    return "; ".join(part for part in (version, status_text(sub, mine, settings, published,
                                                            lang)) if part)
