"""Human labels (Portuguese, English) for every code of the contract.

Coded columns take their labels from ``[code_labels.<column>]`` in ``v1.toml``; codes that
come from a reference list (partner, district, citizenship) take the names kept in
``indicators/reference/``.
"""

from __future__ import annotations

import tomllib
from functools import cache

from indicators import reference
from indicators.contract import CONTRACT_FILE, load_contract


@cache
def _toml_labels() -> dict[str, dict[str, tuple[str, str]]]:
    raw = tomllib.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
    return {column: {code: (pair[0], pair[1]) for code, pair in codes.items()}
            for column, codes in raw.get("code_labels", {}).items()}


def _reference_labels(column: str) -> dict[str, tuple[str, str]]:
    if column == "partner":
        return {p.code: (p.name, p.name) for p in reference.partners()}
    if column == "district":
        return {d.code: (d.name_pt, d.name_en) for d in reference.districts()}
    if column == "citizenship":
        return {c.iso2: (c.name_pt, c.name_en) for c in reference.countries()}
    return {}


@cache
def code_labels(column: str) -> dict[str, tuple[str, str]]:
    """Every allowed code of ``column`` (in any return type) -> (label_pt, label_en).

    Codes without a written label are labelled with the code itself.
    """
    contract = load_contract()
    spec = contract.columns[column]
    if spec.codes is None:
        return {}
    codes = list(spec.codes)
    for extra in spec.codes_by_return.values():
        codes += [c for c in extra if c not in codes]
    known = _reference_labels(column) | _toml_labels().get(column, {})
    return {code: known.get(code, (code, code)) for code in codes}
