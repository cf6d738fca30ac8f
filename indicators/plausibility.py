"""Plausibility of a month's returns: a total far from the partner's usual month.

Validation (``indicators.validation``) refuses what cannot be right; this asks OTSH to look
at what may be wrong although valid: a return whose total count is several times the same
partner's usual month for that return type, or a small fraction of it (a file of the wrong
month, a column of totals added as a category, a lost sheet). Only a warning (the refresh's
warnings, the Dagster check ``unusual_volumes``), never a rejection, and never published:
the totals it reads are the warehouse's own (``pipeline.monthly_returns``).

Parameters (documented, one place):

* ``RATIO`` 3: at least three times the usual month, or at most a third of it;
* ``MIN_CHANGE`` 10: and at least 10 away from it (small counts vary a lot from month to
  month: 2 after a usual 6 is no news);
* ``MIN_HISTORY`` 6: the usual month is the median of the partner's returns of that type
  over the previous 12 months, when at least 6 of them were received;
* ``RETURN_TYPES``: the returns that count persons (victims, support). Activities (training
  and prevention sessions and their participants) come in campaigns: a month of 0, or of
  five times the usual, is ordinary there (on the sample data, 55 of the 59 warnings over
  six years were activities).

Worked example: APF's victims returns counted 7, 9, 8, 6, 10, 8, 9, 7 persons in the eight
months before March 2024 (median 8); March counts 48: 48 >= 3 x 8 and 48 - 8 >= 10, so the
refresh warns "APF/victims/2024-03: 48 against a usual month of 8". March counting 20 would
not (20 < 24), nor would 0 after a usual month of 6 (6 - 0 < 10).
"""

from __future__ import annotations

from datetime import date

import duckdb

from indicators.i18n import t
from indicators.warehouse import read_sql, table_exists

RATIO = 3.0
MIN_CHANGE = 10
MIN_HISTORY = 6
RETURN_TYPES = ("victims", "support")


def unusual_volumes(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[str]:
    """One warning (Portuguese / English) per return of the months ``start`` .. ``end``
    whose total is far from the partner's usual month (see the module's parameters)."""
    if not table_exists(con, "pipeline.monthly_returns"):
        return []
    rows = con.execute(read_sql("pipeline/unusual_volumes.sql"), {
        "start": start, "end": end, "ratio": RATIO, "min_change": MIN_CHANGE,
        "min_history": MIN_HISTORY, "types": list(RETURN_TYPES)}).fetchall()
    out = []
    for month, partner, return_type, total, usual, months in rows:
        fields = {"which": f"{partner}/{return_type}/{month}", "total": int(total),
                  "usual": f"{usual:g}", "months": int(months)}
        out.append(f"{t('check.unusual_volume', 'pt', **fields)} / "
                   f"{t('check.unusual_volume', 'en', **fields)}")
    return out
