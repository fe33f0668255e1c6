"""Where the words of a map go, in one language: the places, the range, the scale and the countries.

Text is measured by an estimate (an average glyph width of the sans-serif
stacks the stylesheet names), not by a font file: the map is drawn by the
reader's browser, in whichever of those fonts it has. The estimate errs
wide, and every label keeps clear of the others by a margin. Labels are
placed in a fixed order (places, the range, then countries by the land
they show, largest first), and a country name that would not fit inside its
land or would touch another label is left out: it still appears in the text
alternative if the ring reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from .geometry import MapGeometry

COUNTRY_SIZE = 15.0
PLACE_SIZE = 17.0
RANGE_SIZE = 16.0
SCALE_SIZE = 15.0
GLYPH = 0.62  # advance of a glyph, in ems (regular): DejaVu Sans, the widest of the stacks, measured in Chromium, rounded up
BOLD_GLYPH = 0.72
LINE = 1.15  # line height, in ems
EDGE = 4.0  # units kept clear at the map's edges
GAP = 2.0  # units kept clear between labels
MARKER_GAP = 8.0  # from a place's marker to its name
SCALE_MARGIN = 12.0
INSIDE = 0.8  # the share of a country name's box that must lie on the country's land


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline of the first line
    lines: tuple[str, ...]
    size: float
    kind: str  # "place", "range", "country", "country-reached": how svg.py draws it
    anchor: str = "middle"  # SVG text-anchor


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def clear_of(self, other: "Box") -> bool:
        return (self.right + GAP <= other.left or other.right + GAP <= self.left
                or self.bottom + GAP <= other.top or other.bottom + GAP <= self.top)

    @property
    def area(self) -> float:
        return (self.right - self.left) * (self.bottom - self.top)

    def inside(self, width: float, height: float) -> bool:
        return self.left >= EDGE and self.top >= EDGE and self.right <= width - EDGE and self.bottom <= height - EDGE


def text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * size * (BOLD_GLYPH if bold else GLYPH)


def box_of(label: Label, bold: bool) -> Box:
    width = max(text_width(line, label.size, bold) for line in label.lines)
    left = {"start": label.x, "end": label.x - width}.get(label.anchor, label.x - width / 2)
    ascent = label.size * 0.8
    return Box(left, label.y - ascent, left + width, label.y + label.size * 0.25 + (len(label.lines) - 1) * label.size * LINE)


class Layout:
    """The labels placed so far, and the room they take."""

    def __init__(self, geometry: MapGeometry, scale_box: Box):
        self.geometry = geometry
        self.labels: list[Label] = []
        markers = [Box(x - 6, y - 6, x + 6, y + 6) for x, y in geometry.places]
        self.taken: list[Box] = [scale_box] + markers

    def fits(self, box: Box) -> bool:
        return box.inside(self.geometry.width, self.geometry.height) and all(box.clear_of(other) for other in self.taken)

    def add(self, label: Label, bold: bool, force: bool = False) -> bool:
        box = box_of(label, bold)
        if not force and not self.fits(box):
            return False
        self.labels.append(label)
        self.taken.append(box)
        return True


def place_labels(layout: Layout, names: list[str]) -> None:
    """Each place's name beside its marker: to the right, else the left, else above or below."""
    for (x, y), name in zip(layout.geometry.places, names):
        tries = [
            Label(x + MARKER_GAP, y + PLACE_SIZE * 0.3, (name,), PLACE_SIZE, "place", "start"),
            Label(x - MARKER_GAP, y + PLACE_SIZE * 0.3, (name,), PLACE_SIZE, "place", "end"),
            Label(x, y - MARKER_GAP - 2, (name,), PLACE_SIZE, "place"),
            Label(x, y + MARKER_GAP + PLACE_SIZE * 0.8, (name,), PLACE_SIZE, "place"),
        ]
        if not any(layout.add(label, bold=True) for label in tries):
            layout.add(tries[0], bold=True, force=True)  # a place is always named


def range_label(layout: Layout, text: str) -> None:
    """The range, by the first place's ring: north-east of it if there is room, else the next free bearing."""
    points = layout.geometry.rings[0]
    for bearing in (45, 315, 135, 225, 0, 90, 180, 270):
        x, y = points[bearing * len(points) // 360]
        east = bearing in (0, 45, 90, 135)
        label = Label(x + (4 if east else -4), y - 4 if bearing not in (135, 180, 225) else y + RANGE_SIZE, (text,), RANGE_SIZE,
                      "range", "start" if east else "end")
        if layout.add(label, bold=True):
            return


def country_labels(layout: Layout, names: dict[str, str], reached: set[str]) -> None:
    """Country names inside their land, largest land first, where they fit and touch no other label."""
    for land in sorted(layout.geometry.land, key=lambda item: (-item.area, item.code or "")):
        if land.code is None or land.code not in names or land.visible is None:
            continue
        bold = land.code in reached
        _place_country(layout, land, names[land.code], bold)


def _place_country(layout: Layout, land, name: str, bold: bool) -> None:
    kind = "country-reached" if bold else "country"
    for lines in _line_breaks(name):
        for x, y in land.spots:
            first = y + COUNTRY_SIZE * 0.35 - (len(lines) - 1) * COUNTRY_SIZE * LINE / 2
            label = Label(x, round(first, 1), lines, COUNTRY_SIZE, kind)
            box = box_of(label, bold)
            # Mostly on its own land: a name may run a little over a border or a coast, not far.
            if not layout.fits(box) or land.visible.intersection(shapely.box(box.left, box.top, box.right, box.bottom)).area < INSIDE * box.area:
                continue
            layout.add(label, bold)
            return


def _line_breaks(name: str) -> list[tuple[str, ...]]:
    """The name on one line, then on two (broken at the space nearest its middle), if it has a space."""
    options = [(name,)]
    spaces = [i for i, char in enumerate(name) if char == " "]
    if spaces:
        middle = min(spaces, key=lambda i: (abs(i - len(name) / 2), i))
        options.append((name[:middle], name[middle + 1:]))
    return options
