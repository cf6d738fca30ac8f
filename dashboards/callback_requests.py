"""Malformed callback requests get 400 and one log line, not a 500 with a traceback.

The renderer posts ``/_dash-update-component`` with a JSON body naming the callback
(``output``), its outputs, inputs and state. A body that is not such a request (wrong JSON
shape, an unknown or client-side callback, the wrong number of inputs, a URL part that is
not text, one component where a wildcard stands for a list of them or the reverse) would
make Dash raise inside its dispatcher: each one a 500 and a full traceback
in the log, which anyone can repeat to flood the log. :func:`problem` names what is wrong;
:func:`install` answers such requests with 400 before Dash sees them.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import flask
from dash import Dash

log = logging.getLogger(__name__)
CALLBACK_PATH = "/_dash-update-component"
TEXT_PROPS = ("pathname", "search", "hash", "href")  # dcc.Location: strings or null


def _is_ref(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str | dict) \
        and isinstance(item.get("property"), str)


def _many(declared: dict[str, Any]) -> bool:
    """Whether a declared input or state is a wildcard that stands for several components
    (``ALL``, ``ALLSMALLER``): the renderer then sends a list of refs in its place."""
    try:
        pattern = json.loads(declared["id"])
    except (TypeError, ValueError):
        return False  # a plain id
    return isinstance(pattern, dict) and any(
        value in (["ALL"], ["ALLSMALLER"]) for value in pattern.values())


def _refs_problem(items: Any, declared: list[dict[str, Any]], name: str) -> str | None:
    if not isinstance(items, list) or len(items) != len(declared):
        return f"{name}: expected a list of {len(declared)}"
    for item, decl in zip(items, declared, strict=True):
        if _many(decl) != isinstance(item, list):
            return f"{name}: {'a list' if _many(decl) else 'one entry'} expected for " \
                   f"{decl['property']}"
        group = item if isinstance(item, list) else [item]
        if not all(_is_ref(ref) for ref in group):
            return f"{name}: an entry is not {{id, property}}"
        for ref in group:
            if ref["property"] in TEXT_PROPS and not isinstance(ref.get("value"), str | None):
                return f"{name}: {ref['property']} is not text"
    return None


def _outputs_problem(outputs: Any, output: str) -> str | None:
    if output.startswith(".."):
        count = len(output.strip(".").split("..."))
        if not isinstance(outputs, list) or len(outputs) != count:
            return f"outputs: expected a list of {count}"
        outputs_list = outputs
    else:
        outputs_list = [outputs]
    for item in outputs_list:
        group = item if isinstance(item, list) else [item]
        if not all(_is_ref(ref) for ref in group):
            return "outputs: an entry is not {id, property}"
    return None


def problem(app: Dash, body: Any) -> str | None:
    """What makes ``body`` not a request for one of ``app``'s server callbacks (None: fine)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    callback = app.callback_map.get(output) if isinstance(output, str) else None
    if callback is None or "callback" not in callback:
        return "no server callback has this output"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds: expected a list of strings"
    return (_outputs_problem(body.get("outputs"), output)
            or _refs_problem(body.get("inputs"), callback["inputs"], "inputs")
            or _refs_problem(body.get("state", []), callback["state"], "state"))


def install(app: Dash) -> None:
    """Answer malformed callback requests with 400 (one warning line each)."""

    @app.server.before_request
    def _check_callback_request() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or request.path != CALLBACK_PATH:
            return None
        body = request.get_json(silent=True)
        reason = problem(app, body) if body is not None else "the body is not JSON"
        if reason is None:
            return None
        log.warning("malformed callback request from %s: %s", request.remote_addr, reason)
        return flask.Response("bad callback request", status=400, mimetype="text/plain")
