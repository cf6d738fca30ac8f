"""The read API on three consecutive pipeline releases: values equal the dashboard's
downloads, every answer names its release, roles, past releases, what changed, headers,
rate limit, OpenAPI."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import duckdb
import pytest

from bench.fixtures.users import sign_in, write_test_users
from dashboards.app import create_app, download_payload
from dashboards.pages.common import LEVELS, breakdown_code_label
from indicators.i18n import fmt_period, t
from indicators.registry import GRAINS
from indicators.release_files import release_file
from indicators.release_reader import ReleaseStore
from indicators.reports.exports import split_csv
from indicators.settings import Settings, load_settings
from tests.security.conftest import make_access

pytestmark = pytest.mark.slow
EEA = "EEA_VICTIMS_SUPPORTED"


@pytest.fixture(scope="module")
def settings(series) -> Settings:
    write_test_users(series.data_dir)
    return load_settings({"OBS_DATA_DIR": str(series.data_dir)})


@pytest.fixture(scope="module")
def store(settings):
    s = ReleaseStore(settings.serving_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def app(settings, store):
    return create_app(settings, store, make_access(settings))


@pytest.fixture
def client(app):
    return app.server.test_client()


def _file_values(series, index: int, where: str = "TRUE") -> dict[tuple, tuple]:
    """key -> (value, flags) read straight from a release file."""
    con = duckdb.connect(str(release_file(series.serving_dir, series.release_ids[index])),
                         read_only=True)
    try:
        rows = con.sql("SELECT indicator, grain, period, period_end, geo, breakdown, "
                       "breakdown_code, value, flags FROM published.indicator_values "
                       f"WHERE {where}").fetchall()
    finally:
        con.close()
    return {tuple(str(c) for c in r[:7]): (r[7], r[8]) for r in rows}


def _api_key(row: dict) -> tuple:
    return (row["indicator"], row["grain"], row["period"], row["period_end"], row["geo"],
            row["breakdown"], row["breakdown_code"])


SELECTIONS = [("THB_SIGNALLED", "month", "_T", "PT"), ("THB_SIGNALLED", "year", "sex", "PT"),
              ("THB_SIGNALLED", "year", "_T", "PT-13"),
              ("THB_SIGNALLED", "year", "exploitation", "PT"),
              ("THB_SIGNALLED_RATE", "year", "_T", "PT"),
              ("THB_SIGNALLED", "quarter", "_T", "PT"), ("THB_CONFIRMED", "year", "_T", "PT")]


@pytest.mark.parametrize("indicator,grain,breakdown,geo", SELECTIONS)
def test_api_values_equal_the_dashboard_download(client, store, indicator, grain, breakdown,
                                                 geo):
    shown = []
    for level in LEVELS:  # the page shows one level of a breakdown at a time: take both
        search = (f"?lang=en&indicator={indicator}&grain={grain}&breakdown={breakdown}"
                  f"&level={level}&district={geo}&compare=none")
        payload = download_payload(store, "/trends", search, "trends", "csv")
        table, _notes = split_csv(payload["content"])  # the table, then the notes block
        shown += [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert shown, "the dashboard shows nothing for this selection"
    dash = {(r[t("col.geo_code", "en")], r[t("col.period", "en")], r[t("col.category", "en")]):
            (r[t("col.value", "en")], r[t("col.flags", "en")]) for r in shown}
    response = client.get(f"/api/v1/data?indicator={indicator}&grain={grain}"
                          f"&breakdown={breakdown}&geo={geo}")
    assert response.status_code == 200
    rows = response.get_json()["data"]
    api = {(r["geo"], fmt_period(r["period_label"], grain, "en"),
            breakdown_code_label(breakdown, r["breakdown_code"], "en")):
           (r["value"], r["flags"]) for r in rows}
    assert set(api) == set(dash)
    for key, (value, flags) in api.items():
        shown_value, shown_flags = dash[key]
        assert flags == shown_flags, key
        if value is None:
            assert shown_value == "", key
        else:
            # the download rounds as on screen (counts whole, rates and shares to 0.1)
            assert float(shown_value) == pytest.approx(value, abs=0.05), key


def test_csv_and_json_carry_the_same_values_and_name_the_release(client, series):
    query = "/api/v1/data?indicator=THB_SIGNALLED&grain=year&geo=PT,PT-11"
    js = client.get(query)
    text = client.get(query + "&format=csv")
    assert text.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(text.get_data(as_text=True))))
    assert {r["release_id"] for r in rows} == {series.release_ids[-1]}
    assert text.headers["X-OTSH-Release"] == series.release_ids[-1]
    data = js.get_json()["data"]
    assert len(rows) == len(data) > 0
    for a, b in zip(data, rows, strict=True):
        assert (a["value"] is None and b["value"] == "") or float(b["value"]) == a["value"]
        assert a["flags"] == b["flags"]


def test_every_response_names_its_release(client, series):
    current = series.release_ids[-1]
    for path in ("/api/v1/indicators", "/api/v1/data?indicator=THB_SIGNALLED",
                 "/api/v1/releases", f"/api/v1/releases/{series.release_ids[0]}",
                 "/api/v1/changes", f"/api/v1/data?indicator=THB_SIGNALLED&release="
                 f"{series.release_ids[1]}"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_json()
        assert body["release"]["id"] == response.headers["X-OTSH-Release"], path
        assert body["release"]["current"] == (body["release"]["id"] == current), path


def test_values_match_the_release_file_and_suppressed_values_are_null(client, series):
    rows = client.get("/api/v1/data?indicator=THB_SIGNALLED").get_json()["data"]
    truth = _file_values(series, -1, "indicator = 'THB_SIGNALLED'")
    assert len(rows) == len(truth)
    suppressed = 0
    for row in rows:
        value, flags = truth[_api_key(row)]
        assert row["flags"] == flags
        if "c" in flags:
            suppressed += 1
            assert row["value"] is None
        else:
            assert row["value"] == value
    assert suppressed > 0


def test_filters_by_period_and_category(client):
    rows = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=month&from=2022-Q1"
                      "&to=2022-04&breakdown=_T&geo=PT").get_json()["data"]
    assert [r["period_label"] for r in rows] == ["2022-01", "2022-02", "2022-03", "2022-04"]
    rows = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=year&from=2021&to=2021"
                      "&breakdown=sex&category=F").get_json()["data"]
    assert rows and {(r["period_label"], r["breakdown"], r["breakdown_code"]) for r in rows} \
        == {("2021", "sex", "F")}
    bad = client.get("/api/v1/data?indicator=THB_SIGNALLED&from=2022-13")
    assert bad.status_code == 400
    assert "2022-13" in bad.get_json()["error"] and "2022-13" in bad.get_json()["error_pt"]
    assert client.get("/api/v1/data").status_code == 400
    assert client.get("/api/v1/data?indicator=NOPE").status_code == 404


@pytest.mark.parametrize(("query", "parameter", "bad"), [
    ("grain=week", "grain", "'week'"),
    ("grain=week&format=csv", "grain", "'week'"),
    ("geo=PT,PT-99", "geo", "'PT-99'"),
    ("geo=pt-13", "geo", "'pt-13'"),
    ("from=2026&to=2025", "from", "2026"),
    ("from=2022-07-31&to=2022-07-01", "from", "2022-07-31"),
    ("breakdown=colour", "breakdown", "'colour'"),
    ("breakdown=sex&category=X9", "category", "'X9'"),
    ("category=X9", "category", "'X9'"),
])
def test_invalid_filters_are_refused_naming_the_parameter(client, query, parameter, bad):
    response = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"error", "error_pt"}
    for text in body.values():
        assert f"'{parameter}'" in text and bad in text
    if parameter == "grain":
        assert all("month, quarter, year, r12, ytd" in text for text in body.values())
    if parameter == "geo":
        assert all("PT, PT-01" in text and "PT-30, ABROAD, UNKNOWN" in text
                   for text in body.values())
    if parameter == "from":
        assert all("'to'" in text for text in body.values())
    if parameter == "breakdown":  # the breakdowns the release publishes for the indicator
        assert all("_T, " in text and "sex" in text for text in body.values())
    if query.startswith("breakdown=sex&"):  # the categories of that breakdown only
        assert all("F" in text.split("use")[-1] and "_T" not in text.split("use")[-1]
                   for text in body.values())


@pytest.mark.parametrize("query", [
    "grain=year&geo=PT,PT-13,ABROAD,UNKNOWN&from=2021&to=2022",
    "grain=month&from=2022-Q1&to=2022-Q1", "grain=month&from=2022-02&to=2022-Q1",
    "grain=r12&geo=PT&format=csv", "breakdown=sex&category=F", "category=F"])
def test_valid_filters_still_answer(client, query):
    response = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&{query}")
    assert response.status_code == 200
    if "format=csv" in query:
        assert response.data.count(b"\n") > 1
    else:
        assert response.get_json()["count"] > 0


@pytest.mark.parametrize("role", ["public", "donor", "analyst"])
def test_donor_and_analyst_data_only_with_the_role(app, series, role):
    client = app.server.test_client()
    sign_in(client, role)
    codes = {r["code"] for r in client.get("/api/v1/indicators").get_json()["indicators"]}
    assert "THB_SIGNALLED" in codes
    assert (EEA in codes) == (role != "public")
    eea = client.get(f"/api/v1/data?indicator={EEA}")
    assert eea.status_code == (401 if role == "public" else 200)
    if role == "public":
        assert EEA not in eea.get_data(as_text=True).replace(f"'{EEA}'", "")
    changes = client.get(f"/api/v1/changes?from={series.release_ids[0]}").get_json()
    assert all((c["indicator"] != EEA) or role != "public" for c in changes["changes"])
    archive = zipfile.ZipFile(io.BytesIO(client.get(
        f"/api/v1/releases/{series.release_ids[-1]}/bulk.zip").data))
    names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert ("tables/eea_results.csv" in names) == (role != "public")
    assert ("tables/data_quality.csv" in names) == (role == "analyst")
    assert ("tables/source_returns.csv" in names) == (role == "analyst")
    values = archive.read(next(n for n in archive.namelist()
                               if n.endswith("tables/indicator_values.csv"))).decode()
    assert (EEA in values) == (role != "public")
    sdmx_data = archive.read(next(n for n in archive.namelist()
                                  if n.endswith("sdmx/otsh_data.csv"))).decode()
    assert (EEA in sdmx_data) == (role != "public")


def test_without_public_access_anonymous_callers_get_no_data(settings, store, series):
    client = create_app(settings, store, make_access(settings, public_access=False)
                        ).server.test_client()
    for path in ("/api/v1/data?indicator=THB_SIGNALLED", "/api/v1/indicators",
                 f"/api/v1/releases/{series.release_ids[-1]}/bulk.zip"):
        response = client.get(path)
        assert response.status_code in (302, 401), path
        assert response.mimetype not in ("application/json", "application/zip"), path
        assert b'"value"' not in response.data and b"persons" not in response.data
    sign_in(client, "donor")
    assert client.get("/api/v1/data?indicator=THB_SIGNALLED").status_code == 200


def test_no_file_hash_or_file_name_leaves_through_the_api(app, series):
    client = app.server.test_client()
    sign_in(client, "analyst")
    bodies = [client.get(p).get_data(as_text=True) for p in (
        "/api/v1/releases", f"/api/v1/releases/{series.release_ids[-1]}")]
    archive = zipfile.ZipFile(io.BytesIO(client.get(
        f"/api/v1/releases/{series.release_ids[-1]}/bulk.zip").data))
    bodies += [archive.read(n).decode("utf-8") for n in archive.namelist()
               if n.endswith((".csv", ".md", ".xml"))]
    for body in bodies:
        assert "sha256" not in body
        assert "file_name" not in body
        assert not any(ext in body for ext in (".xlsx", "_victims_2022"))


def test_past_releases_stay_readable(client, series):
    for index, release_id in enumerate(series.release_ids):
        rows = client.get(f"/api/v1/data?indicator=THB_SIGNALLED&release={release_id}"
                          ).get_json()
        assert rows["release"]["id"] == release_id
        truth = _file_values(series, index, "indicator = 'THB_SIGNALLED'")
        assert {_api_key(r): (r["value"], r["flags"]) for r in rows["data"]} == {
            k: (None if "c" in f else v, f) for k, (v, f) in truth.items()}
    assert client.get("/api/v1/data?indicator=THB_SIGNALLED&release=20990101T000000000000Z-"
                      "abcdef").status_code == 404
    assert client.get("/api/v1/data?indicator=THB_SIGNALLED&release=../../etc"
                      ).status_code == 404


def test_releases_lists_every_retained_release_newest_first(client, series):
    body = client.get("/api/v1/releases").get_json()
    items = body["releases"]
    assert [r["id"] for r in items] == list(reversed(series.release_ids))
    assert [r["current"] for r in items] == [True, False, False]
    assert items[0]["previous_release_id"] == series.release_ids[1]
    assert items[1]["previous_release_id"] == series.release_ids[0]
    assert "values_changed" in items[0]["changes"]


@pytest.mark.parametrize("pair", [(0, 1), (1, 2), (0, 2)])
def test_changes_between_two_releases(client, series, pair):
    old_i, new_i = pair
    old, new = (_file_values(series, i) for i in pair)
    public = {r["code"] for r in client.get("/api/v1/indicators").get_json()["indicators"]}
    expected = {}
    for key in set(old) | set(new):
        if key[0] not in public:
            continue
        if key not in old:
            expected[key] = "added"
        elif key not in new:
            expected[key] = "removed"
        else:
            (ov, of), (nv, nf) = old[key], new[key]
            if "c" not in of and "c" in nf:
                expected[key] = "newly_suppressed"
            elif "c" in of and "c" not in nf and nv is not None:
                expected[key] = "newly_published"
            elif ov is not None and nv is not None and abs(ov - nv) > 1e-9:
                expected[key] = "revised"
            elif ov is not None and nv is not None and "p" in of and "p" not in nf:
                expected[key] = "finalised"
    body = client.get(f"/api/v1/changes?from={series.release_ids[old_i]}"
                      f"&to={series.release_ids[new_i]}").get_json()
    got = {_api_key(c): c["change"] for c in body["changes"]}
    assert got == expected
    assert any(kind == "revised" for kind in got.values())
    assert body["from"]["id"] == series.release_ids[old_i]
    assert sum(body["counts"].values()) == len(expected)


def test_changes_refuse_an_unknown_kind_or_indicator_instead_of_answering_nothing(
        client, series):
    base = f"/api/v1/changes?from={series.release_ids[0]}"
    bad = client.get(base + "&change=deleted")
    assert bad.status_code == 400
    for text in bad.get_json().values():
        assert "'change'" in text and "'deleted'" in text and "newly_suppressed" in text
    unknown = client.get(base + "&indicator=NOPE")
    assert unknown.status_code == 404 and "NOPE" in unknown.get_json()["error"]
    for query in ("&change=revised", "&indicator=THB_SIGNALLED"):
        assert client.get(base + query).status_code == 200


@pytest.mark.parametrize("where", ["", "to={first}&", "from=20000101T000000000000Z-000000&",
                                   "to=nope&"])
def test_an_unknown_change_kind_is_refused_before_any_release_is_looked_up(
        client, series, where):
    """``change=foo`` is a bad parameter (400) whichever releases are asked for: also when the
    release has no previous one or the one named is not kept (those were 404 first)."""
    query = where.format(first=series.release_ids[0])
    bad = client.get(f"/api/v1/changes?{query}change=foo")
    assert bad.status_code == 400, bad.get_json()
    for text in bad.get_json().values():
        assert "'change'" in text and "'foo'" in text and "revised" in text
    assert client.get(f"/api/v1/changes?to={series.release_ids[0]}").status_code == 404


def test_api_responses_carry_the_security_headers(client):
    for path in ("/api/v1/indicators", "/api/v1/openapi.json", "/api/v1/data"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Server" not in headers


def test_requests_are_rate_limited(settings, store, monkeypatch):
    monkeypatch.setenv("OBS_API_RATE", "5")
    client = create_app(settings, store, make_access(settings)).server.test_client()
    codes = [client.get("/api/v1/indicators").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    limited = client.get("/api/v1/indicators")
    assert int(limited.headers["Retry-After"]) > 0
    other = client.get("/api/v1/indicators", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_openapi_describes_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    routes = {r.rule.removeprefix("/api/v1").replace("<release_id>", "{release_id}")
              for r in app.server.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    # every route but the description itself and the JSON 404 of any other path
    assert routes - {"/openapi.json", "/<path:rest>"} == set(spec["paths"])
    json.dumps(spec)
    data = {p["name"]: p for p in spec["paths"]["/data"]["get"]["parameters"]}
    assert data["grain"]["schema"]["enum"] == list(GRAINS)
    assert spec["components"]["schemas"]["Value"]["properties"]["grain"]["enum"] == list(GRAINS)
    assert "400" in spec["paths"]["/data"]["get"]["responses"]


def test_openapi_says_what_each_change_kind_means(client):
    """A user of /changes met "newly_suppressed" and "removed" with no word on what they
    mean (a Lisboa quarter left out after a revision came back as "removed")."""
    spec = client.get("/api/v1/openapi.json").get_json()
    change = {p["name"]: p for p in spec["paths"]["/changes"]["get"]["parameters"]}["change"]
    kinds = change["schema"]["enum"]
    assert kinds and set(kinds) == {"revised", "newly_suppressed", "newly_published",
                                    "finalised", "added", "removed"}
    for kind in kinds:
        assert f"{kind}: " in change["description"], kind
    assert "confidential (flag c) now" in change["description"]


def test_sdmx_endpoints_serve_a_release_that_sdmx1_reads(client, series, tmp_path):
    import sdmx

    first = series.release_ids[0]
    structure = client.get(f"/api/v1/sdmx/structure.xml?release={first}")
    data = client.get(f"/api/v1/sdmx/data.csv?release={first}")
    assert structure.headers["X-OTSH-Release"] == data.headers["X-OTSH-Release"] == first
    (tmp_path / "s.xml").write_bytes(structure.data)
    (tmp_path / "d.csv").write_bytes(data.data)
    flow = sdmx.read_sdmx(tmp_path / "s.xml").dataflow["DF_OTSH_INDICATORS"]
    observations = [o for ds in sdmx.read_sdmx(tmp_path / "d.csv", structure=flow).data
                    for o in ds.obs]
    public = {r["code"] for r in client.get("/api/v1/indicators").get_json()["indicators"]}
    expected = [k for k in _file_values(series, 0) if k[0] in public]
    assert len(observations) == len(expected) > 0
    assert {str(o.key.values["INDICATOR"].value) for o in observations} <= public
    assert EEA not in data.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/"])
def test_the_api_root_lists_its_endpoints_each_answering(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["openapi"].endswith("/api/v1/openapi.json")
    spec = client.get("/api/v1/openapi.json").get_json()
    listed = {e.split("/api/v1", 1)[1] for e in body["endpoints"]}  # written as in the spec
    # the description's paths (the root aside), no more, no fewer, and the description itself
    assert listed == set(spec["paths"]) - {"/"} | {"/openapi.json"}
    for endpoint in body["endpoints"]:
        if "{" not in endpoint:
            code = client.get(endpoint.split("localhost", 1)[1]
                              + ("?indicator=THB_SIGNALLED" if endpoint.endswith("/data")
                                 else "")).status_code
            assert code == 200, endpoint


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/data/extra", "/api/v1/sdmx/x.csv"])
def test_an_unknown_api_path_is_a_json_404_not_the_dashboard(client, path):
    answer = client.get(path)
    assert answer.status_code == 404 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert path in body["error"] and path in body["error_pt"]
    assert "openapi.json" in body["error"]
