"""Test hook: fail on purpose at a named point of the refresh, only when asked to.

``OBS_FAULT_POINT=<point>`` makes the process kill itself (SIGKILL, no clean-up possible) when
it reaches ``fault_point("<point>")``; ``OBS_FAULT_POINT=<point>=enospc`` raises
``OSError(ENOSPC)`` there instead (a full disk). Unset (always, outside tests): does nothing.
Points: ``ingest:before-commit``, ``compute:after-marts-sql``, ``publish:write-release``,
``publish:before-pointer``, ``publish:pointer``. Used by ``tests/orchestration/test_faults.py``.
"""

from __future__ import annotations

import errno
import os
import signal
import sys

from indicators.settings import PipelineSettings, env_name, load_settings

FAULT_ENV = env_name(PipelineSettings, "fault_point")


def fault_point(name: str) -> None:
    wanted = load_settings().pipeline.fault_point
    if not wanted:
        return
    point, _, action = wanted.partition("=")
    if point != name:
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
    print(f"{FAULT_ENV} {name}: SIGKILL", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
