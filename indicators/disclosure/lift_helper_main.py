"""``python -m indicators.disclosure.lift_helper_main``: the audit's lift helper.

A module of its own, imported by nothing, so that running it does not import the package's
copy of :mod:`lift_shards` a second time."""

from __future__ import annotations

import os
import sys

from indicators.disclosure.lift_shards import serve


def main() -> None:
    """Serve the audit on standard input; answers on the original standard output, which
    becomes standard error for anything else written to it."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
