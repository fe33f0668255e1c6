"""Which countries a ring reaches, against an independent measure of each country's distance.

The oracle reads the shipped border file itself (gzip and json, not the code
under test), puts a point every 0.05 degree along every border, and takes the
smallest ``pyproj.Geod.inv`` distance from the centre (zero when the centre
is on the country's land). A country nearer than the range by more than the
oracle's own sampling error must be reached; one farther by more must not.
"""

from __future__ import annotations

import functools
import gzip
import json

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, shape

from generator.maps import borders
from generator.maps.geometry import WIDTH, map_geometry

ORACLE = Geod(ellps="WGS84")
SAMPLING_KM = 5.0  # points 0.05 degree apart: at most half of 5.6 km off the true nearest point, and a margin

CASES = {
    "Tehran 700 km": ((35.6892, 51.3890), 700),
    "Tehran 300 km": ((35.6892, 51.3890), 300),
    "Tabriz 300 km": ((38.0800, 46.2919), 300),
    "Kyiv 500 km": ((50.4501, 30.5234), 500),
    "Longyearbyen 1,000 km": ((78.2232, 15.6267), 1000),
    "Suva 1,500 km (across the antimeridian)": ((-18.1248, 178.4501), 1500),
    "Nome 700 km (across the antimeridian)": ((64.5011, -165.4064), 700),
    "Quito 400 km": ((-0.1807, -78.4678), 400),
    "Shahed-136 from Tehran, 2,500 km": ((35.6892, 51.3890), 2500),
}


@functools.cache
def countries() -> list[tuple[str | None, shapely.Geometry]]:
    collection = json.loads(gzip.decompress(borders.DATA.read_bytes()))
    return [(f["properties"]["iso_a2"], shape(f["geometry"])) for f in collection["features"]]


def _nearest_km(lat: float, lon: float, points: np.ndarray) -> float:
    _, _, metres = ORACLE.inv(np.full(len(points), lon), np.full(len(points), lat), points[:, 0], points[:, 1])
    return float(np.min(metres)) / 1000


@functools.cache
def oracle_km(lat: float, lon: float, within_km: float) -> dict[str, float]:
    """The distance from (lat, lon) in km of each named country, measured along its densified borders.

    Countries whose every border point is more than ``within_km`` and 1,500 km away
    are left out (no edge of the data is that long): densifying the world is slow.
    """
    found: dict[str, float] = {}
    for code, land in countries():
        if code is None:
            continue
        if land.contains(Point(lon, lat)):
            found[code] = 0.0
        elif _nearest_km(lat, lon, shapely.get_coordinates(land.boundary)) < within_km + 1500:
            found[code] = _nearest_km(lat, lon, shapely.get_coordinates(shapely.segmentize(land.boundary, 0.05)))
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_reached_countries_match_the_oracle(name):
    (lat, lon), range_km = CASES[name]
    reached = set(borders.reached(lat, lon, range_km * 1000))
    distances = oracle_km(lat, lon, range_km)
    inside = {code for code, km in distances.items() if km < range_km - SAMPLING_KM}
    outside = {code for code, _ in countries() if code is not None and distances.get(code, np.inf) > range_km + SAMPLING_KM}
    assert inside, "a case that reaches nothing proves little"
    assert inside <= reached, f"missed: {sorted(inside - reached)}"
    assert not reached & outside, f"reached too far: {sorted(reached & outside)}"


def test_tehran_at_700_km():
    reached = set(borders.reached(35.6892, 51.3890, 700_000))
    assert {"IR", "IQ", "AZ", "AM", "TM"} <= reached
    assert not {"SA", "IL", "EG"} & reached


def test_a_range_reaches_the_country_it_starts_in_and_nothing_at_sea():
    assert borders.reached(35.6892, 51.3890, 800) == ("IR",)  # an NLAW from Tehran
    assert borders.reached(-48.8767, -123.3933, 50_000) == ()  # Point Nemo


def test_crimea_is_drawn_and_named_as_ukraine():
    # Sevastopol: Russia's nearest land (across the Kerch Strait) is about 250 km away.
    assert borders.reached(44.6167, 33.5254, 100_000) == ("UA",)


def test_the_data_names_every_country_by_a_code_cldr_knows():
    from babel import Locale

    territories = Locale("en").territories
    codes = [code for code, _ in countries()]
    assert len(codes) > 230 and len(set(codes)) == len(codes)
    assert all(code is None or code in territories for code in codes)
    assert codes.count(None) == 1  # the Siachen Glacier: drawn, never named


class TestGeometry:
    def test_a_single_ring_is_a_true_circle_around_its_place_in_a_square_view(self):
        geometry = map_geometry(((35.6892, 51.3890),), 700_000)
        assert geometry.width == WIDTH and geometry.height == WIDTH
        (x, y), = geometry.places
        radius = np.hypot(geometry.rings[0][:, 0] - x, geometry.rings[0][:, 1] - y)
        assert np.max(np.abs(radius * geometry.metres_per_unit - 700_000)) < 1.0
        # Room around the ring, inside the view.
        assert geometry.rings[0].min() > 0 and geometry.rings[0].max() < WIDTH

    def test_several_places_fit_in_one_view(self):
        points = ((38.0800, 46.2919), (35.6892, 51.3890))
        geometry = map_geometry(points, 300_000)
        for ring in geometry.rings:
            assert ring[:, 0].min() > 0 and ring[:, 0].max() < geometry.width
            assert ring[:, 1].min() > 0 and ring[:, 1].max() < geometry.height
        assert WIDTH * 0.62 <= geometry.height <= WIDTH
        # The map is centred on the first place: its ring is a circle, the other nearly one.
        (x, y) = geometry.places[0]
        radius = np.hypot(geometry.rings[0][:, 0] - x, geometry.rings[0][:, 1] - y) * geometry.metres_per_unit
        assert np.ptp(radius) < 1.0

    def test_land_is_cut_to_the_view(self):
        geometry = map_geometry(((35.6892, 51.3890),), 2_500_000)
        for land in geometry.land:
            left, top, right, bottom = land.shape.bounds
            assert left >= -3.01 and top >= -3.01 and right <= geometry.width + 3.01 and bottom <= geometry.height + 3.01
        assert {"IR", "SA", "RU", "IN"} <= {land.code for land in geometry.land}
