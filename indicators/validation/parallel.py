"""Validate many files in fresh worker processes (``python -m indicators.validation.parallel``).

Validation is pure (files are only read). Checked together (:mod:`indicators.validation.stacked`)
valid CSV files cost ~0.3 ms each, less than a fresh process costs to start (~1 CPU s of
imports), so only very large runs are split into one chunk per core, each validated by a NEW
Python process (never a fork of this one, which may hold polars/DuckDB threads). A worker
reads the paths (JSON) on stdin and writes the pickled list of :class:`ValidatedFile` to the
file named on its command line; the parent keeps the order of the paths.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIN_FILES_PER_WORKER = 5000  # below this, starting a process (~1 CPU s of imports) does not pay


def worker_count(n_files: int) -> int:
    """Worker processes worth starting for ``n_files`` files (1 = validate in-process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    return max(1, min(cores, n_files // MIN_FILES_PER_WORKER))


def validate_in_workers(paths: list[Path], today: date, workers: int) -> list:
    """Validate ``paths`` in ``workers`` fresh processes; results in the order of ``paths``."""
    chunks = [paths[i::workers] for i in range(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    with tempfile.TemporaryDirectory(prefix="obs_validate_") as folder:
        outputs = [Path(folder) / f"chunk{i}.pickle" for i in range(workers)]
        procs = [subprocess.Popen(
            [sys.executable, "-m", "indicators.validation.parallel", today.isoformat(),
             str(out)], stdin=subprocess.PIPE, env=env, cwd=ROOT)
            for out in outputs]
        for proc, chunk in zip(procs, chunks, strict=True):
            assert proc.stdin is not None
            proc.stdin.write(json.dumps([str(p) for p in chunk]).encode())
            proc.stdin.close()
        codes = [proc.wait() for proc in procs]
        if any(codes):
            raise RuntimeError(f"validation worker failed (exit codes {codes})")
        results = [pickle.loads(out.read_bytes()) for out in outputs]
    ordered: list = [None] * len(paths)
    for i, chunk_results in enumerate(results):
        ordered[i::workers] = chunk_results
    return ordered


def main(argv: list[str] | None = None) -> int:
    from indicators.validation import validate_files

    today_text, output = (argv if argv is not None else sys.argv[1:])[:2]
    today = date.fromisoformat(today_text)
    paths = [Path(p) for p in json.loads(sys.stdin.read())]
    results = validate_files(paths, today=today, workers=1)
    Path(output).write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
