"""Make the country borders range maps are drawn over: generator/maps/data/countries-50m.geojson.gz.

Run once, when the data should change (a new Natural Earth edition), from the
repository root, after ``npm ci`` (package.json lists both npm packages):

    .venv/bin/python scripts/natural_earth.py

Source: Natural Earth's 1:50m admin-0 countries (public domain), as the npm
package ``world-atlas`` redistributes them (TopoJSON, Natural Earth 4.1.0).
TopoJSON is decoded by its reference implementation, ``topojson-client``
(``node``); what follows is done here, with shapely:

- every country gets its ISO 3166-1 alpha-2 code, from its numeric code
  through CLDR's territory aliases (Babel), so names come from CLDR in any
  language;
- the units Natural Earth draws apart but ISO does not name are merged into
  the country that ISO names: Somaliland into Somalia, Northern Cyprus into
  Cyprus; the Indian Ocean Territories are split into Christmas Island (CX)
  and the Cocos (Keeling) Islands (CC); Kosovo is XK (as CLDR names it); the
  Siachen Glacier has no code (drawn, never named);
- Crimea, which this edition draws as part of Russia, is drawn as part of
  Ukraine, as the UN General Assembly recognises it (resolution 68/262);
- coordinates are rounded to 0.001 degree (about 100 m, finer than the 1:50m
  data), features sorted by code, and the file gzipped without a time stamp,
  so the same input always makes the same bytes.

See generator/maps/data/NOTICE.md.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from babel import Locale
from babel.core import get_global
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union
from shapely.validation import make_valid

ROOT = Path(__file__).resolve().parent.parent
TOPOJSON = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "generator" / "maps" / "data" / "countries-50m.geojson.gz"

# Natural Earth units without an ISO numeric code: name -> the code their land is drawn under.
UNNUMBERED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK", "Siachen Glacier": None}
INDIAN_OCEAN_TERRITORIES = "Indian Ocean Ter."  # Christmas Island east of 100 E, the Cocos Islands west of it
SIMFEROPOL = Point(34.10, 44.95)
MERGED = ("SO", "CY", "UA")  # the codes that get a piece drawn apart by Natural Earth


def decoded() -> dict:
    """The TopoJSON's countries as a GeoJSON FeatureCollection, decoded by topojson-client."""
    script = ("const c=require('topojson-client');const t=require(process.argv[1]);"
              "process.stdout.write(JSON.stringify(c.feature(t,t.objects.countries)))")
    done = subprocess.run(["node", "-e", script, str(TOPOJSON)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def polygons(geometry) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def rounded(value):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return [round(value[0], 3), round(value[1], 3)]
    return [rounded(item) for item in value]


def main() -> int:
    if not TOPOJSON.is_file():
        print(f"{TOPOJSON.relative_to(ROOT)} is missing: run npm ci first", file=sys.stderr)
        return 1
    version = json.loads((TOPOJSON.parent / "package.json").read_text())["version"]
    aliases = get_global("territory_aliases")
    known = Locale("en").territories
    parts: dict[str | None, list[Polygon]] = {}
    for feature in decoded()["features"]:
        name = feature["properties"]["name"]
        geometry = shape(feature["geometry"])
        if name == INDIAN_OCEAN_TERRITORIES:
            for polygon in polygons(geometry):
                parts.setdefault("CX" if polygon.centroid.x > 100 else "CC", []).append(polygon)
            continue
        if "id" in feature:
            codes = aliases[feature["id"]]
            assert len(codes) == 1 and codes[0] in known, (name, codes)
            code = codes[0]
        else:
            code = UNNUMBERED[name]
        parts.setdefault(code, []).extend(polygons(geometry))
    crimea = [p for p in parts["RU"] if p.contains(SIMFEROPOL)]
    assert len(crimea) == 1
    parts["RU"].remove(crimea[0])
    parts["UA"].append(crimea[0])
    features = []
    for code in sorted(parts, key=lambda c: c or ""):
        # Only what was put together is dissolved (Somaliland's border with Somalia goes);
        # every other country keeps its polygons as they came (Antarctica's are not valid
        # enough for a union, and need none).
        merged = unary_union([make_valid(p) for p in parts[code]]) if code in MERGED else MultiPolygon(parts[code])
        geometry = MultiPolygon(polygons(merged))
        features.append({"type": "Feature", "properties": {"iso_a2": code}, "geometry": {
            "type": "MultiPolygon", "coordinates": rounded(mapping(geometry)["coordinates"])}})
    collection = {
        "type": "FeatureCollection",
        "source": f"Natural Earth 1:50m admin-0 countries, version 4.1.0, through world-atlas {version}; public domain",
        "features": features,
    }
    data = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{TARGET.relative_to(ROOT)}: {len(features)} countries, {TARGET.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
