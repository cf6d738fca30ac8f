"""The sample's returns, valid and invalid, in a data folder's inbox (pipeline tests)."""

from __future__ import annotations

import shutil
from typing import Any

from indicators.sample import INVALID_README, write_sample


def write_sample_inbox(settings: Any, until: str, seed: int = 2021) -> None:
    """Write the sample up to ``until`` into the inbox, plus its invalid files (kept apart
    in ``sample-invalid`` by the sample writer) so the ingest rejects them too."""
    invalid = settings.data_dir / "sample-invalid"
    write_sample(settings.inbox_dir, invalid, seed=seed, until=until)
    for path in invalid.iterdir():
        if path.name != INVALID_README:
            shutil.copy2(path, settings.inbox_dir / path.name)
