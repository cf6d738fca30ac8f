"""Bodies of the Dash callback requests the browser sends (POST /_dash-update-component)."""

from __future__ import annotations

import json

SHELL_OUTPUTS = (("banners", "children"), ("page-title", "children"), ("controls", "children"),
                 ("footer", "children"), ("shell-key", "data"), ("lang-store", "data"))


def _url_inputs(path: str, search: str) -> list[dict]:
    return [{"id": "url", "property": "pathname", "value": path},
            {"id": "url", "property": "search", "value": search}]


def content_body(path: str, search: str = "?lang=en") -> dict:
    return {"output": "page-content.children",
            "outputs": {"id": "page-content", "property": "children"},
            "inputs": _url_inputs(path, search), "changedPropIds": ["url.pathname"],
            "state": []}


def header_body(path: str, search: str = "?lang=en") -> dict:
    return {"output": "header.children", "outputs": {"id": "header", "property": "children"},
            "inputs": _url_inputs(path, search), "changedPropIds": ["url.pathname"],
            "state": []}


def shell_body(path: str, search: str = "?lang=en") -> dict:
    output = ".." + "...".join(f"{i}.{p}" for i, p in SHELL_OUTPUTS) + ".."
    return {"output": output, "outputs": [{"id": i, "property": p} for i, p in SHELL_OUTPUTS],
            "inputs": _url_inputs(path, search), "changedPropIds": ["url.pathname"],
            "state": [{"id": "synced", "property": "data", "value": None},
                      {"id": "shell-key", "property": "data", "value": None}]}


def download_body(path: str, table: str, fmt: str = "csv", search: str = "?lang=en") -> dict:
    button = {"fmt": fmt, "table": table, "type": "dl"}
    return {"output": "download.data", "outputs": {"id": "download", "property": "data"},
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
            "state": [{"id": "url", "property": "pathname", "value": path},
                      {"id": "url", "property": "search", "value": search}]}


def post(client, body: dict):
    return client.post("/_dash-update-component", json=body)
