"""Which files a picture becomes: its widths and formats, their names, and the encoders' settings.

Every picture is served in several widths (never wider than the picture
itself) as WebP, with a JPEG fallback (PNG for a picture with transparency,
which JPEG cannot keep). Each name holds the picture's *version*: a hash of
the file's bytes, of the settings below and of the encoders' versions, so a
changed picture, setting or encoder gives new names and no browser or cache
keeps a stale copy; the same input always gives the same names and bytes.
A lead image also becomes a social card, 1200 x 630, cropped around its
focus point.

AVIF is left out on purpose: Pillow's AVIF encoder took three to four times
as long as WebP for files 5 % smaller (bench/RESULTS-images.md), on every
picture of every clean build, and every browser that shows AVIF shows WebP.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from .records import Image, Picture

WIDTHS = (320, 640, 960, 1440)
CARD_SIZE = (1200, 630)  # what Open Graph and X (Twitter) show best
WEBP = {"quality": 80, "method": 4}
JPEG = {"quality": 82, "optimize": True, "progressive": True}
PNG = {"compress_level": 9}
CARD_JPEG = {"quality": 85, "optimize": True, "progressive": True}
# Any change to how pictures are decoded, resized or encoded changes this: every picture gets new names.
PROCESS = "2026-12-1 draft>=base lanczos srgb"
FOLDER = "images"
MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSION = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True)
class Variant:
    """One output file of a picture."""

    path: str  # relative to the site root: images/<stem>-<version>-<width>.<ext>
    width: int
    height: int
    format: str  # "WEBP", "JPEG" or "PNG"

    @property
    def mime(self) -> str:
        return MIME[self.format]


@functools.cache
def encoders() -> str:
    """Pillow's version and those of the codecs it encodes with: part of every picture's version."""
    import PIL
    from PIL import features
    return f"Pillow {PIL.__version__} " + " ".join(f"{name} {features.version(name)}" for name in ("jpg", "webp", "zlib", "littlecms2"))


def version_of(file_hash: str) -> str:
    """The version of a picture whose bytes hash to ``file_hash``."""
    settings = repr((PROCESS, WIDTHS, CARD_SIZE, WEBP, JPEG, PNG, CARD_JPEG, encoders()))
    return hashlib.blake2b(f"{file_hash}\0{settings}".encode(), digest_size=5).hexdigest()


def stem(name: str) -> str:
    """A file name's stem as it appears in output names: lowercase ASCII letters, digits, hyphens."""
    base = name.rsplit(".", 1)[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:60] or "picture"


def widths(picture: Picture) -> tuple[int, ...]:
    """The widths a picture is served in: each of WIDTHS below its own width, and its own width if smaller than the last."""
    below = tuple(w for w in WIDTHS if w < picture.width)
    return below + ((picture.width,) if picture.width < WIDTHS[-1] else ())


def height_at(picture: Picture, width: int) -> int:
    return max(1, round(picture.height * width / picture.width))


def fallback(picture: Picture) -> str:
    """The format every browser shows: PNG keeps transparency, JPEG is smaller for the rest."""
    return "PNG" if picture.alpha else "JPEG"


def variants(picture: Picture) -> list[Variant]:
    """Every file a picture is served as: WebP then the fallback, each width from the smallest."""
    found = []
    for fmt in ("WEBP", fallback(picture)):
        for width in widths(picture):
            found.append(variant(picture, width, fmt))
    return found


def variant(picture: Picture, width: int, fmt: str) -> Variant:
    path = f"{FOLDER}/{stem(picture.name)}-{picture.version}-{width}.{EXTENSION[fmt]}"
    return Variant(path, width, height_at(picture, width), fmt)


def card(image: Image) -> Variant:
    """The social card of a lead image: 1200 x 630, cropped around its focus point (its name holds the focus)."""
    picture = image.picture
    focus = hashlib.blake2b(repr(image.focus).encode(), digest_size=3).hexdigest()
    return Variant(f"{FOLDER}/{stem(picture.name)}-{picture.version}-card-{focus}.jpg", *CARD_SIZE, "JPEG")


def crop_box(width: int, height: int, focus: tuple[float, float], size: tuple[int, int] = CARD_SIZE) -> tuple[int, int, int, int]:
    """The largest box of ``size``'s proportions in a ``width`` x ``height`` picture, centred on the focus
    point as far as the picture's edges allow."""
    aspect = size[0] / size[1]
    if width / height > aspect:
        box_w, box_h = max(1, round(height * aspect)), height
    else:
        box_w, box_h = width, max(1, round(width / aspect))
    left = min(max(0, round(focus[0] * width - box_w / 2)), width - box_w)
    top = min(max(0, round(focus[1] * height - box_h / 2)), height - box_h)
    return left, top, left + box_w, top + box_h


def base_scale(picture: Picture) -> float:
    """How far a picture is scaled down before its files are made: enough for its widest file and its card."""
    return min(1.0, max(WIDTHS[-1] / picture.width, CARD_SIZE[1] / picture.height))
