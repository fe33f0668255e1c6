"""The map as SVG text: the same geometry and labels always make the same bytes.

Numbers are written with one decimal at most (a tenth of a unit is a tenth
of a pixel or less), paths relative and without repeated points, so a map
stays small: tens of kilobytes, where the limit is 150. Colours are chosen
to survive greyscale and print: pale land on paler sea, mid-grey borders, the
range a dark line over a light tint, black markers, and text on a halo
(the stylesheet's ``paint-order: stroke``). Text takes the page's sans-serif
font (the stylesheet), so Cyrillic is drawn as in the rest of the page.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
from shapely.geometry import Polygon

from .geometry import MapGeometry
from .labels import LINE, SCALE_MARGIN, SCALE_SIZE, Box, Label

SEA = "#edf2f5"
LAND = "#e6e0d2"
BORDER = "#8a8376"
RANGE = "#9b1c1c"
INK = "#1a1a1a"
MUTED = "#595959"
HALO = "#fbfaf7"

LABEL_STYLES = {  # kind -> (fill, weight)
    "place": (INK, "700"),
    "range": (RANGE, "700"),
    "country-reached": ("#2b2b2b", "700"),
    "country": (MUTED, "400"),
}


def num(value: float) -> str:
    """A number with at most one decimal, '-0' never: fixed, whatever the platform."""
    return tenths(int(round(value * 10)))


def tenths(count: int) -> str:
    whole, part = divmod(abs(count), 10)
    sign = "-" if count < 0 else ""
    return f"{sign}{whole}.{part}" if part else f"{sign}{whole}"


def _joined(numbers: list[str]) -> str:
    """Numbers as SVG path data lists them: a minus sign separates as well as a space."""
    out = []
    for i, text in enumerate(numbers):
        out.append(text if i == 0 or text.startswith("-") else " " + text)
    return "".join(out)


def ring_path(points: np.ndarray, closed: bool = True) -> str:
    """``M x y l dx dy ...z``: relative steps between points rounded to tenths, repeats dropped."""
    scaled = np.rint(np.asarray(points, dtype=float) * 10).astype(np.int64)
    if len(scaled) > 1 and (scaled[0] == scaled[-1]).all():
        scaled = scaled[:-1]  # shapely repeats the first point at the end; z closes the ring
    steps = np.diff(scaled, axis=0)
    steps = steps[(steps != 0).any(axis=1)]
    if not len(steps) and closed:
        return ""
    head = f"M{tenths(int(scaled[0][0]))}{' ' if scaled[0][1] >= 0 else ''}{tenths(int(scaled[0][1]))}"
    body = _joined([tenths(int(v)) for v in steps.ravel()])
    return head + (("l" + body) if body else "") + ("z" if closed else "")


def polygon_path(polygon: Polygon) -> str:
    rings = [polygon.exterior] + list(polygon.interiors)
    return "".join(ring_path(np.asarray(ring.coords)) for ring in rings)


def nice_length(metres_per_unit: float, width: float) -> float:
    """A round length (1, 2 or 5 times a power of ten, in metres) of about a fifth of the map's width."""
    target = width * 0.22 * metres_per_unit
    power = 10 ** math.floor(math.log10(target))
    return next(m * power for m in (5, 2, 1) if m * power <= target)


def scale_box(geometry: MapGeometry, text: str, text_width) -> tuple[float, Box]:
    """The scale bar's length in units, and the room it and its text take (bottom left)."""
    length = nice_length(geometry.metres_per_unit, geometry.width) / geometry.metres_per_unit
    y = geometry.height - SCALE_MARGIN
    return length, Box(SCALE_MARGIN - 2, y - 8, SCALE_MARGIN + length + 6 + text_width(text, SCALE_SIZE), y + 6)


def draw(geometry: MapGeometry, title: str, description: str, labels: list[Label], scale_length: float, scale_text: str) -> str:
    w, h = num(geometry.width), num(geometry.height)
    parts = [
        f'<svg class="rangemap-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">',
        f"<title>{escape(title, quote=False)}</title>",
        f"<desc>{escape(description, quote=False)}</desc>",
        f'<rect width="{w}" height="{h}" fill="{SEA}"/>',
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width=".6" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for land in geometry.land:
        data = "".join(polygon_path(polygon) for polygon in land.shape.geoms)
        if data:
            parts.append(f'<path d="{data}"/>')
    parts.append("</g>")
    parts.append(f'<g fill="{RANGE}" fill-opacity=".12" stroke="{RANGE}" stroke-width="2.5" stroke-linejoin="round">')
    for ring in geometry.rings:
        data = ring_path(ring)
        parts.append(f'<path d="{data}"/>' if data else "")  # a range of 0 km has no ring, only its place
    parts.append("</g>")
    parts.append(f'<g fill="{INK}" stroke="#fff" stroke-width="2">')
    for x, y in geometry.places:
        parts.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5"/>')
    parts.append("</g>")
    parts.append(_scale_bar(geometry, scale_length, scale_text))
    parts.append(_labels(labels))
    parts.append(f'<rect width="{w}" height="{h}" fill="none" stroke="{BORDER}" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def _scale_bar(geometry: MapGeometry, length: float, text: str) -> str:
    x, y = SCALE_MARGIN, geometry.height - SCALE_MARGIN
    end = x + length
    half = x + length / 2
    # Two halves, black and white, in a black outline: legible on any ground, in any print.
    return (f'<g stroke="{INK}" stroke-width="1">'
            f'<rect x="{num(x)}" y="{num(y - 3)}" width="{num(length / 2)}" height="5" fill="{INK}"/>'
            f'<rect x="{num(half)}" y="{num(y - 3)}" width="{num(end - half)}" height="5" fill="#fff"/>'
            f'</g><text class="rangemap-halo" x="{num(end + 6)}" y="{num(y + 2)}" font-size="{num(SCALE_SIZE)}" fill="{INK}">'
            f"{escape(text, quote=False)}</text>")


def _labels(labels: list[Label]) -> str:
    parts = []
    for label in labels:
        fill, weight = LABEL_STYLES[label.kind]
        anchor = "" if label.anchor == "start" else f' text-anchor="{label.anchor}"'
        attributes = f'class="rangemap-halo" x="{num(label.x)}" y="{num(label.y)}" font-size="{num(label.size)}" fill="{fill}"'
        if weight != "400":
            attributes += f' font-weight="{weight}"'
        if len(label.lines) == 1:
            parts.append(f"<text {attributes}{anchor}>{escape(label.lines[0], quote=False)}</text>")
            continue
        step = f' dy="{num(label.size * LINE)}"'
        spans = "".join(f'<tspan x="{num(label.x)}"{step if i else ""}>{escape(line, quote=False)}</tspan>'
                        for i, line in enumerate(label.lines))
        parts.append(f"<text {attributes}{anchor}>{spans}</text>")
    return "".join(parts)
