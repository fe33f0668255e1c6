"""Pictures made for the tests: a phone photo full of metadata, a transparent PNG, a site that uses them.

The photo carries what must never reach a published site: a GPS position,
a camera serial number, XMP and IPTC, each with a marker string the tests
look for in every output file. Its pixels are four coloured quarters, so
that the EXIF orientation applied to it can be seen.
"""

from __future__ import annotations

import io

from helpers import make_content

# Markers in the photo's metadata: none may appear in any output file.
SERIAL = "SN-TEST-7731-SECRET"
XMP_MARKER = "xmp-secret-location-marker"
IPTC_MARKER = b"iptc-secret-byline-marker"
GPS_LATITUDE = (55.0, 45.0, 21.13)  # degrees, minutes, seconds
QUARTERS = ((200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 200, 40))  # top left, top right, bottom left, bottom right


def quartered(size: tuple[int, int]):
    from PIL import Image, ImageDraw
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    w, h = size
    for (x, y), colour in zip(((0, 0), (1, 0), (0, 1), (1, 1)), QUARTERS):
        draw.rectangle((x * w // 2, y * h // 2, (x + 1) * w // 2 - 1, (y + 1) * h // 2 - 1), fill=colour)
    return im


def _iptc_segment(text: bytes) -> bytes:
    """An APP13 segment holding an IPTC by-line (2:80), as Photoshop writes it."""
    record = b"\x1c\x02\x50" + len(text).to_bytes(2, "big") + text
    block = b"8BIM" + (0x0404).to_bytes(2, "big") + b"\x00\x00" + len(record).to_bytes(4, "big") + record
    if len(record) % 2:
        block += b"\x00"
    payload = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def photo(size: tuple[int, int] = (900, 600), orientation: int = 1) -> bytes:
    """A JPEG as a phone saves it: EXIF with GPS, camera and serial, orientation, XMP and IPTC."""
    from PIL import Image
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (37.0, 37.0, 4.0)
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description about="{XMP_MARKER}"/></rdf:RDF></x:xmpmeta>').encode()
    buffer = io.BytesIO()
    quartered(size).save(buffer, "JPEG", quality=90, exif=exif, xmp=xmp)
    data = buffer.getvalue()
    return data[:2] + _iptc_segment(IPTC_MARKER) + data[2:]


def transparent_png(size: tuple[int, int] = (500, 300)) -> bytes:
    from PIL import Image, ImageDraw
    im = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((20, 20, size[0] - 20, size[1] - 20), fill=(155, 28, 28, 255))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def plain_png(size: tuple[int, int] = (1800, 1000), colour=(90, 120, 150)) -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    quartered(size).save(buffer, "PNG") if colour is None else Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


IMAGES_YAML = """\
photo:
  file: photo.jpg
  alt: {en: Four coloured squares, ru: Четыре цветных квадрата}
  caption: {en: A test photo, ru: Тестовое фото}
  credit: Test Agency
  license: https://creativecommons.org/licenses/by/4.0/
  focus: [0.25, 0.25]
logo:
  file: logo.png
  alt: {en: A red disc, ru: Красный круг}
  credit: {en: Test desk, ru: Тестовая редакция}
"""

BRIEFING_EN = """\
---
title: A briefing with pictures
summary: Pictures, one of them a phone photo.
date: 2023-03-01
image: photo
---

First paragraph.

[[image:logo]]

A picture the text places: ![A red disc on nothing](logo.png) inline.
"""

BRIEFING_RU = """\
---
title: Брифинг с картинками
summary: Картинки, одна из них снята телефоном.
date: 2023-03-01
image: photo
---

Первый абзац.

[[image:logo]]
"""

PLAIN_EN = """\
---
title: "Без картинки: a briefing without a lead image"
date: 2023-02-01
---

Text.
"""


def picture_site(root, files: dict | None = None):
    """A content folder with both pictures, a briefing that shows them and one without a lead image."""
    return make_content(root, {
        "images/photo.jpg": photo(orientation=6),
        "images/logo.png": transparent_png(),
        "facts/images.yaml": IMAGES_YAML,
        "facts/weapons.yaml": "drone-x:\n  name: Drone-X\n  image: logo\n",
        "briefings/pictures/en.md": BRIEFING_EN,
        "briefings/pictures/ru.md": BRIEFING_RU,
        "briefings/plain/en.md": PLAIN_EN,
        **(files or {}),
    })
