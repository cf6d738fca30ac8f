"""District boundaries (pt_districts.geojson) and the district -> NUTS II region table."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import Point, shape

from indicators import reference

ISO_CODES = [f"PT-{n:02d}" for n in range(1, 19)] + ["PT-20", "PT-30"]


def _shapes() -> dict[str, shapely.Geometry]:
    return {f["properties"]["code"]: shape(f["geometry"])
            for f in reference.district_geojson()["features"]}


def test_file_is_small_and_has_the_twenty_iso_units() -> None:
    assert reference.GEOJSON_FILE.stat().st_size < 300_000
    features = json.loads(reference.GEOJSON_FILE.read_text(encoding="utf-8"))["features"]
    assert len(features) == 20
    assert sorted(f["properties"]["code"] for f in features) == ISO_CODES
    names = {f["properties"]["code"]: f["properties"]["name_pt"] for f in features}
    assert names["PT-20"] == "Região Autónoma dos Açores"
    assert names["PT-30"] == "Região Autónoma da Madeira"
    assert names["PT-04"] == "Bragança"
    assert all(f["properties"]["name_en"] for f in features)


def test_geometries_are_valid_and_non_empty() -> None:
    for code, geom in _shapes().items():
        assert geom.is_valid, code
        assert not geom.is_empty, code
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, code


def test_coordinates_are_lon_lat_within_portugal_including_islands() -> None:
    for code, geom in _shapes().items():
        min_x, min_y, max_x, max_y = geom.bounds
        assert min_x >= -31.6 and max_x <= -6.0, (code, geom.bounds)
        assert min_y >= 29.8 and max_y <= 42.2, (code, geom.bounds)
    shapes = _shapes()
    # Mainland units lie east of -9.6 degrees; the islands far west in the Atlantic.
    assert shapes["PT-20"].bounds[2] < -24.5  # Açores
    assert shapes["PT-30"].bounds[2] < -15.5 and shapes["PT-30"].bounds[1] < 33.2  # Madeira
    assert all(shapes[c].bounds[0] > -9.6 for c in ISO_CODES[:18])


def test_known_places_fall_in_their_district() -> None:
    shapes = _shapes()
    places = {
        "PT-13": (-8.61, 41.15),   # Porto
        "PT-02": (-7.86, 38.01),   # Beja
        "PT-08": (-7.93, 37.02),   # Faro
        "PT-04": (-6.76, 41.81),   # Bragança
        "PT-20": (-25.67, 37.75),  # Ponta Delgada
        "PT-30": (-16.92, 32.66),  # Funchal
        "PT-11": (-9.19, 38.76),   # Lisboa (Benfica)
    }
    for code, (lon, lat) in places.items():
        point = Point(lon, lat)
        assert shapes[code].contains(point), code
        others = [c for c, g in shapes.items() if c != code and g.contains(point)]
        assert others == [], (code, others)


def test_district_regions_cover_every_unit_with_nuts_2024_regions() -> None:
    regions = reference.district_regions()
    assert sorted(regions) == ISO_CODES
    assert {name for _, name in regions.values()} == {
        "Norte", "Centro", "Oeste e Vale do Tejo", "Grande Lisboa", "Península de Setúbal",
        "Alentejo", "Algarve", "Açores", "Madeira",
    }
    assert regions["PT-13"] == ("PT11", "Norte")
    assert regions["PT-08"] == ("PT15", "Algarve")
    assert regions["PT-02"] == ("PT1C", "Alentejo")
    assert regions["PT-14"] == ("PT1D", "Oeste e Vale do Tejo")
    # Straddling districts take the region of most of their municipalities:
    # Lisboa 9 of 16 in Grande Lisboa; Setúbal 9 of 13 in Península de Setúbal.
    assert regions["PT-11"] == ("PT1A", "Grande Lisboa")
    assert regions["PT-15"] == ("PT1B", "Península de Setúbal")
    assert regions["PT-20"] == ("PT20", "Açores")
    assert regions["PT-30"] == ("PT30", "Madeira")
