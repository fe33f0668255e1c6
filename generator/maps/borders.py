"""Country borders for range maps: Natural Earth's 1:50m countries, shipped in ``data/`` (see ``data/NOTICE.md``).

The data is read when a map first needs it (half a megabyte, gzipped
GeoJSON), once per process. For one map only the countries near its centre
are taken: each is cut, on longitude and latitude, to the geodesic cap that
holds the view, then projected. The cut matters beyond speed: near the
antipode of the centre the azimuthal equidistant projection tears (a short
border there would become a line across the whole map), and the cap keeps
every point far from it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pyproj
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.validation import make_valid

from .geodesy import Projection, distance_m, ring

DATA = Path(__file__).resolve().parent / "data" / "countries-50m.geojson.gz"

# The cap is drawn a little wider than asked: its edges are straight in longitude
# and latitude between points of the ring, not geodesics.
CAP_MARGIN = 1.02
CAP_POINTS = 180
WORLD = box(-180.0, -90.0, 180.0, 90.0)
SEGMENT_DEGREES = 0.1  # the longest edge projected: about 11 km


@functools.cache
def world() -> tuple[tuple[tuple[str | None, MultiPolygon], ...], shapely.STRtree]:
    """Every country as (ISO 3166-1 alpha-2 code or None, its land in longitude and latitude), and an index of them."""
    collection = json.loads(gzip.decompress(DATA.read_bytes()))
    countries = tuple((feature["properties"]["iso_a2"], shape(feature["geometry"])) for feature in collection["features"])
    return countries, shapely.STRtree([geometry for _, geometry in countries])


@functools.lru_cache(maxsize=None)
def _land(index: int) -> MultiPolygon:
    """Country ``index`` of :func:`world`, made valid the first time a map needs it.

    A few countries' polygons touch one another (Antarctica's at the pole,
    Russia's and Fiji's islands), which a cut cannot take; mending them is
    slow, so only the countries near a map are mended, once per process.
    """
    geometry = world()[0][index][1]
    return geometry if geometry.is_valid else _polygonal(make_valid(geometry))


@functools.cache
def data_fingerprint() -> str:
    """What a map's geometry is made from besides its places and range: the data and the libraries' versions."""
    h = hashlib.blake2b(DATA.read_bytes(), digest_size=16)
    versions = (pyproj.__version__, pyproj.proj_version_str, shapely.__version__, shapely.geos_version_string, _version("pyuca"))
    h.update(repr(versions).encode())
    return h.hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def cap(lat: float, lon: float, radius_m: float) -> shapely.Geometry:
    """The region within ``radius_m`` of (lat, lon) (a little more), in longitude and latitude, cut at the antimeridian."""
    lons, lats = ring(lat, lon, radius_m * CAP_MARGIN + 1000.0, CAP_POINTS)
    unwrapped = np.degrees(np.unwrap(np.radians(lons)))
    points = list(zip(unwrapped.tolist(), lats.tolist()))
    # A cap around a pole: the ring's longitudes turn once around the globe,
    # and the polygon is closed along the pole.
    closing = unwrapped[0] - unwrapped[-1]
    closing = (closing + 180.0) % 360.0 - 180.0
    if abs(unwrapped[-1] + closing - unwrapped[0]) > 180.0:
        pole = 90.0 if distance_m(lat, lon, 90.0, lon) < distance_m(lat, lon, -90.0, lon) else -90.0
        points += [(unwrapped[-1] + closing, pole), (unwrapped[0], pole)]
    region = Polygon(points)
    if not region.is_valid:
        region = _polygonal(make_valid(region))
    pieces = [shapely.affinity.translate(region, xoff=shift).intersection(WORLD) for shift in (-360.0, 0.0, 360.0)]
    return shapely.union_all([piece for piece in pieces if not piece.is_empty])


@functools.lru_cache(maxsize=32)
def projected(lat: float, lon: float, radius_m: float) -> tuple[tuple[str | None, shapely.Geometry], ...]:
    """The land within ``radius_m`` of (lat, lon) (and a little more), country by country, in the aeqd centred there, in metres.

    In the order of the data (by code); countries with no land in the cap are left out.
    """
    countries, index = world()
    region = cap(lat, lon, radius_m)
    projection = Projection(lat, lon)
    found = []
    for i in sorted(index.query(region).tolist()):
        code = countries[i][0]
        piece = _polygonal(_land(i).intersection(region))
        if piece.is_empty:
            continue
        # A border is straight in longitude and latitude between two points of the data (a parallel, say):
        # points put in along long edges keep it so once projected, where it curves.
        piece = shapely.segmentize(piece, SEGMENT_DEGREES)
        found.append((code, shapely.transform(piece, projection.coordinates)))
    return tuple(found)


@functools.lru_cache(maxsize=64)
def reached(lat: float, lon: float, radius_m: float) -> tuple[str, ...]:
    """The codes of the countries with land within ``radius_m`` of (lat, lon), geodesically; sorted by code.

    Measured in the aeqd centred on the point, where the distance of any point
    from the origin is its geodesic distance; between two points of the data
    a border is straight in longitude and latitude (``SEGMENT_DEGREES``).
    """
    origin = Point(0.0, 0.0)
    return tuple(sorted({code for code, land in projected(lat, lon, radius_m) if code and land.distance(origin) <= radius_m}))


def _polygonal(geometry) -> MultiPolygon:
    """The polygons of a geometry (an intersection may leave lines and points where borders touch)."""
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry]) if not geometry.is_empty else MultiPolygon()
    if isinstance(geometry, MultiPolygon):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", ()) if isinstance(part, (Polygon, MultiPolygon)) and not part.is_empty]
    polygons = [p for part in parts for p in (part.geoms if isinstance(part, MultiPolygon) else [part])]
    return MultiPolygon(polygons)
