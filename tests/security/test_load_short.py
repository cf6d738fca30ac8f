"""Short CI version of ``bench/bench_load.py``: 4 simulated users through the dashboard's
callbacks on the production server (waitress, loopback) while ``observatory refresh``
publishes a new release. Asserts zero errors, every request served and CURRENT switching
during the load; no timing assertions (the figures are the benchmark's). About 35 s."""

from __future__ import annotations

import pytest

from bench.bench_load import run_load

pytestmark = pytest.mark.slow


def test_callbacks_keep_answering_while_a_release_is_published():
    figures = run_load(users=4, requests=20_000, seconds=90, until="2021-03",
                       stop_after_publish=True)
    assert figures["refresh_returncode"] == 0, figures["refresh_output"]
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["requests"] > 0 and figures["served"] == figures["requests"]
    assert figures["switched_at_s"] is not None  # the release changed while users were busy
    assert figures["release_after"] not in (None, figures["release_before"])
