"""The audit's cells shared with a helper process (``lift_shards``): the same verdicts as in
one process, the same in every run, never a verdict resting on a table the audit did not
check itself, and a helper that fails costs time only."""

from __future__ import annotations

import importlib
import itertools
import logging

import numpy as np
import polars as pl
import pytest

from indicators.disclosure import Hierarchy, Policy, audit, protect
from indicators.disclosure import lift_shards as shards

audit_module = importlib.import_module("indicators.disclosure.audit")
K = 5


def _grouped(dim: str, groups: dict[str, list[str]]) -> Hierarchy:
    parents = {g: "_T" for g in groups}
    parents.update({leaf: g for g, leaves in groups.items() for leaf in leaves})
    return Hierarchy(dim, parents)


HIER = {
    "district": _grouped("district", {"N": ["d1", "d2", "d3", "d4"],
                                      "S": ["d5", "d6", "d7", "d8"]}),
    "age": _grouped("age", {"minor": ["a1", "a2", "a3"], "adult": ["a4", "a5", "a6"]}),
    "cit": _grouped("cit", {"EU": ["c1", "c2", "c3"], "XEU": ["c4", "c5", "c6"]}),
}


def _pattern(published_share: float = 0.0) -> pl.DataFrame:
    """A protected sparse 3-D table (300 persons; 32 cells whose LP maximum reaches the need
    only at a fractional point), with ``published_share`` of its secondary cells published
    (a damaged pattern: some cells then fail)."""
    rng = np.random.default_rng(1)
    leaves = [HIER[d].leaves() for d in HIER]
    prob = np.ones(1)
    for ls in leaves:
        prob = np.multiply.outer(prob, rng.dirichlet(np.full(len(ls), 0.7)))
    counts = rng.multinomial(300, prob.ravel())
    inner = pl.DataFrame([(*c, int(n)) for c, n in zip(itertools.product(*leaves), counts,
                                                       strict=True)],
                         schema=[*HIER, "count"], orient="row")
    cells = protect(inner, HIER, policy=Policy(threshold=K), run_audit=False).cells
    flip = (cells["status"] == "secondary").to_numpy() & (
        np.random.default_rng(3).random(cells.height) < published_share)
    return cells.with_columns(
        pl.Series("status", np.where(flip, "published", cells["status"].to_numpy())))


def _verdicts(cells: pl.DataFrame) -> list[str]:
    """Every confidential cell's verdict, every failing cell's interval, every failure's
    reason. (A protected cell's reported bounds depend on which checked table settled it
    first, which the helper changes: see ``test_every_protected_cell_reports_a_bound_...``.)"""
    report = audit(cells, HIER, None, Policy(threshold=K), exact_intervals=False)
    keys = [*HIER, "count", "status", "ok"]
    rows = [str(row if not row["ok"] else {k: row[k] for k in keys})
            for row in report.intervals.iter_rows(named=True)]
    return rows + [f.describe() for f in report.failures]


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every audit starts a helper once two rows are open and shares from two rows, in
    chunks of four; counts the helper's answers and those that were tables."""
    monkeypatch.setattr(audit_module, "SHARD_WORK", 1)
    monkeypatch.setattr(audit_module, "LIFT_CHUNK", 4)
    seen = {"answers": 0, "tables": 0}
    receive = shards.LiftHelper.receive

    def counting(self):
        answers = receive(self)
        seen["answers"] += len(answers or [])
        seen["tables"] += sum(a is not None for a in answers or [])
        return answers

    monkeypatch.setattr(shards.LiftHelper, "receive", counting)
    return seen


def _alone(monkeypatch: pytest.MonkeyPatch, cells: pl.DataFrame) -> list[str]:
    with monkeypatch.context() as m:
        m.setattr(audit_module, "SHARD_WORK", 10**12)
        return _verdicts(cells)


@pytest.mark.parametrize("published_share", [0.0, 0.05])
def test_a_shared_audit_gives_the_verdicts_of_one_process_and_the_same_failing_intervals(
        shared, monkeypatch, published_share):
    cells = _pattern(published_share)
    alone = _alone(monkeypatch, cells)
    together = _verdicts(cells)
    assert shared["tables"] > 0  # the helper really settled cells
    assert together == alone
    assert any("'ok': False" in v for v in alone) == (published_share > 0)


@pytest.mark.parametrize("published_share", [0.0, 0.05])
def test_every_protected_cell_reports_a_bound_that_reaches_its_need(shared, published_share):
    """With the helper, a protected cell may be settled by another checked table than in one
    process (the helper's first search arrives after the LP bounds), so its reported
    maximum may differ; it always reaches max(k, count + 1), the proof it stands for."""
    report = audit(_pattern(published_share), HIER, None, Policy(threshold=K),
                   exact_intervals=False)
    ok = report.intervals.filter(pl.col("ok"))
    assert ok.height > 0
    need = np.maximum(K, ok["count"].to_numpy() + 1)
    assert (ok["int_high"].to_numpy() >= need).all()


