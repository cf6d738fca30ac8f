"""One release-wide audit per round when earlier releases are retained: the union is audited
(``indicators.release_union``), the release's own audit figures come from its values, and the
gates judge the union. Expected intervals are worked out by hand from year = its quarters
(the fixtures of test_release_audit_earlier)."""

from __future__ import annotations

from indicators.publish import ProtectedRelease, check_publishable
from indicators.release_audit import audit_frame, audit_release, with_earlier_releases
from indicators.release_union import release_view
from tests.indicators.test_release_audit_earlier import EARLIER, NOW, REGISTRY, frame, row, truth


def _intervals(report) -> dict[str, tuple[float, float]]:
    return {c.key[2]: (c.low, c.high) for c in report.intervals}


def test_a_release_that_passes_alone_but_not_with_an_earlier_release_is_refused():
    counts = truth({"2022": 20, "2022-Q1": 6, "2022-Q2": 5, "2022-Q3": 7, "2022-Q4": 2})
    judged = with_earlier_releases(NOW, [EARLIER], counts)
    alone = audit_release(NOW, REGISTRY, counts)
    view = release_view(audit_release(judged, REGISTRY, counts), NOW, judged, REGISTRY)
    assert alone.ok  # Q4 in [1, 20] from the release alone
    assert not view.ok
    [cell] = view.disclosed()
    assert cell.key[2] == "2022-Q4" and (cell.low, cell.high) == (2, 2)
    assert "earlier releases" in cell.how
    # the publication gate judges the union too
    release = ProtectedRelease(indicator_values=NOW, audit_ok=True, threshold=3)
    assert check_publishable(release, REGISTRY) == []
    refused = check_publishable(ProtectedRelease(indicator_values=NOW, audit_ok=True,
                                                 threshold=3, audited_values=judged), REGISTRY)
    assert len(refused) == 1 and "2022-Q4" in refused[0]


def test_the_view_keeps_the_release_s_own_cell_counts_and_pins_what_earlier_releases_tell():
    # Q3 is hidden now but an earlier release published it with today's count (7): the
    # reader holds it. Q1, Q2 are absent now (in the union only).
    now = frame([row("2022", 20.0), row("2022-Q3", None), row("2022-Q4", None)])
    counts = truth({"2022": 20, "2022-Q1": 6, "2022-Q2": 5, "2022-Q3": 7, "2022-Q4": 2})
    judged = with_earlier_releases(now, [EARLIER], counts)
    union = audit_release(judged, REGISTRY, counts)
    view = release_view(union, now, judged, REGISTRY)
    alone = audit_release(now, REGISTRY, counts)
    assert (view.cells, view.suppressed) == (alone.cells, alone.suppressed) == (3, 2)
    assert union.cells == 5  # year + Q1..Q3 published in the union, Q4 hidden (counted)
    assert view._per_indicator() == alone._per_indicator() == [("THB_SIGNALLED", 3, 2)]
    # alone: Q3 + Q4 = 20 - Q1 - Q2 with Q1, Q2 unknown; in the view Q3 = 7 and Q4 = 2
    assert _intervals(alone)["2022-Q3"] == (1, 19)  # Q4 hidden too: at least 1
    assert _intervals(view) == {"2022-Q3": (7, 7), "2022-Q4": (2, 2)}
    [disclosed] = view.disclosed()
    assert disclosed.key[2] == "2022-Q4"
    published = audit_frame(view).filter(indicator="THB_SIGNALLED").row(0, named=True)
    assert (published["cells"], published["suppressed"]) == (3, 2)
