"""The read API on the dashboard server: ``/api/v1/…`` over published releases only.

* ``/api/v1/indicators``: registry metadata (PT/EN) published with the release;
* ``/api/v1/data``: values with flags (a suppressed value is ``null`` with flag ``c``), as
  JSON or CSV;
* ``/api/v1/releases`` (+ ``/<id>``, ``/<id>/bulk.zip``): retained releases, what changed;
* ``/api/v1/changes``: cell by cell what changed between two retained releases;
* ``/api/v1/sdmx/structure.xml``, ``/api/v1/sdmx/data.csv``: SDMX-ML 2.1 structure and
  SDMX-CSV 2.0 data of a release (``indicators.sdmx``);
* ``/api/v1/openapi.json``: the OpenAPI 3 description.

Every answer names its release (``release`` in JSON, ``X-OTSH-Release`` header, a
``release_id`` CSV column). ``release=<id>`` reads a past release kept by retention
(read-only). Anonymous callers see public data; donor and analyst data need the matching
role (``dashboards.access``). Requests are rate-limited per client address. The security
headers of ``dashboards.hardening`` apply (same Flask server).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

import flask
import polars as pl

from dashboards import access, api_spec
from indicators import release_reader
from indicators.contract import load_contract
from indicators.i18n import t
from indicators.open_data import tables as od
from indicators.open_data.bulk import bulk_name, bulk_zip
from indicators.open_data.changes import KINDS, change_counts, compare_values
from indicators.registry import GRAINS
from indicators.release_files import RELEASE_ID, list_releases
from indicators.release_reader import Release, ReleaseStore, Unavailable
from indicators.reports.exports import neutralise
from indicators.sdmx import DATA_FILE, STRUCTURE_FILE, sdmx_files
from indicators.sdmx.codes import NATIONAL
from indicators.settings import load_settings

PREFIX = "/api/v1"
KEEP_ZIPS = 4                      # bulk zips kept in memory per process
PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?(?:-(\d{2}))?$")
MAX_LIST = 50
# /data's not_published holds at most this many entries (at most one per national period and
# area, ~22 areas: a query over every grain and period of a long series could list thousands);
# beyond it ``not_published_total`` says how many there are (narrow grain, from/to or geo)
MAX_NOT_PUBLISHED = api_spec.MAX_NOT_PUBLISHED


class ApiError(Exception):
    """An answer other than 200: status and a key of the translation table with its fields."""

    def __init__(self, status: int, key: str, **fields: object) -> None:
        super().__init__(t(key, "en", **fields))
        self.status, self.key, self.fields = status, key, fields


def error_body(key: str, **fields: object) -> dict[str, str]:
    """``{"error": English, "error_pt": Portuguese}``."""
    return {"error": t(key, "en", **fields), "error_pt": t(key, "pt", **fields)}


class Releases:
    """The current release and past ones (``ReleaseStore.release``); unknown ids → 404."""

    def __init__(self, store: ReleaseStore) -> None:
        self.store = store

    def get(self, release_id: str | None) -> Release:
        current = self.store.current()
        if not release_id or release_id == current.release_id:
            return current
        if not RELEASE_ID.match(release_id) or release_id not in list_releases(
                self.store.serving_dir):
            raise ApiError(404, "api.no_release", release=repr(release_id))
        return self.store.release(release_id)


def audiences() -> frozenset[str]:
    """The audiences the caller may read (``public`` only for anonymous callers)."""
    return frozenset(a for a in od.AUDIENCES if access.allowed(a))


def release_meta(rel: Release, current_id: str) -> dict[str, Any]:
    info = rel.info
    return {"id": rel.release_id, "created_at": info.created_at.isoformat(),
            "current": rel.release_id == current_id, "synthetic": info.synthetic,
            "disclosure_threshold": info.disclosure_threshold}


def _json(payload: dict[str, Any], rel: Release | None = None, status: int = 200
          ) -> flask.Response:
    response = flask.Response(json.dumps(payload, ensure_ascii=False, default=str),
                              status=status, mimetype="application/json")
    return _common(response, rel)


def _common(response: flask.Response, rel: Release | None) -> flask.Response:
    if rel is not None:
        response.headers["X-OTSH-Release"] = rel.release_id
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["Vary"] = "Cookie"
    return response


def _listing(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return None
    items = tuple(dict.fromkeys(i.strip() for i in text.split(",") if i.strip()))
    if len(items) > MAX_LIST:
        raise ApiError(400, "api.too_many_values", n=MAX_LIST)
    return items


def period_bounds(text: str, end: bool) -> date:
    """The first (or last) day named by ``2025``, ``2025-Q3``, ``2025-07`` or ``2025-07-31``."""
    match = PERIOD.match(text or "")
    if not match:
        raise ApiError(400, "api.bad_period", text=repr(text))
    year, part, day = int(match[1]), match[2], match[3]
    if part is None:
        first, last = (1, 12)
    elif part.startswith("Q"):
        first = 3 * int(part[1]) - 2
        last = first + 2
    else:
        first = last = int(part)
        if not 1 <= first <= 12:
            raise ApiError(400, "api.bad_period", text=repr(text))
    if day is not None:
        try:
            return date(year, first, int(day))
        except ValueError as error:
            raise ApiError(400, "api.bad_period", text=repr(text)) from error
    if not end:
        return date(year, first, 1)
    following = date(year + (last == 12), last % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def area_codes() -> tuple[str, ...]:
    """The ``geo`` codes a release can carry: national, then the contract's areas."""
    return (NATIONAL, *load_contract().geo_codes)


