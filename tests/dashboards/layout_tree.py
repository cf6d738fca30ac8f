"""Reading a Dash layout without a browser: its components in document order, and its text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def kids(node: Any) -> list[Any]:
    """The child components of ``node`` (text children left out)."""
    children = getattr(node, "children", None)
    return [c for c in (children if isinstance(children, list | tuple) else [children])
            if c is not None and not isinstance(c, str | int | float)]


def walk(node: Any) -> Iterator[Any]:
    """``node`` and every component under it, in document order."""
    yield node
    for child in kids(node):
        yield from walk(child)


def text(node: Any) -> str:
    """Every text under ``node``, joined."""
    if isinstance(node, str | int | float):
        return str(node)
    children = getattr(node, "children", None)
    parts = children if isinstance(children, list | tuple) else [children]
    return "".join(text(c) for c in parts if c is not None)
