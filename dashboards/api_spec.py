"""The OpenAPI 3 description of the read API (``/api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

from indicators.open_data.changes import KIND_MEANINGS
from indicators.open_data.changes import KINDS as CHANGE_KINDS
from indicators.registry import GRAINS

MAX_NOT_PUBLISHED = 1000  # the most entries /data's not_published holds (dashboards.api)

_RELEASE_PARAM = {"name": "release", "in": "query", "required": False,
                  "description": "A retained release id (default: the current release).",
                  "schema": {"type": "string", "pattern": r"^\d{8}T\d{12}Z-[0-9a-f]{6}$"}}
_FORMAT_PARAM = {"name": "format", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}


def _q(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


def _ok(description: str, *media: str) -> dict[str, Any]:
    content = {m: {"schema": {"$ref": "#/components/schemas/Envelope"}}
               if m == "application/json" else {"schema": {"type": "string"}}
               for m in media or ("application/json",)}
    return {"200": {"description": description, "content": content},
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "429": {"$ref": "#/components/responses/Error"}}


def _value_schema() -> dict[str, Any]:
    number = {"type": ["number", "null"]}
    return {"type": "object", "properties": {
        "indicator": {"type": "string"}, "grain": {"type": "string", "enum": list(GRAINS)},
        "period_label": {"type": "string"}, "period": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"},
        "geo": {"type": "string", "description": "PT, PT-01..PT-30, ABROAD, UNKNOWN"},
        "breakdown": {"type": "string"}, "breakdown_code": {"type": "string"},
        "value": {**number, "description": "null when suppressed (flag c), not applicable "
                  "(z) or not available (:); not rounded (the dashboard shows rate_100k and "
                  "percent with one decimal, rounded half up, and counts whole: the SDMX "
                  "attribute DECIMALS)"},
        "numerator": number, "denominator": number, "unit": {"type": "string"},
        "flags": {"type": "string", "description": "c confidential, z not applicable, : not "
                  "available, e estimated, p provisional, r revised; combinable (e.g. cp, ep)"}}}


def _data_params() -> list[dict[str, Any]]:
    """The ``/data`` filters; an unknown grain, area, breakdown or category, a bad period or
    ``from`` after ``to`` is a 400."""
    return [
        {**_q("indicator", "Indicator code (see /indicators)"), "required": True},
        _q("geo", "Comma-separated areas: PT, PT-01..PT-30, ABROAD, UNKNOWN "
           "(an unknown code: 400)"),
        _q("grain", "Time grain (any other value, or one the release never publishes for "
           "the areas and breakdown asked: 400)", enum=list(GRAINS)),
        _q("breakdown", "Breakdown name (_T for totals; one the release does not publish "
           "for the indicator, or for the areas asked: 400)"),
        _q("category", "Breakdown code (one the release does not publish for the indicator "
           "and breakdown: 400)"),
        _q("from", "First period: 2025, 2025-Q3, 2025-07 or 2025-07-01 (must not begin "
           "after 'to' ends: 400)"),
        _q("to", "Last period: 2025, 2025-Q3, 2025-07 or 2025-07-31"),
        _RELEASE_PARAM, _FORMAT_PARAM]


CHANGE_TEXT = "Only this kind of change (any other value: 400): " + "; ".join(
    f"{kind}: {meaning}" for kind, meaning in KIND_MEANINGS.items())
TITLE = "OTSH open data API"


INDEX_PATH = {"get": {"summary": "Where this description and every endpoint are",
                      "responses": {"200": {"description": "Index", "content": {
                          "application/json": {"schema": {"type": "object"}}}}}}}


INFO: dict[str, Any] = {
    "title": TITLE, "version": "1.0",
    "description": "Published (protected) figures of the Observatory on Trafficking in Human "
    "Beings. Every response names its release. Anonymous callers read public data; donor and "
    "analyst data need a signed-in session with that role. Rate-limited per address (429 "
    "with Retry-After).",
    "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}}


GRAINS_TEXT = ("`grains`: the grains the indicator is defined at; `grains_published`: those "
               "this release publishes values at (for some area; /data refuses a grain never "
               "published for the areas asked)")


def openapi(server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document; ``server_url`` is the API root (``…/api/v1``)."""
    paths = {
        "/": INDEX_PATH,
        "/indicators": {"get": {
            "summary": "Indicator metadata (PT/EN) published with a release",
            "description": GRAINS_TEXT,
            "parameters": [_RELEASE_PARAM], "responses": _ok("Indicators")}},
        "/data": {"get": {
            "summary": "Published values with their flags",
            "parameters": _data_params(),
            "responses": _ok("Values", "application/json", "text/csv")}},
        "/releases": {"get": {"summary": "Retained releases, newest first, with what changed",
                              "responses": _ok("Releases")}},
        "/releases/{release_id}": {"get": {
            "summary": "One retained release",
            "parameters": [{"name": "release_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": _ok("Release")}},
        "/releases/{release_id}/bulk.zip": {"get": {
            "summary": "Every table the caller may read as CSV, the SDMX files, the "
                       "methodology and a README (licence, citation)",
            "parameters": [{"name": "release_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": _ok("Zip archive", "application/zip")}},
        "/sdmx/structure.xml": {"get": {
            "summary": "SDMX-ML 2.1 structure message (dataflow OTSH:DF_OTSH_INDICATORS, "
                       "DSD, code lists)",
            "parameters": [_RELEASE_PARAM],
            "responses": _ok("SDMX-ML structure", "application/xml")}},
        "/sdmx/data.csv": {"get": {
            "summary": "SDMX-CSV 2.0 data (suppressed: empty OBS_VALUE, CONF_STATUS=C)",
            "parameters": [_RELEASE_PARAM],
            "responses": _ok("SDMX-CSV data", "text/csv")}},
        "/changes": {"get": {
            "summary": "Cells that changed between two retained releases",
            "parameters": [
                _q("from", "Older release id (default: the previous release of 'to')"),
                _q("to", "Newer release id (default: the current release)"),
                _q("indicator", "Only this indicator (one neither release publishes: 404)"),
                _q("change", CHANGE_TEXT, enum=list(CHANGE_KINDS)),
                _FORMAT_PARAM],
            "responses": _ok("Changes", "application/json", "text/csv")}},
    }
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {
                "Value": _value_schema(),
                "Release": {"type": "object", "properties": {
                    "id": {"type": "string"}, "created_at": {"type": "string"},
                    "current": {"type": "boolean"}, "synthetic": {"type": "boolean"},
                    "disclosure_threshold": {"type": "integer"}}},
                "Envelope": {"type": "object", "required": ["release"], "properties": {
                    "release": {"$ref": "#/components/schemas/Release"},
                    "count": {"type": "integer"},
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Value"}},
                    "not_published": {
                        "type": "array", "description": (
                            "/data: periods and areas whose total is published but whose "
                            "asked breakdown, or (no breakdown asked) periods whose national "
                            "total is published but an area's value is not (the areas asked "
                            "in 'geo'; without 'geo', every area published at that grain in "
                            "some other period): left out of the release by protection (no "
                            f"row in data). At most {MAX_NOT_PUBLISHED} entries"),
                        "items": {"type": "object", "properties": {
                            "grain": {"type": "string"}, "period_label": {"type": "string"},
                            "geo": {"type": "string"}}}},
                    "not_published_total": {"type": "integer", "description": (
                        "/data: how many entries not_published would hold, when it holds "
                        f"only the first {MAX_NOT_PUBLISHED}")}}},
            },
            "responses": {"Error": {"description": "Error", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "error": {"type": "string"}, "error_pt": {"type": "string"}}}}}}},
        },
    }