def _checked(parameter: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for value in values:
        if value not in allowed:
            raise ApiError(400, "api.bad_value", parameter=parameter, text=repr(value),
                           allowed=", ".join(allowed))


def data_filters(args: dict[str, str]) -> dict[str, Any]:
    """The optional ``/data`` filters as query parameters (``None``: any); an unknown grain or
    area, a bad period or ``from`` after ``to`` → 400 (breakdown and category: see
    :func:`_check_breakdown`, which needs the release)."""
    grain = args.get("grain") or None
    if grain:
        _checked("grain", (grain,), GRAINS)
    geos = _listing(args.get("geo"))
    if geos:
        _checked("geo", geos, area_codes())
    start = period_bounds(args["from"], end=False) if args.get("from") else None
    end = period_bounds(args["to"], end=True) if args.get("to") else None
    if start and end and start > end:
        raise ApiError(400, "api.from_after_to", start=repr(args["from"]),
                       end=repr(args["to"]))
    return {"grain": grain, "breakdown": args.get("breakdown") or None,
            "code": args.get("category") or None, "geos": list(geos) if geos else None,
            "from": start, "to": end}


def _check_breakdown(rel: Release, indicator: str, breakdown: str | None,
                     code: str | None) -> None:
    """An unknown ``breakdown`` or ``category`` for this indicator → 400 naming the ones the
    release publishes for it (otherwise the answer would be an empty list, read as no data)."""
    if breakdown is None and code is None:
        return
    pairs = release_reader.breakdowns(rel, indicator)
    if breakdown is not None:
        _checked("breakdown", (breakdown,), tuple(dict.fromkeys(b for b, _ in pairs)))
    if code is not None:
        _checked("category", (code,), tuple(dict.fromkeys(
            c for b, c in pairs if breakdown is None or b == breakdown)))


def _check_grain(rel: Release, indicator: str, filters: dict[str, Any]) -> None:
    """A ``grain`` the release never publishes for the areas and breakdown asked (districts
    by month, an annual change by quarter) → 400 naming the grains it does publish for them;
    a breakdown it publishes for other areas only (citizenship by district) → 400 too
    (otherwise the answer would be an empty list, read as no data)."""
    grain, breakdown, geos = filters["grain"], filters["breakdown"], filters["geos"]
    if grain is None and (breakdown is None or geos is None):
        return
    kinds = None if geos is None else {geo == NATIONAL for geo in geos}
    there = [g for g, national, b in sorted(release_reader.combinations(rel, indicator))
             if (breakdown is None or b == breakdown) and (kinds is None or national in kinds)]
    if not there and breakdown is not None:  # published for other areas only (Portugal)
        raise ApiError(400, "api.breakdown_not_here", indicator=indicator,
                       breakdown=breakdown)
    if grain is not None and grain not in there:
        raise ApiError(400, "api.grain_not_published", indicator=indicator, grain=grain,
                       allowed=", ".join(g for g in GRAINS if g in there))


def data_frame(rel: Release, args: dict[str, str], allowed: frozenset[str]
               ) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The published values a ``/data`` query selects (permission checked), and its filters
    (:func:`data_filters`)."""
    indicator = args.get("indicator")
    if not indicator:
        raise ApiError(400, "api.indicator_required")
    meta = rel.query("audience", {"indicator": indicator})
    if meta.is_empty():
        raise ApiError(404, "api.unknown_indicator", indicator=repr(indicator),
                       release=rel.release_id)
    if meta.item(0, 0) not in allowed:
        raise ApiError(403 if access.current_user() else 401, "api.needs_role",
                       indicator=repr(indicator), role=repr(meta.item(0, 0)))
    filters = data_filters(args)
    _check_breakdown(rel, indicator, filters["breakdown"], filters["code"])
    _check_grain(rel, indicator, filters)
    frame = rel.query("api_data", {"indicator": indicator, **filters})
    confidential = pl.col("flags").str.contains("c", literal=True)
    hidden = {c: pl.when(confidential).then(None).otherwise(pl.col(c))
              for c in ("value", "numerator", "denominator")}
    return frame.with_columns(**hidden), filters


def published_areas(rel: Release, indicator: str, grain: str | None
                    ) -> dict[str, tuple[str, ...]]:
    """grain -> the areas (not national) whose total of ``indicator`` the release publishes at
    that grain in some period, in the contract's order (``grain`` None: every grain)."""
    def compute() -> dict[str, tuple[str, ...]]:
        frame = rel.query("api_data", {"indicator": indicator, "grain": grain,
                                       "breakdown": "_T", "code": "_T", "geos": None,
                                       "from": None, "to": None})
        pairs = set(frame.filter(pl.col("geo") != NATIONAL).select("grain", "geo").iter_rows())
        return {g: tuple(a for a in area_codes() if (g, a) in pairs)
                for g in dict.fromkeys(g for g, _ in sorted(pairs))}
    return rel.cached(("api_published_areas", indicator, grain), compute)


def broken_down(rel: Release, indicator: str, breakdown: str) -> pl.DataFrame:
    """(grain, geo) where the release publishes ``indicator`` by ``breakdown`` in some period:
    elsewhere (months, where breakdowns are published by year only) a missing breakdown is
    not left out but never published."""
    def compute() -> pl.DataFrame:
        frame = rel.query("api_data", {"indicator": indicator, "grain": None,
                                       "breakdown": breakdown, "code": None, "geos": None,
                                       "from": None, "to": None})
        return frame.select("grain", "geo").unique()
    return rel.cached(("api_broken_down", indicator, breakdown), compute)


def not_published(rel: Release, indicator: str, filters: dict[str, Any],
                  frame: pl.DataFrame) -> list[dict[str, str]]:
    """(grain, period_label, geo) the query selects where the indicator's total is published
    but the asked breakdown is not, under any category (at a grain and area where it is
    published in other periods: :func:`broken_down`), or (no breakdown asked) where the
    national total is published but an area's value is not (:func:`release_reader.left_out`):
    the answer has no row for them. The areas: those asked (``geo``), else every area the
    indicator is published for at that grain in some period (:func:`published_areas`); the
    periods: those where the release publishes some area (not the months between two
    quarters' year to date, say)."""
    total = {"indicator": indicator, **filters, "breakdown": "_T", "code": "_T"}
    if filters["breakdown"] not in (None, "_T"):
        totals = rel.query("api_data", total).join(
            broken_down(rel, indicator, filters["breakdown"]), on=["grain", "geo"], how="semi")
        gaps = release_reader.left_out(totals, frame)
    else:
        national = rel.query("api_data", {**total, "geos": [NATIONAL]})
        asked = [g for g in filters["geos"] or () if g != NATIONAL]
        areas = {g: asked for g in GRAINS} if filters["geos"] else \
            published_areas(rel, indicator, filters["grain"])
        gaps = [gap for grain in national["grain"].unique(maintain_order=True)
                for gap in release_reader.left_out(
                    national.filter(pl.col("grain") == grain), frame, areas.get(grain, ()),
                    release_reader.area_period_labels(rel, indicator, grain))]
    return [{"grain": g, "period_label": label, "geo": geo} for g, label, geo in gaps]


def gap_fields(gaps: list[dict[str, str]]) -> dict[str, Any]:
    """The ``/data`` answer's ``not_published`` (none: no key), at most MAX_NOT_PUBLISHED
    entries, with ``not_published_total`` when there are more."""
    if not gaps:
        return {}
    fields: dict[str, Any] = {"not_published": gaps[:MAX_NOT_PUBLISHED]}
    if len(gaps) > MAX_NOT_PUBLISHED:
        fields["not_published_total"] = len(gaps)
    return fields


def csv_response(frame: pl.DataFrame, rel: Release, stem: str) -> flask.Response:
    out = frame.with_columns(pl.lit(rel.release_id).alias("release_id"))
    strings = [n for n, t in out.schema.items() if t == pl.String]
    out = out.with_columns(pl.col(c).map_elements(neutralise, return_dtype=pl.String)
                           for c in strings)
    text = od.csv_text(out)
    response = flask.Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="otsh_{stem}_{rel.release_id}.csv"')
    return _common(response, rel)


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
            for row in frame.iter_rows(named=True)]


