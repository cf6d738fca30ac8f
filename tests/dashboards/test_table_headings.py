"""A table under a heading that says its title has no visible caption repeating it (the
quality, methodology and partner pages once showed "Rejected files" twice), and keeps its
name for screen readers (aria-label)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dash import html

from dashboards import upload_audit
from dashboards.pages import methodology, quality, submit
from indicators import submissions as subs
from indicators.release_reader import ReleaseStore


def _walk(node: Any):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from _walk(children)


def _text(node: Any) -> str:
    return "".join(str(n) for n in _walk(node) if isinstance(n, str | int | float)) \
        if not isinstance(node, str) else node


def repeated_captions(layout: Any) -> list[str]:
    """Captions equal to the heading just before their table, in document order."""
    heading, repeated = None, []
    for node in _walk(html.Div(layout)):
        if isinstance(node, html.H2 | html.H3):
            heading = _text(node.children)
        elif isinstance(node, html.Caption) and _text(node.children) == heading:
            repeated.append(heading)
    return repeated


def unnamed_tables(layout: Any) -> list[str]:
    return [getattr(node, "id", None) or "?" for node in _walk(html.Div(layout))
            if isinstance(node, html.Table)
            and not any(isinstance(c, html.Caption) for c in node.children)
            and not getattr(node, "aria-label", None)]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_quality_and_methodology_tables_do_not_repeat_their_headings(store: ReleaseStore,
                                                                     lang):
    rel = store.current()
    shown = quality.view(rel, quality.normalise(rel, {}), lang).children
    assert repeated_captions(shown) == [] and unnamed_tables(shown) == []
    headings = [_text(n.children) for n in _walk(html.Div(shown)) if isinstance(n, html.H2)]
    assert quality.rejections_table(rel, lang).title in headings  # the heading stays
    shown = methodology.view(rel, {}, lang).children
    assert repeated_captions(shown) == [] and unnamed_tables(shown) == []


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_the_partner_page_and_upload_audit_do_not_repeat_their_headings(settings, store,
                                                                        monkeypatch, lang):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
    subs.receive((fixture / "victims_APF_2024-03.csv").read_bytes(), "victims.csv",
                 user="pia", partner="APF", settings=settings, today=date(2024, 4, 20))
    monkeypatch.setattr(submit.access, "current_partner", lambda: "APF")
    shown = submit.content(settings, store, None, lang)
    assert repeated_captions(shown) == [] and unnamed_tables(shown) == []
    ids = {n.id for n in _walk(html.Div(shown)) if isinstance(n, html.Table)}
    assert {"submit-calendar-table", "submit-history-table"} <= ids
    audit = upload_audit.section(settings, lang, store)
    assert any(isinstance(n, html.Table) for n in _walk(html.Div(audit)))
    assert repeated_captions(audit) == [] and unnamed_tables(audit) == []
