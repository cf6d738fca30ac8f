"""Entry point of the donor reports' PDF helper process (see
:mod:`indicators.reports.pdf_helper`): ``python -m indicators.reports.pdf_helper_main``, fed
pickles on its standard input, answering on its standard output (which carries nothing else)."""

from __future__ import annotations

import contextlib
import sys


def main() -> int:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by a library must not corrupt the answers
    from indicators.reports.pdf_helper import serve

    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        serve(sys.stdin.buffer, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
