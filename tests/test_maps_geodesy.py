"""Rings and the projection of range maps, against distances measured independently.

The oracle is ``pyproj.Geod.inv`` (GeographicLib's inverse problem), which the
code under test never calls to make a ring or a projection; a haversine on
the mean sphere bounds both within the ellipsoid's flattening.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from generator.maps.geodesy import Projection, distance_m, ring

ORACLE = Geod(ellps="WGS84")
CENTRES = {
    "Tehran": (35.6892, 51.3890),
    "Tabriz": (38.0800, 46.2919),
    "Kyiv": (50.4501, 30.5234),
    "Longyearbyen": (78.2232, 15.6267),  # a ring around the pole's side
    "Suva": (-18.1248, 178.4501),  # a ring across the antimeridian
    "Quito": (-0.1807, -78.4678),
}


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("name", sorted(CENTRES))
@pytest.mark.parametrize("radius_km", [0.8, 300, 700, 2500])
def test_every_point_of_a_ring_is_its_radius_away(name, radius_km):
    lat, lon = CENTRES[name]
    lons, lats = ring(lat, lon, radius_km * 1000)
    assert len(lons) == 360
    _, _, measured = ORACLE.inv(np.full(360, lon), np.full(360, lat), lons, lats)
    assert np.max(np.abs(np.asarray(measured) - radius_km * 1000)) < 0.001  # a millimetre
    # And not a sphere's ring: a haversine differs by the ellipsoid's flattening, no more.
    assert abs(haversine_m(lat, lon, lats[90], lons[90]) / (radius_km * 1000) - 1) < 0.006


@pytest.mark.parametrize("name", sorted(CENTRES))
def test_the_projection_keeps_every_distance_from_its_centre(name):
    lat, lon = CENTRES[name]
    projection = Projection(lat, lon)
    generator = np.random.default_rng(11)
    # Points in every direction up to 6,000 km: their distance from the centre on the map is the true one.
    azimuths = generator.uniform(0, 360, 200)
    distances = generator.uniform(1, 6_000_000, 200)
    lons, lats, _ = ORACLE.fwd(np.full(200, lon), np.full(200, lat), azimuths, distances)
    xs, ys = projection.forward(lons, lats)
    _, _, measured = ORACLE.inv(np.full(200, lon), np.full(200, lat), lons, lats)
    assert np.max(np.abs(np.hypot(xs, ys) - measured)) < 0.01
    # Azimuths are true too: north is up, east is right.
    assert np.max(np.abs((np.degrees(np.arctan2(xs, ys)) - azimuths + 180) % 360 - 180)) < 1e-6


def test_a_ring_is_a_circle_on_its_own_map():
    lat, lon = CENTRES["Tehran"]
    xs, ys = Projection(lat, lon).forward(*ring(lat, lon, 700_000))
    assert np.max(np.abs(np.hypot(xs, ys) - 700_000)) < 0.01


def test_distances_agree_with_the_oracle_and_with_a_sphere():
    tehran, tabriz = CENTRES["Tehran"], CENTRES["Tabriz"]
    expected = ORACLE.inv(tehran[1], tehran[0], tabriz[1], tabriz[0])[2]
    assert distance_m(*tehran, *tabriz) == pytest.approx(expected, abs=1e-6)
    assert distance_m(*tehran, *tabriz) == pytest.approx(haversine_m(*tehran, *tabriz), rel=0.005)
    assert 520_000 < distance_m(*tehran, *tabriz) < 540_000  # Tehran to Tabriz: about 530 km