def _format(args: dict[str, str]) -> str:
    fmt = (args.get("format") or "json").lower()
    if fmt not in ("json", "csv"):
        raise ApiError(400, "api.bad_format")
    return fmt


class Api:
    """The route handlers (closures over the release store)."""

    def __init__(self, store: ReleaseStore) -> None:
        self.releases = Releases(store)
        self._zips: OrderedDict[tuple, bytes] = OrderedDict()
        self._summaries: dict[tuple, dict[str, Any]] = {}
        self._zip_lock = threading.Lock()

    def _rel(self) -> tuple[Release, str]:
        current = self.releases.store.current()
        return self.releases.get(flask.request.args.get("release")), current.release_id

    def indicators(self) -> flask.Response:
        rel, current = self._rel()
        frame = od.read_table(rel.con, "rel.published", "indicators", audiences())
        # what /data answers, beside what the indicator is defined at (``grains``)
        published = [[g for g in GRAINS if g in {c[0] for c in
                                                 release_reader.combinations(rel, code)}]
                     for code in frame["code"]]
        frame = frame.with_columns(pl.Series("grains_published", published,
                                             dtype=pl.List(pl.String)))
        return _json({"release": release_meta(rel, current), "count": frame.height,
                      "indicators": _rows(frame)}, rel)

    def data(self) -> flask.Response:
        args = flask.request.args.to_dict()
        fmt = _format(args)
        rel, current = self._rel()
        frame, filters = data_frame(rel, args, audiences())
        if fmt == "csv":
            return csv_response(frame, rel, f"data_{args['indicator']}")
        query = {k: args[k] for k in ("indicator", "geo", "grain", "breakdown", "category",
                                      "from", "to") if args.get(k)}
        gaps = not_published(rel, args["indicator"], filters, frame)
        return _json({"release": release_meta(rel, current), "query": query,
                      "count": frame.height, "data": _rows(frame), **gap_fields(gaps)}, rel)

    def _summary(self, release_id: str, current: str) -> dict[str, Any]:
        """A release's metadata and what changed (cached: a release never changes), without
        keeping every retained release open."""
        allowed = audiences()
        key = (release_id, tuple(sorted(allowed)))
        with self._zip_lock:
            summary = self._summaries.get(key)
        if summary is None:
            rel = self.releases.get(release_id)
            info = od.release_info(rel.con, "rel.published", allowed)
            summary = {**release_meta(rel, current), **{k: info[k] for k in (
                "previous_release_id", "latest_period", "latest_complete_period", "changes")},
                "bulk": f"{PREFIX}/releases/{release_id}/bulk.zip"}
            with self._zip_lock:
                self._summaries[key] = summary
        return {**summary, "current": release_id == current}

    def release_list(self) -> flask.Response:
        current = self.releases.store.current()
        ids = [r for r in reversed(list_releases(self.releases.store.serving_dir))]
        items = []
        for release_id in ids:
            try:
                items.append(self._summary(release_id, current.release_id))
            except (Unavailable, ApiError):
                continue  # removed by retention meanwhile, or unreadable: not offered
        return _json({"release": release_meta(current, current.release_id),
                      "count": len(items), "releases": items}, current)

    def release_one(self, release_id: str) -> flask.Response:
        current = self.releases.store.current()
        rel = self.releases.get(release_id)
        return _json({"release": release_meta(rel, current.release_id),
                      **self._summary(release_id, current.release_id)}, rel)

    def bulk(self, release_id: str) -> flask.Response:
        rel = self.releases.get(release_id)
        allowed = audiences()
        key = (rel.release_id, tuple(sorted(allowed)))
        with self._zip_lock:
            content = self._zips.get(key)
        if content is None:
            content = bulk_zip(rel.con, "rel.published", allowed)
            with self._zip_lock:
                self._zips[key] = content
                while len(self._zips) > KEEP_ZIPS:
                    self._zips.popitem(last=False)
        response = flask.Response(content, mimetype="application/zip")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{bulk_name(rel.release_id)}"')
        return _common(response, rel)

    def _sdmx(self, name: str, mimetype: str) -> flask.Response:
        rel, _current = self._rel()
        allowed = audiences()
        key = ("sdmx", rel.release_id, tuple(sorted(allowed)))

        def build() -> dict[str, bytes]:
            values = od.read_table(rel.con, "rel.published", "indicator_values", allowed)
            meta = od.read_table(rel.con, "rel.published", "indicators", allowed)
            return sdmx_files(meta, values, rel.release_id, rel.info.created_at)
        response = flask.Response(rel.cached(key, build)[name], mimetype=mimetype)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{rel.release_id}_{name}"')
        return _common(response, rel)

    def sdmx_structure(self) -> flask.Response:
        return self._sdmx(STRUCTURE_FILE, "application/xml")

    def sdmx_data(self) -> flask.Response:
        return self._sdmx(DATA_FILE, "text/csv")

    def changes(self) -> flask.Response:
        args = flask.request.args.to_dict()
        fmt = _format(args)
        if args.get("change"):  # a bad parameter is a 400 whatever the releases are
            _checked("change", (args["change"],), KINDS)
        current = self.releases.store.current()
        new = self.releases.get(args.get("to") or current.release_id)
        old_id = args.get("from") or od.release_info(new.con, "rel.published")[
            "previous_release_id"]
        if not old_id:
            raise ApiError(404, "api.no_previous", release=new.release_id)
        old = self.releases.get(old_id)
        allowed = audiences()
        frames = [od.read_table(r.con, "rel.published", "indicator_values", allowed)
                  for r in (old, new)]
        diff = compare_values(*frames)
        if args.get("indicator"):
            known = set(frames[0]["indicator"]) | set(frames[1]["indicator"])
            if args["indicator"] not in known:  # unknown, or not for this user's role
                raise ApiError(404, "api.unknown_indicator", indicator=repr(args["indicator"]),
                               release=new.release_id)
            diff = diff.filter(pl.col("indicator") == args["indicator"])
        if args.get("change"):
            diff = diff.filter(pl.col("change") == args["change"])
        if fmt == "csv":
            return csv_response(diff, new, f"changes_{old.release_id}")
        return _json({"release": release_meta(new, current.release_id),
                      "from": release_meta(old, current.release_id),
                      "counts": change_counts(diff), "count": diff.height,
                      "changes": _rows(diff)}, new)

    def openapi(self) -> flask.Response:
        return _json(api_spec.openapi(flask.request.host_url.rstrip("/") + PREFIX))

    def index(self) -> flask.Response:
        """``/api/v1/``: where the description and every endpoint are (no release read)."""
        base = flask.request.host_url.rstrip("/") + PREFIX
        return _json({"title": api_spec.TITLE, "openapi": base + "/openapi.json",
                      "endpoints": [base + path.replace("<", "{").replace(">", "}")
                                    for path, _ in ROUTES]})  # as the description writes them

    def not_found(self, rest: str) -> flask.Response:
        """Any other path under ``/api/v1/``: a JSON 404, not the dashboard's page."""
        raise ApiError(404, "api.not_found", path=repr(f"{PREFIX}/{rest}"))


