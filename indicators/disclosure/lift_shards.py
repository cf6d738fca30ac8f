"""The audit's cells shared with one helper process (issue 14).

On large patterns most of the sound audit's time goes to settling, one by one, the cells
whose LP maximum reaches the need only at a fractional point: a least-change lift each
(:meth:`NearestTables.lift`; on the 4-D benchmark table about 520 of them, 25 of the audit's
40 CPU s), then batch witness searches and integer programs for the few left. These tries are
independent of each other except that a table found for one cell may settle another (the
witness pool). So, from :data:`SHARD_WORK` (rows to settle x unknowns) on, one helper
process shares the work:

1. it runs the audit's first witness search (one integer program over every cell to settle)
   while the audit's own process computes the LP bounds;
2. the open rows (in the audit's order: fewest unknowns first) are cut into chunks of
   :data:`LIFT_CHUNK` and each chunk dealt alternately between the two processes; after each
   chunk each side adds the tables the other found to its pool;
3. the rows still open are dealt alternately again, each process searching its half at the
   same time (while 20 rows or more are open), then the integer tries are shared as in 2.

- **Sound whatever the helper does.** Every table the helper returns is checked again,
  exactly, against the audit's own model before it counts (as every table the audit finds
  itself is); a helper that fails, stops or answers nonsense costs time, never a verdict:
  its share is then settled in the audit's own process.
- **Deterministic.** The deal is by position, never by timing, and the helper's random
  re-solves have their own fixed seed: the same pattern gives the same verdicts in every run,
  on every machine (always two shares, whatever the number of cores).
- **A fresh process, never a fork.** The audit may run in a process that has used polars or
  DuckDB, whose thread pools do not survive a fork. The helper is started as
  ``python -m indicators.disclosure.lift_helper_main`` and rebuilds the reader's model from
  the pattern itself (``audit.reader_model``; a tenth of a second on the 4-D table) while the
  audit computes its LP bounds.
- **Nothing on disk.** The pattern holds true counts: it goes to the helper through its
  standard input (pickles, written by a thread so that the audit never waits on the pipe),
  and the answers come back through its standard output, which carries nothing else.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
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
# A helper pays back from this many open rows x the model's unknowns (a lift costs roughly
# with the unknowns): the 10^4 benchmark table (279 x 240 = 67k) audited in 2.0 s with a
# helper against 0.8 s without; the 4-D table is 1,044 x 902, the 10^5 one 1,910 x 628.
SHARD_WORK = 250_000
SETTLE, SEARCH = "settle", "search"  # what the audit asks of the helper


class LiftHelper:
    """One helper process settling a share of the audit's cells (see the module's text)."""

    module = "indicators.disclosure.lift_helper_main"  # what the helper process runs

    def __init__(self, cells: pl.DataFrame, hierarchies: Mapping[str, Hierarchy],
                 policy: Policy, mip_max_nodes: int) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", self.module],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, args=(self._proc.stdin,),
                                        name="lift-helper-writer", daemon=True)
        self._writer.start()
        self._outbox.put(pickle.dumps((cells, dict(hierarchies), policy, mip_max_nodes)))

    @classmethod
    def start(cls, cells: pl.DataFrame, hierarchies: Mapping[str, Hierarchy], policy: Policy,
              mip_max_nodes: int) -> LiftHelper | None:
        """A started helper, or ``None`` (logged) if no process can be started here."""
        try:
            return cls(cells, hierarchies, policy, mip_max_nodes)
        except (OSError, ValueError) as exc:
            log.warning("lift helper not started (%s); the audit runs alone", exc)
            return None

    def _write(self, pipe: IO[bytes] | None) -> None:
        """Write the queued messages to the helper until ``None``, then close its input."""
        try:
            while (data := self._outbox.get()) is not None and pipe is not None:
                pipe.write(data)
                pipe.flush()
        except OSError:
            pass  # the helper is gone: receive() says so
        finally:
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass

    def send(self, jobs: list[tuple[int, int, tuple[int, ...]]], points: np.ndarray) -> bool:
        """Ask for the cells ``jobs`` (distinct cell, need, the audit's steps to try: see
        ``audit._finds``) settled, after adding ``points`` to the helper's pool; ``False``
        if the helper is gone."""
        return self._put(SETTLE, (jobs, points))

    def search(self, cells: np.ndarray, need: np.ndarray) -> bool:
        """Ask for the audit's first witness search over ``cells`` (distinct cells, each
        needing ``need[cell]``: ``audit._witnesses_for``), which the helper runs while the
        audit computes its LP bounds; ``False`` if the helper is gone. The answer, a list of
        at most one table, comes through :meth:`receive`."""
        return self._put(SEARCH, (cells, need))

    def _put(self, kind: str, payload: tuple[Any, Any]) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            log.warning("lift helper gone before its share was sent; settling it here")
            return False
        self._outbox.put(pickle.dumps((kind, *payload)))
        return True

    def receive(self) -> list[np.ndarray | None] | None:
        """The helper's table for each job sent (``None`` where it found none), or ``None``
        if the helper failed (its share is then the caller's to settle)."""
        proc = self._proc
        try:
            if proc is None or proc.stdout is None:
                raise EOFError
            result = pickle.load(proc.stdout)
            if not isinstance(result, list):
                raise pickle.UnpicklingError("not a list of tables")
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            log.warning("lift helper stopped without an answer (%s); settling its share here",
                        type(exc).__name__)
            self.close()
            return None
        return result

    def close(self) -> None:
        """Stop the helper (idempotent): nothing more is needed from it, so it is not waited
        for (it may still be importing)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._outbox.put(None)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._writer.join(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


class LazyHelper:
    """A :class:`LiftHelper` started only when :meth:`start` is first called (the audit
    calls it once enough rows are open to be worth sharing)."""

    def __init__(self, cells: pl.DataFrame, hierarchies: Mapping[str, Hierarchy],
                 policy: Policy, mip_max_nodes: int) -> None:
        self._args = (cells, hierarchies, policy, mip_max_nodes)
        self._tried = False
        self.started: LiftHelper | None = None

    def start(self) -> None:
        if not self._tried:
            self._tried = True
            self.started = LiftHelper.start(*self._args)

    def close(self) -> None:
        if self.started is not None:
            self.started.close()


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


def serve(commands: IO[bytes], answers: IO[bytes]) -> None:
    """The helper's loop: build the model from the first message, then answer each request
    (a first witness search, or a share of cells to settle) until its input ends."""
    from indicators.disclosure.audit import _finds, _witnesses_for, lifter_of, reader_model
    from indicators.disclosure.lp import WitnessPool

    cells, hierarchies, policy, mip_max_nodes = pickle.load(commands)
    reader = reader_model(cells, hierarchies, policy, mip_max_nodes)
    need = np.zeros(len(reader.cols_of_cell), dtype=np.int64)
    pool = WitnessPool(reader.model.n_cols, size=HELPER_POOL)
    finds: Any = False  # built at the first share (after a search, off the audit's path)
    tried: set[tuple[int, int]] = set()  # (row, step) tried already: cells of one row share it
    while True:
        try:
            kind, first, second = pickle.load(commands)
        except EOFError:
            return
        if kind == SEARCH:
            need[first] = second[first]
            result = _witnesses_for(reader, pool, first, need)
        else:
            if finds is False:
                lifter = lifter_of(reader)
                finds = None if lifter is None else _finds(reader, lifter, need)
            for point in second:
                pool.add(point)
            result = []
            for i, n, steps in first:
                need[i] = n
                result.append(_settle(reader, finds, pool, int(i), int(n), steps, tried))
        pickle.dump(result, answers)
        answers.flush()


def _settle(reader: Any, finds: Any, pool: Any, i: int, need: int, steps: tuple[int, ...],
            tried: set[tuple[int, int]]) -> np.ndarray | None:
    """A table of the pool, or of the first of ``steps`` that finds one, where cell ``i``
    reaches ``need``; else None. A step is tried once per row (``tried``, as the audit's own
    ``_Settler`` does): the cells of one row have the same unknowns and the same need."""
    cols, g = reader.cols_of_cell[i], int(reader.group[i])
    for step in (None, *steps):
        if step is not None and finds is not None and (g, step) not in tried:
            tried.add((g, step))
            pool.add(finds[step](i))
        points = pool.points
        if points.shape[0] and cols.size:
            sums = points[:, cols].sum(axis=1)
            if sums.max() >= need:
                return np.array(points[int(sums.argmax())])
    return None
