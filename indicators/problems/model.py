"""What a protection problem is: its inner cube, its hierarchies, how its cells map to the
value keys of ``published.indicator_values`` (``KEY``), and the disclosure policy of its
indicator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from indicators.disclosure import Hierarchy, Policy
from indicators.registry import Registry

KEY = ["indicator", "grain", "period_label", "geo", "breakdown", "breakdown_code"]
PUBLISHED = "published"


@dataclass
class Problem:
    """One protection problem: inner cube, hierarchies, and how its cells map to values."""

    name: str
    inner: pl.DataFrame
    hierarchies: dict[str, Hierarchy]
    to_keys: Callable[[pl.DataFrame], pl.DataFrame]
    policy: Policy = field(default_factory=Policy)
    # cells of the tables that are never published (see ``protect(never_published=...)``)
    never_published: pl.DataFrame | None = None
    # a never-published cell of 1 .. k-1 stays confidential (a district left out of the
    # quarterly publication, the total of a year not complete yet)
    unpublished_confidential: bool = False
    # a district's cells may be left out of this problem's publication (see
    # :func:`_protect_leaving_out_districts`)
    districts_left_out: bool = False


def period_code_to_grain(code: str) -> tuple[str, str] | None:
    """A time-dimension code of the disclosure library -> (grain, period_label)."""
    if code == "_T":
        return None
    if code.endswith("-R12"):
        end = code[:7]
        y, m = int(end[:4]), int(end[5:7])
        sy, sm = (y - 1, m + 1) if m < 12 else (y, 1)
        return "r12", f"{sy:04d}-{sm:02d}..{end}"
    if code.endswith("-YTD"):
        end = code[:7]
        return "ytd", f"{end[:4]}-01..{end}"
    if "-Q" in code:
        return "quarter", code
    if len(code) == 4:
        return "year", code
    return "month", code



def policy_for(registry: Registry, code: str) -> Policy:
    """The small-cell policy of an indicator's disclosure rule."""
    rule = registry.get(code).disclosure
    return Policy(threshold=rule.threshold or 1, zeros_publishable=rule.zeros_publishable)
