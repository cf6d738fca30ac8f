"""Disclosure control: primary and secondary suppression on linked hierarchical tables.

Public API::

    from indicators.disclosure import Hierarchy, Policy, TableSpec, protect, audit

    result = protect(inner, {"district": districts, "age": ages}, tables, Policy(threshold=5))
    result.cells      # table, dimension codes, count (true value), status
    result.audit      # AuditReport (independent LP/ILP check of the pattern)
    result.published()  # counts nulled where hidden
"""

from indicators.disclosure.audit import AuditReport, CellCheck, audit
from indicators.disclosure.derived_suppression import rate, suppress_derived
from indicators.disclosure.errors import DisclosureInputError
from indicators.disclosure.hierarchy import (
    TOTAL,
    Hierarchy,
    rolling_sums,
    time_hierarchy,
    year_to_date_sums,
)
from indicators.disclosure.io import read_hierarchy_csv, read_inner_csv, validate_inner
from indicators.disclosure.primary import Policy
from indicators.disclosure.protection import ProtectionError, ProtectionResult, protect
from indicators.disclosure.tables import TableSpec

__all__ = [
    "TOTAL",
    "AuditReport",
    "CellCheck",
    "DisclosureInputError",
    "Hierarchy",
    "Policy",
    "ProtectionError",
    "ProtectionResult",
    "TableSpec",
    "audit",
    "protect",
    "rate",
    "read_hierarchy_csv",
    "read_inner_csv",
    "rolling_sums",
    "suppress_derived",
    "time_hierarchy",
    "validate_inner",
    "year_to_date_sums",
]