ROUTES: tuple[tuple[str, str], ...] = (  # (path under PREFIX, Api method), each GET
    ("/indicators", "indicators"), ("/data", "data"), ("/releases", "release_list"),
    ("/releases/<release_id>", "release_one"), ("/releases/<release_id>/bulk.zip", "bulk"),
    ("/changes", "changes"), ("/sdmx/structure.xml", "sdmx_structure"),
    ("/sdmx/data.csv", "sdmx_data"), ("/openapi.json", "openapi"))


def _handled(handler: Callable[..., flask.Response]) -> Callable[..., flask.Response]:
    def run(**kwargs: Any) -> flask.Response:
        try:
            return handler(**kwargs)
        except ApiError as error:
            return _json(error_body(error.key, **error.fields), status=error.status)
        except Unavailable:
            return _json(error_body("api.unavailable"), status=503)
    run.__name__ = handler.__name__
    return run


def rate_from_env(env: dict[str, str] | None = None) -> int:
    return load_settings(env).serving.api_rate


def install(server: flask.Flask, store: ReleaseStore, rate_per_minute: int | None = None
            ) -> Api:
    """Register the API routes and its per-address rate limit on ``server``."""
    api = Api(store)
    limiter = access.LoginLimiter(rate_per_minute or rate_from_env(), 60)

    def _limit() -> flask.Response | None:
        if not flask.request.path.startswith(PREFIX + "/"):
            return None
        key = "api:" + (flask.request.remote_addr or "unknown")
        wait = limiter.retry_after(key)
        if wait:
            response = _json(error_body("api.too_many_requests"), status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        limiter.failed(key)  # counts every request, not only failures
        return None

    server.before_request(_limit)
    routes = [*ROUTES, ("", "index"), ("/", "index"), ("/<path:rest>", "not_found")]
    for path, name in routes:
        server.add_url_rule(PREFIX + path, f"api_{name}_{path}", _handled(getattr(api, name)),
                            methods=["GET"], strict_slashes=False)
    return api