def test_the_helper_searches_its_half_of_the_rows_between_the_rounds(shared, monkeypatch):
    """Between the two rounds the rows still open are searched half here, half in the
    helper, at the same time; the verdicts stay those of one process."""
    monkeypatch.setattr(audit_module, "MIN_BATCH", 1)
    finds = audit_module._finds

    def no_lifts_here(reader, lifter, need):  # the first round finds nothing, so rows stay
        return {**finds(reader, lifter, need), 0: lambda i: None}  # open for the searches

    monkeypatch.setattr(audit_module, "_finds", no_lifts_here)
    monkeypatch.setattr(shards.LiftHelper, "module",
                        "tests.indicators.disclosure.helper_without_lifts")
    cells = _pattern(0.0)
    alone = _alone(monkeypatch, cells)
    asked: list[int] = []
    search = shards.LiftHelper.search

    def counting(self, cells_, need):
        asked.append(len(cells_))
        return search(self, cells_, need)

    monkeypatch.setattr(shards.LiftHelper, "search", counting)
    assert _verdicts(cells) == alone
    assert len(asked) >= 2 and shared["answers"] > 0  # the first search, then halves


def test_a_shared_audit_is_the_same_in_every_run(shared):
    cells = _pattern(0.05)
    assert _verdicts(cells) == _verdicts(cells)


def test_tables_from_the_helper_that_are_not_checked_tables_prove_nothing(
        shared, monkeypatch):
    """A helper answering with tables that break a row, or do not reach the need: the audit
    refuses each of them, and its verdicts are still those of one process (its own tries
    after the first round settle those cells)."""
    cells = _pattern()
    alone = _alone(monkeypatch, cells)
    receive = shards.LiftHelper.receive
    refused: list[int] = []

    def tampered(self):
        answers = receive(self)
        return [None if a is None else a + 1 for a in answers] if answers else answers

    checked = audit_module._checked

    def spy(model, point, cols, need):
        out = checked(model, point, cols, need)
        refused.append(out is None)
        return out

    monkeypatch.setattr(shards.LiftHelper, "receive", tampered)
    monkeypatch.setattr(audit_module, "_checked", spy)
    assert _verdicts(cells) == alone
    assert refused and all(refused)


def test_the_exact_check_refuses_a_wrong_shape_a_broken_row_and_a_short_sum():
    cells = _pattern()
    reader = audit_module.reader_model(cells, HIER, Policy(threshold=K))
    truth = audit_module._true_table(reader)
    model = reader.model
    i = next(i for i in range(len(reader.cols_of_cell)) if reader.cols_of_cell[i].size > 1
             and reader.hidden[i])
    cols = reader.cols_of_cell[i]
    own = int(truth[cols].sum())
    assert np.array_equal(audit_module._checked(model, truth, cols, own), truth)
    assert audit_module._checked(model, truth, cols, own + 1) is None  # short of the need
    assert audit_module._checked(model, truth[:-1], cols, own) is None  # wrong shape
    assert audit_module._checked(model, truth.astype(float), cols, own) is None
    broken = truth.copy()
    broken[cols[0]] += 1  # one inner cell more: a published total no longer adds up
    assert audit_module._checked(model, broken, cols, own) is None


@pytest.mark.parametrize(("target", "name", "value", "said"), [
    (shards.LiftHelper, "module", "indicators.disclosure.no_such_module", "settling it"),
    (shards.sys, "executable", "/nonexistent/python", "not started"),
], ids=["helper dies at once", "no process can be started"])
def test_a_helper_that_fails_costs_time_not_verdicts(shared, monkeypatch, caplog, target,
                                                      name, value, said):
    cells = _pattern(0.05)
    alone = _alone(monkeypatch, cells)
    monkeypatch.setattr(target, name, value)
    with caplog.at_level(logging.WARNING, logger=shards.__name__):
        assert _verdicts(cells) == alone
    assert shared["answers"] == 0
    assert any(said in r.getMessage() for r in caplog.records)


def test_no_helper_is_started_below_the_rows_worth_sharing(monkeypatch):
    """A pattern with less work than ``SHARD_WORK`` (open rows x unknowns) never starts a
    process (the 10^4 benchmark table audited in 2.0 s with one against 0.8 s without)."""
    started: list[object] = []
    monkeypatch.setattr(shards.LiftHelper, "start",
                        classmethod(lambda cls, *a: started.append(a) or None))
    _verdicts(_pattern())  # 32 open rows, far below the default SHARD_WORK
    assert not started
    monkeypatch.setattr(audit_module, "SHARD_WORK", 1)
    _verdicts(_pattern())
    assert len(started) == 1
