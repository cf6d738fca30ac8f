"""Defects a reviewer found using the dashboard in a browser (November 2026)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dash import html

from dashboards.exports import Table
from dashboards.pages import results


def _cells(component) -> list[html.Td]:
    found = []
    if isinstance(component, html.Td):
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _cells(child)
    return found


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_every_results_cell_carries_its_column_label_for_the_phone_cards(lang):
    columns = results.columns(lang)
    row = ("Sessions", "Output", 10, 2020, 20, 2024, "c", ":", 3, 12, "c", ":", 60.0,
           "", "", "EEA_X")
    tbl = Table(name="eea_results", title="t", columns=columns, rows=(row,))
    cells = _cells(results.display_table(tbl, lang))
    assert len(cells) == len(columns)
    assert [getattr(c, "data-label", None) for c in cells] == list(columns)


def test_phone_card_label_wraps_instead_of_running_into_the_value():
    css = (Path(results.__file__).parents[1] / "assets" / "style.css").read_text()
    rule = re.search(r"table\.data:not\(\.grid\) td::before \{([^}]*)\}", css)
    assert rule and "white-space: normal" in rule.group(1)
