"""Which partner's return is missing is data quality (the analysts'): on /trends an analyst's
hover names the missing returns; an anonymous visitor's, a donor's and a partner's say only
that a partner's return for the period is missing (a user review found the names in public
hovers). The other public places (overview, map, downloads, the API, the bulk zip) never
named them; they are checked here too. The view cache is per role: an analyst's view never
reaches the public, whichever comes first."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bench.fixtures.callbacks import content_body, download_body, post
from bench.fixtures.users import sign_in
from indicators import release_reader as data
from indicators.i18n import t
from tests.security.conftest import make_access
from tests.security.partner_users import sign_in_partner, write_users_with_partners

TRENDS = "?lang={lang}&indicator=THB_SIGNALLED&grain=month"
PUBLIC_PLACES = ("/", "/map", TRENDS)


@pytest.fixture
def app(settings, store):
    from dashboards.app import create_app

    write_users_with_partners(settings.data_dir)
    return create_app(settings, store, make_access(settings))


def _client(app, role: str):
    client = app.server.test_client()
    if role == "partner":
        sign_in_partner(client, "gil")  # DGS
    else:
        sign_in(client, role)
    return client


def _trends(client, lang: str) -> str:
    response = post(client, content_body("/trends", TRENDS.format(lang=lang)))
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def _named(rel, lang: str) -> list[str]:
    """What names a missing return in ``lang``: the label and "PARTNER (" of each one."""
    label = t("tr.missing", lang, returns="").strip()
    return [label, *(f"{code} (" for code in set(data.missing_returns(rel)["partner"]))]


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_only_analysts_read_which_partner_return_is_missing(app, store, lang):
    rel = store.current()
    unnamed = t("tr.missing_unnamed", lang)
    # the analyst first: the view cached for them must not be what the others get
    for role in ("analyst", "public", "donor", "partner", "analyst"):
        shown = _trends(_client(app, role), lang)
        named = [text for text in _named(rel, lang) if text in shown]
        if role == "analyst":
            assert len(named) > 2 and unnamed not in shown, role
        else:
            assert named == [] and unnamed in shown, (role, named)
    # the address cannot ask for the names
    forged = post(_client(app, "public"), content_body(
        "/trends", TRENDS.format(lang=lang) + "&names_missing=True"))
    assert unnamed in json.dumps(forged.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("role", ["public", "donor"])
def test_no_other_public_place_names_a_missing_return(app, store, role):
    rel = store.current()
    client = _client(app, role)
    texts = []
    for place in PUBLIC_PLACES:
        path, search = ("/trends", place.format(lang="en")) if place.startswith("?") \
            else (place, "?lang=en")
        texts.append(json.dumps(post(client, content_body(path, search)).get_json(),
                                ensure_ascii=False))
    for path, table in (("/trends", "trends"), ("/map", "map"), ("/", "overview")):
        search = TRENDS.format(lang="en") if path == "/trends" else "?lang=en"
        response = post(client, download_body(path, table, search=search))
        assert response.status_code == 200, (path, table)
        texts.append(response.get_data(as_text=True))
    answer = client.get("/api/v1/data?indicator=THB_SIGNALLED&grain=month")
    texts.append(answer.get_data(as_text=True))
    bulk = client.get(f"/api/v1/releases/{rel.release_id}/bulk.zip")
    with zipfile.ZipFile(io.BytesIO(bulk.data)) as archive:
        names = archive.namelist()
        texts += [archive.read(n).decode("utf-8", "replace") for n in names]
    assert not any(n.startswith(("data_quality", "source_returns")) for n in names), names
    for text in texts:
        assert not [n for n in _named(rel, "en") if n in text]
