from __future__ import annotations

import pytest

from tests.open_data.releases import Series, build_series

_BUILT: dict[str, Series] = {}


@pytest.fixture(scope="session")
def series(tmp_path_factory) -> Series:
    """Three consecutive pipeline releases (see ``releases.py``), built once."""
    if "series" not in _BUILT:
        _BUILT["series"] = build_series(tmp_path_factory.mktemp("open_data"))
    return _BUILT["series"]
