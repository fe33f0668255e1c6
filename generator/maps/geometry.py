"""One range map's geometry, the same in every language: the view, the rings, the places, the land.

Everything is in the SVG's own units (``WIDTH`` across, y down), in the
azimuthal equidistant projection centred on the first place. The view holds
every ring with some land around it; its height follows the rings' spread
(never wider than ``MAX_ASPECT``, never taller than square). The land is cut
to the view and simplified to a fraction of a unit, so the drawing stays
small whatever the range.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

from . import borders
from .geodesy import Projection, ring

WIDTH = 480.0  # the SVG's units across: text sizes are chosen for it (see svg.py)
MIN_HEIGHT_SHARE = 0.62  # the view is never flatter than this (height / width)
PAD_SHARE = 0.12  # room beyond the rings, as a share of the range
MIN_PAD_M = 25_000.0  # ... and at least this much, so a short range still shows where it is
SIMPLIFY = 0.6  # units: a pixel or less at any width the map is shown at (GEOS coverage simplification: about the side of the triangles removed)
MIN_AREA = 0.8  # square units: islands smaller than this are left out of the drawing (never of the text)
BLEED = 3.0  # units: land is cut this far outside the view, so no border runs along its edge
SPOT_GRID = 10.0  # units between the points tried for a country's name
SPOTS = 24  # how many of them, at most


@dataclass(frozen=True)
class Land:
    """A country's land in the view, and where its name could go."""

    code: str | None
    shape: MultiPolygon  # in view units, simplified
    area: float  # of the part inside the view
    visible: Polygon | None  # its largest piece inside the view, where the name goes
    spots: tuple[tuple[float, float], ...]  # points of that piece, roomiest first: the centre of its largest inscribed circle, then others


@dataclass(frozen=True)
class MapGeometry:
    width: float
    height: float
    metres_per_unit: float
    range_m: float
    places: tuple[tuple[float, float], ...]  # each place, in view units
    rings: tuple[np.ndarray, ...]  # (n, 2) points of each place's ring, in view units, clockwise from north
    land: tuple[Land, ...]  # in the order of the data (by code)


@functools.lru_cache(maxsize=32)
def map_geometry(points: tuple[tuple[float, float], ...], range_m: float) -> MapGeometry:
    """The geometry of the map of a range around ``points`` ((lat, lon) each; the first is the centre)."""
    projection = Projection(*points[0])
    rings_m = []
    for lat, lon in points:
        lons, lats = ring(lat, lon, range_m)
        xs, ys = projection.forward(lons, lats)
        rings_m.append(np.column_stack((xs, ys)))
    places_m = [projection.point(lat, lon) for lat, lon in points]
    every = np.vstack(rings_m + [np.array(places_m)])
    pad = max(range_m * PAD_SHARE, MIN_PAD_M)
    left, bottom = every.min(axis=0) - pad
    right, top = every.max(axis=0) + pad
    wide, high = right - left, top - bottom
    # Grow the short side about the middle: square at most, never flatter than MIN_HEIGHT_SHARE.
    if high < wide * MIN_HEIGHT_SHARE:
        bottom, top = (bottom + top - wide * MIN_HEIGHT_SHARE) / 2, (bottom + top + wide * MIN_HEIGHT_SHARE) / 2
    elif high > wide:
        left, right = (left + right - high) / 2, (left + right + high) / 2
    scale = (right - left) / WIDTH
    height = round((top - bottom) / scale, 1)

    def view(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - left) / scale, (top - xy[:, 1]) / scale))

    reach = max(math.hypot(x, y) for x in (left, right) for y in (bottom, top))
    land = _land([(code, shapely.transform(shape, view)) for code, shape in borders.projected(*points[0], reach)], height)
    return MapGeometry(
        width=WIDTH, height=height, metres_per_unit=scale, range_m=range_m,
        places=tuple(tuple(view(np.array([p]))[0].tolist()) for p in places_m),
        rings=tuple(view(r) for r in rings_m), land=land,
    )


def _land(countries: list[tuple[str | None, shapely.Geometry]], height: float) -> tuple[Land, ...]:
    clipped = [(code, shapely.clip_by_rect(shape, -BLEED, -BLEED, WIDTH + BLEED, height + BLEED)) for code, shape in countries]
    clipped = [(code, shape) for code, shape in clipped if not shape.is_empty]
    shapes = _simplified([shape for _, shape in clipped])
    result = []
    for (code, _), shape in zip(clipped, shapes):
        polygons = [p for p in _polygons(shape) if p.area >= MIN_AREA]
        if not polygons:
            continue
        # The name goes in the largest piece that is visible (not in the bleed).
        frame = _frame(height)
        pieces = [q for p in polygons for q in _polygons(p.intersection(frame))]
        largest = max(pieces, key=lambda p: (p.area, p.bounds), default=None)
        area = sum(p.area for p in pieces)
        result.append(Land(code, MultiPolygon(polygons), area, largest, _spots(largest) if largest is not None else ()))
    return tuple(result)


def _spots(piece: Polygon) -> tuple[tuple[float, float], ...]:
    """Where a name could be centred in ``piece``: the pole of inaccessibility, then the points of a grid, roomiest first."""
    centre = polylabel(piece, tolerance=0.5)
    left, bottom, right, top = piece.bounds
    xs = np.arange(math.floor(left / SPOT_GRID) * SPOT_GRID, right, SPOT_GRID)
    ys = np.arange(math.floor(bottom / SPOT_GRID) * SPOT_GRID, top, SPOT_GRID)
    grid = shapely.points(np.array([(x, y) for y in ys for x in xs] or [(left, bottom)]))
    inside = grid[shapely.contains_xy(piece, shapely.get_x(grid), shapely.get_y(grid))]
    boundary = piece.boundary
    room = shapely.distance(inside, boundary)
    order = sorted(range(len(inside)), key=lambda i: (-round(float(room[i]), 3), float(shapely.get_y(inside[i])), float(shapely.get_x(inside[i]))))
    spots = [(round(centre.x, 1), round(centre.y, 1))]
    spots += [(round(float(shapely.get_x(inside[i])), 1), round(float(shapely.get_y(inside[i])), 1)) for i in order[:SPOTS]]
    return tuple(dict.fromkeys(spots))


def _simplified(shapes: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """Simplified together where the countries form a clean coverage (shared borders stay shared), else one by one."""
    if not shapes:
        return []
    array = np.array(shapes, dtype=object)
    try:
        if shapely.coverage_is_valid(shapely.GeometryCollection(shapes)):
            return list(shapely.coverage_simplify(array, SIMPLIFY))
    except shapely.errors.GEOSException:
        pass
    return list(shapely.simplify(array, SIMPLIFY, preserve_topology=True))


def _frame(height: float) -> Polygon:
    return shapely.box(0.0, 0.0, WIDTH, height)


def _polygons(shape) -> list[Polygon]:
    if isinstance(shape, Polygon):
        return [shape] if not shape.is_empty else []
    return [p for part in getattr(shape, "geoms", ()) for p in _polygons(part)]
