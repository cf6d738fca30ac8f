"""The audit's least-change lifts shared with one helper process (issue 14).

On large patterns most of the sound audit's time goes to its first round of least-change
lifts (:meth:`NearestTables.lift`, one per cell group whose LP maximum reaches the need only
at a fractional point): on the 4-D benchmark table about 540 lifts, 25 of its 31 CPU s. The
lifts are independent of each other except that a table found for one cell may settle
another (the witness pool). So, above :data:`SHARD_FROM` groups, the groups (in the audit's
order: fewest unknowns first) are dealt alternately to the audit's own process and to one
helper, each starting from a copy of the pool; the helper's tables then join the audit's
pool for the rounds after this one.

- **Sound whatever the helper does.** Every table the helper returns is checked again,
  exactly, against the audit's own model before it counts (as every table the audit finds
  itself is); a helper that fails, stops or answers nonsense costs time, never a verdict:
  its share is then lifted in the audit's own process.
- **Deterministic.** The deal is by position, never by timing, and the helper's random
  re-solves have their own fixed seed: the same pattern gives the same verdicts in every run,
  on every machine (always two shares, whatever the number of cores).
- **A fresh process, never a fork.** The audit may run in a process that has used polars or
  DuckDB, whose thread pools do not survive a fork. The helper is started as
  ``python -m indicators.disclosure.lift_helper_main`` and rebuilds the reader's model from the
  pattern itself (``audit.reader_model``; a tenth of a second on the 4-D table) while the
  audit computes its LP bounds. Messages are pickles in a private temporary folder; the
  helper's standard output carries only the protocol lines.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl

from indicators.disclosure.hierarchy import Hierarchy
from indicators.disclosure.primary import Policy

log = logging.getLogger(__name__)

HELPER_POOL = 2048  # tables the helper keeps (its own and those the audit sends)
LIFT_CHUNK = 48  # rows per chunk: the two processes exchange their tables after each
SHARD_FROM = 200  # fewer first-round lift groups than this are lifted in the audit's process
START_FROM = 1_000  # a helper is started for patterns with at least this many hidden
# confidential cells (it is ready by the time the first round starts; smaller patterns
# rarely reach SHARD_FROM groups: 10^4 benchmark table 1,168 cells, 0.8 CPU s audit)


class LiftHelper:
    """One helper process settling a share of the audit's cells (see the module's text)."""

    module = "indicators.disclosure.lift_helper_main"  # what the helper process runs

    def __init__(self, cells: pl.DataFrame, hierarchies: Mapping[str, Hierarchy],
                 policy: Policy, mip_max_nodes: int) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="obs-lift-")
        init = Path(self._dir.name) / "init.pkl"
        with init.open("wb") as f:
            pickle.dump((cells, dict(hierarchies), policy, mip_max_nodes), f)
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self._proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-m", self.module, str(init)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self._jobs = 0

    def send(self, jobs: list[tuple[int, int, tuple[int, ...]]], points: np.ndarray) -> bool:
        """Ask for the cells ``jobs`` (distinct cell, need, the audit's steps to try: see
        ``audit._finds``) settled, after adding ``points`` to the helper's pool; ``False``
        if the helper is gone."""
        if self._proc is None or self._proc.poll() is not None:
            return False
        self._jobs += 1
        path = Path(self._dir.name) / f"jobs-{self._jobs}.pkl"
        with path.open("wb") as f:
            pickle.dump((jobs, points), f)
        try:
            assert self._proc is not None and self._proc.stdin is not None
            self._proc.stdin.write(f"{path}\n")
            self._proc.stdin.flush()
        except (OSError, AssertionError):
            log.warning("lift helper gone before its share was sent; lifting it here")
            return False
        return True

    def receive(self) -> list[np.ndarray | None] | None:
        """The helper's table for each job sent (``None`` where it found none), or ``None``
        if the helper failed (its share is then the caller's to lift)."""
        proc = self._proc
        line = "" if proc is None or proc.stdout is None else proc.stdout.readline().strip()
        if not line.startswith("done "):
            log.warning("lift helper stopped without an answer; lifting its share here")
            self.close()
            return None
        with open(line[5:], "rb") as f:
            result: list[np.ndarray | None] = pickle.load(f)
        return result

    def close(self) -> None:
        """Stop the helper and remove its folder (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if proc.stdin is not None:
                    proc.stdin.close()
                proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        self._dir.cleanup()

    def __enter__(self) -> LiftHelper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def shares(order: list[tuple[int, int]], group: np.ndarray
           ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(own, helper's): the (position, cell) pairs of ``order`` dealt alternately by cell
    group in order of first appearance (cells of one group stay together: one lift settles
    them all)."""
    rank: dict[int, int] = {}
    own, theirs = [], []
    for pos, i in order:
        r = rank.setdefault(int(group[i]), len(rank))
        (theirs if r % 2 else own).append((pos, i))
    return own, theirs


def chunks(order: list[tuple[int, int]], group: np.ndarray, rows: int
           ) -> list[list[tuple[int, int]]]:
    """``order`` cut into runs of ``rows`` distinct rows (``group``) each, in order."""
    out: list[list[tuple[int, int]]] = []
    seen: set[int] = set()
    for pos, i in order:
        g = int(group[i])
        if g not in seen and len(seen) % rows == 0:
            out.append([])
        seen.add(g)
        out[-1].append((pos, i))
    return out


def serve(init: str, commands: IO[str], answers: IO[str]) -> None:
    """The helper's loop: build the model, then lift each share asked for."""
    from indicators.disclosure.audit import _finds, lifter_of, reader_model
    from indicators.disclosure.lp import WitnessPool

    with open(init, "rb") as f:
        cells, hierarchies, policy, mip_max_nodes = pickle.load(f)
    reader = reader_model(cells, hierarchies, policy, mip_max_nodes)
    lifter = lifter_of(reader)
    need = np.zeros(len(reader.cols_of_cell), dtype=np.int64)
    finds = None if lifter is None else _finds(reader, lifter, need)
    pool = WitnessPool(reader.model.n_cols, size=HELPER_POOL)
    for line in commands:
        with open(line.strip(), "rb") as f:
            jobs, points = pickle.load(f)
        for point in points:
            pool.add(point)
        result = []
        for i, n, steps in jobs:
            need[i] = n
            result.append(_settle(reader, finds, pool, int(i), int(n), steps))
        out = Path(line.strip()).with_suffix(".out")
        with out.open("wb") as f:
            pickle.dump(result, f)
        answers.write(f"done {out}\n")
        answers.flush()


def _settle(reader: Any, finds: Any, pool: Any, i: int, need: int, steps: tuple[int, ...]
            ) -> np.ndarray | None:
    """A table of the pool, or of the first of ``steps`` that finds one, where cell ``i``
    reaches ``need``; else None."""
    cols = reader.cols_of_cell[i]
    for step in (None, *steps):
        if step is not None and finds is not None:
            pool.add(finds[step](i))
        points = pool.points
        if points.shape[0] and cols.size:
            sums = points[:, cols].sum(axis=1)
            if sums.max() >= need:
                return np.array(points[int(sums.argmax())])
    return None
