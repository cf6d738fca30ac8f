"""The texts of the components of one kind inside a Dash layout (a walk of ``children``)."""

from __future__ import annotations


def texts_of(component, kind) -> list:
    found = []
    if isinstance(component, kind):
        found.append(component.children)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += texts_of(child, kind)
    return found
