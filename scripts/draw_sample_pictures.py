"""Draw the sample briefing's pictures (content/images/): a route sketch and a chart, made here, not photographs.

    python3 scripts/draw_sample_pictures.py

- ``moscow-tehran-sketch.png``: the lead image. A hand-made sketch map (coasts
  traced roughly from longitude and latitude, not to scale, no borders) with
  Moscow and Tehran marked and a dashed flight path between them over the
  Caspian Sea. No words on it: its alt text and caption say what it shows, in
  each language.
- ``drone-consignment.png``: a figure. The 160 drones Sky News reported Russia
  was to receive, one square each: 100 Shahed-136, 6 Mohajer-6, 54 of types
  not named. Only the weapons' names and numbers are written on it.

The same Pillow gives the same bytes; the files are committed, so a build
never runs this.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "content" / "images"
FONTS = ROOT / "generator" / "images" / "fonts"

SEA, LAND, COAST, GRID = (203, 222, 232), (239, 233, 220), (150, 170, 180), (224, 216, 200)
ACCENT, INK, MUTED = (155, 28, 28), (26, 26, 26), (120, 120, 120)

# Rough outlines (longitude, latitude), traced by eye for a sketch.
CASPIAN = [(46.7, 44.5), (47.4, 45.7), (49.0, 46.6), (51.3, 47.1), (53.1, 46.8), (53.2, 45.4), (51.3, 44.6),
           (51.4, 43.3), (52.6, 42.4), (53.0, 41.1), (53.9, 40.1), (53.0, 39.1), (53.9, 37.4), (54.0, 36.8),
           (51.9, 36.6), (50.3, 37.1), (49.0, 37.6), (48.9, 38.6), (49.3, 39.5), (49.6, 40.4), (48.8, 41.8),
           (47.6, 42.9), (47.4, 43.9)]
BLACK_SEA = [(28.0, 41.3), (29.1, 41.2), (31.3, 41.1), (33.4, 42.0), (35.1, 42.0), (36.9, 41.3), (38.4, 40.9),
             (40.1, 41.0), (41.6, 41.5), (41.5, 42.6), (40.0, 43.5), (38.6, 44.4), (37.3, 44.9), (36.6, 45.3),
             (35.2, 44.8), (33.5, 44.5), (32.6, 45.4), (33.6, 46.0), (31.8, 46.6), (30.2, 46.2), (29.6, 45.2),
             (28.6, 44.2), (27.9, 42.6)]
AZOV = [(35.2, 45.3), (36.6, 45.4), (38.2, 46.2), (39.2, 47.2), (37.3, 46.9), (35.5, 46.3)]
MOSCOW, TEHRAN = (37.6, 55.75), (51.4, 35.7)
# The frame: a degree of longitude is drawn cos(46°) as wide as one of latitude, as it is there.
NORTH, SOUTH, MIDDLE = 58.5, 33.0, 44.0
SHRINK = math.cos(math.radians(46))


def lead(size=(1600, 900)) -> Image.Image:
    scale = 4  # drawn large and reduced: smooth coasts and lines
    w, h = size[0] * scale, size[1] * scale

    per_degree = h / (NORTH - SOUTH)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return w / 2 + (lon - MIDDLE) * SHRINK * per_degree, (NORTH - lat) * per_degree

    im = Image.new("RGB", (w, h), LAND)
    draw = ImageDraw.Draw(im)
    for lon in range(10, 80, 10):  # a graticule every ten degrees
        draw.line([xy(lon, NORTH + 1), xy(lon, SOUTH - 1)], fill=GRID, width=2 * scale)
    for lat in range(40, 60, 10):
        draw.line([xy(0, lat), xy(90, lat)], fill=GRID, width=2 * scale)
    for sea in (BLACK_SEA, AZOV, CASPIAN):
        draw.polygon([xy(*p) for p in sea], fill=SEA, outline=COAST, width=3 * scale)
    # A dashed path from Moscow to Tehran, bending east over the Caspian (a quadratic curve).
    start, end, bend = xy(*MOSCOW), xy(*TEHRAN), xy(54.5, 46.5)
    points = []
    steps = 240
    for i in range(steps + 1):
        t = i / steps
        points.append(tuple((1 - t) ** 2 * a + 2 * (1 - t) * t * b + t ** 2 * c for a, b, c in zip(start, bend, end)))
    for i in range(0, steps, 8):
        draw.line(points[i:i + 5], fill=ACCENT, width=6 * scale)
    for lon, lat in (MOSCOW, TEHRAN):
        x, y = xy(lon, lat)
        r = 18 * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255), outline=INK, width=5 * scale)
        r = 8 * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
    return im.resize(size, Image.LANCZOS)


def chart(size=(1120, 640)) -> Image.Image:
    im = Image.new("RGB", size, (255, 253, 249))
    draw = ImageDraw.Draw(im)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 34, layout_engine=ImageFont.Layout.BASIC)
    plain = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 30, layout_engine=ImageFont.Layout.BASIC)
    kinds = [("Shahed-136", 100, ACCENT), ("Mohajer-6", 6, INK), ("?", 54, (190, 185, 175))]
    colours = [colour for _, count, colour in kinds for _ in range(count)]
    columns, cell, gap, left, top = 20, 40, 8, 84, 72
    for index, colour in enumerate(colours):
        row, column = divmod(index, columns)
        x, y = left + column * (cell + gap), top + row * (cell + gap)
        draw.rectangle((x, y, x + cell, y + cell), fill=colour)
    y = top + 8 * (cell + gap) + 40
    x = left
    for name, count, colour in kinds:
        draw.rectangle((x, y + 4, x + 32, y + 36), fill=colour)
        draw.text((x + 48, y), name, font=bold, fill=INK)
        x += 48 + bold.getlength(name) + 16
        draw.text((x, y + 3), str(count), font=plain, fill=MUTED)
        x += plain.getlength(str(count)) + 70
    return im


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    lead().save(IMAGES / "moscow-tehran-sketch.png", optimize=True)
    chart().save(IMAGES / "drone-consignment.png", optimize=True)
    print(f"drew {IMAGES / 'moscow-tehran-sketch.png'} and {IMAGES / 'drone-consignment.png'}")


if __name__ == "__main__":
    main()
